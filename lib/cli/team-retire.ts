/**
 * `springboard team retire <id>`: removes the team's registry file and prints the procedure that
 * deletes its stacks (lib/app/retire.ts), in order; `--plan FILE` also writes it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { planRetirement } from '../app/retire';
import { InputError, loadRegistry, RegistryError } from '../registry';

export interface TeamRetireIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface RetireFlags {
  readonly registry: string;
  readonly plan?: string;
}

export function teamRetireCommand(io: TeamRetireIo): Command {
  return new Command('retire')
    .description('remove a team from the registry and print the procedure that deletes its stacks (CDK pipelines never delete stacks)')
    .argument('<id>', 'team id')
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('--plan <file>', 'also write the procedure to this file (Markdown)')
    .action((id: string, flags: RetireFlags) => {
      process.exitCode = runTeamRetire(id, flags, io);
    });
}

/** Returns the exit code: 0 retired, 1 refused. */
export function runTeamRetire(id: string, flags: RetireFlags, io: TeamRetireIo): number {
  try {
    const plan = planRetirement(loadRegistry(flags.registry), id);
    // The plan is computed before the file goes, so a failure leaves the registry as it was.
    if (flags.plan) writeFileSync(flags.plan, plan.text);
    rmSync(plan.registryFile);
    io.stdout(plan.text);
    io.stderr(`springboard team retire: removed ${plan.registryFile}${flags.plan ? `; wrote the procedure to ${flags.plan}` : ''}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof RegistryError)) throw e;
    io.stderr(`springboard team retire: ${e.message}\n`);
    return 1;
  }
}
