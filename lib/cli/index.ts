/** The `springboard` command: a thin shell over library functions that tests call directly. */
import { Command, CommanderError } from 'commander';
import { auditCommand } from './audit-command';
import { changesetCommand } from './changeset-command';
import { fleetCommand } from './fleet-command';
import { schemaCommand } from './schema-command';
import { teamCommand } from './team-command';
import { validateCommand } from './validate-command';

export function buildProgram(): Command {
  return new Command('springboard')
    .description('Springboard: a secure AWS platform for every digital service team, from one reviewed registry')
    .showHelpAfterError()
    .addCommand(validateCommand())
    .addCommand(schemaCommand())
    .addCommand(auditCommand())
    .addCommand(changesetCommand())
    .addCommand(fleetCommand())
    .addCommand(teamCommand());
}

/** Runs the CLI; user errors print a message, never a stack trace. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`springboard: ${(error as Error).message}\n`);
    if (process.env.SPRINGBOARD_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 2;
  }
}
