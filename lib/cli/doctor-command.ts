/** `springboard doctor`: a thin shell over lib/doctor. */
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { wholeNumber } from './flags';
import { READER_ROLE_NAME } from '../contract';
import { DEFAULT_DOCTOR_CONCURRENCY, type DoctorOptions, MAX_DOCTOR_CONCURRENCY, runDoctor } from '../doctor/run';

const MAX_TIMEOUT_MS = 600_000;

export function doctorCommand(context: CommandContext): Command {
  return new Command('doctor')
    .description('check the live prerequisites of a deploy in every account and region the registry uses: bootstrap, source connections, '
      + 'subscriptions and chat, cost-allocation tags, observability sink and links, organisation controls, service quotas')
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('--assembly <dir>', 'synthesized assembly whose stacks set the bootstrap version needed', 'cdk.out')
    .option('--profile <name>', 'AWS shared-config profile of the tooling account')
    .option('--assume-role <name>', 'read-only role assumed in each account', READER_ROLE_NAME)
    .option('--concurrency <n>', `accounts, and checks in each, read at once (default ${DEFAULT_DOCTOR_CONCURRENCY})`, wholeNumber('--concurrency', 1, MAX_DOCTOR_CONCURRENCY))
    .option('--request-timeout <ms>', 'fail and retry a request that takes longer (default 10000)', wholeNumber('--request-timeout', 1, MAX_TIMEOUT_MS))
    .option('--connect-timeout <ms>', 'fail and retry a connection that takes longer (default 3000)', wholeNumber('--connect-timeout', 1, MAX_TIMEOUT_MS))
    .option('--json', 'print the report as JSON (docs/first-deploy.md)')
    .action(exitingWith(context, (options: DoctorOptions) => runDoctor(options, context.io, context.settings.doctorAws)));
}
