/**
 * `springboard team retire <id>`: removes the team's registry file and prints the procedure that
 * deletes its stacks (lib/app/retire.ts), in order; `--plan FILE` also writes it.
 */
import { rmSync } from 'node:fs';
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { planRetirement } from '../app/retire';
import { type CommandIo, EXIT_CODES } from '../contract';
import { loadRegistry } from '../registry';

interface RetireFlags {
  readonly registry: string;
  readonly plan?: string;
}

export function teamRetireCommand(context: CommandContext): Command {
  return new Command('retire')
    .description('remove a team from the registry and print the procedure that deletes its stacks (CDK pipelines never delete stacks)')
    .argument('<id>', 'team id')
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('--plan <file>', 'also write the procedure to this file (Markdown)')
    .action(exitingWith(context, (id: string, flags: RetireFlags) => runTeamRetire(id, flags, context.io)));
}

/** Returns 0 once retired; an unknown team or an invalid registry throws an InvalidInputError (exit 1) and removes nothing. */
export function runTeamRetire(id: string, flags: RetireFlags, io: CommandIo): number {
  const plan = planRetirement(loadRegistry(flags.registry), id);
  // The plan is computed before the file goes, so a failure leaves the registry as it was.
  if (flags.plan) io.writeFile(flags.plan, plan.text);
  rmSync(plan.registryFile);
  io.stdout.write(plan.text);
  io.stderr.write(`springboard team retire: removed ${plan.registryFile}${flags.plan ? `; wrote the procedure to ${flags.plan}` : ''}\n`);
  return EXIT_CODES.success;
}
