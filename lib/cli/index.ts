/**
 * The `springboard` command: a thin shell over library functions that tests call directly. Every
 * subcommand gets the same CommandIo and returns its exit code; a UserError is printed as one line
 * with its own exit code; a usage mistake commander finds exits 2; anything else is a defect, printed
 * with its stack trace (exit 70). The codes are in lib/contract/command.ts and the README.
 */
import { Command, CommanderError } from 'commander';
import { auditCommand } from './audit-command';
import { changesetCommand } from './changeset-command';
import type { CommandContext } from './context';
import { doctorCommand } from './doctor-command';
import { fleetCommand } from './fleet-command';
import { processIo } from './io';
import { prCheckCommand } from './pr-check-command';
import { schemaCommand } from './schema-command';
import { teamCommand } from './team-command';
import { validateCommand } from './validate-command';
import { CommandIo, EXIT_CODES, failureReport } from '../contract';
import type { DoctorAwsOverrides } from '../doctor/run';
import type { FleetClientOptions } from '../fleet/client-factory';

/** Settings tests give a run instead of the process's (fleet: credentials, pacing). */
export interface CliSettings {
  readonly fleetClient?: Partial<FleetClientOptions>;
  readonly doctorAws?: DoctorAwsOverrides;
}

export function buildProgram(context: CommandContext): Command {
  const program = new Command('springboard')
    .description('Springboard: a secure AWS platform for every digital service team, from one reviewed registry')
    .showHelpAfterError()
    .addCommand(validateCommand(context))
    .addCommand(schemaCommand(context))
    .addCommand(auditCommand(context))
    .addCommand(changesetCommand(context))
    .addCommand(prCheckCommand(context))
    .addCommand(fleetCommand(context))
    .addCommand(doctorCommand(context))
    .addCommand(teamCommand(context));
  configureEverywhere(program, context.io);
  return program;
}

/** Commander's own output and exits go through the run's io, on every subcommand. */
function configureEverywhere(command: Command, io: CommandIo): void {
  command.exitOverride().configureOutput({ writeOut: text => io.stdout.write(text), writeErr: text => io.stderr.write(text) });
  command.commands.forEach(sub => configureEverywhere(sub, io));
}

/** Runs one command line and resolves to its exit code; whatever goes wrong is printed to io.stderr. */
export async function runCli(argv: readonly string[], io: CommandIo = processIo(), settings: CliSettings = {}): Promise<number> {
  let exitCode: number = EXIT_CODES.success;
  let commandName = 'springboard';
  const context: CommandContext = { io, settings, setExitCode: code => (exitCode = code) };
  const program = buildProgram(context).hook('preAction', (_program, action) => {
    commandName = commandPath(action);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has printed its own message (an unknown flag, a missing argument) or the help.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
    const failure = failureReport(error, commandName);
    io.stderr.write(failure.text);
    return failure.exitCode;
  }
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** bin/springboard: runs the command line and sets the process's exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await runCli(argv);
}
