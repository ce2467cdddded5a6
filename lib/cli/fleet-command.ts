/** `springboard fleet status|metrics`: a thin shell over lib/fleet. */
import { Command, Option } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { wholeNumber } from './flags';
import { FLEET_READER_ROLE_NAME } from '../contract';
import { DEFAULT_CONCURRENCY } from '../fleet/collect';
import {
  DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, MAX_CONCURRENCY, type RawFleetOptions, runMetrics, runStatus,
} from '../fleet/run';

const MAX_TIMEOUT_MS = 600_000;

function withCommonOptions(command: Command): Command {
  return command
    .option('--registry <dir>', 'folder of team YAML files; pipelines are named after its teams', 'teams')
    .option('--discover', 'list the account\'s pipelines named by the convention instead of reading the registry')
    .option('--region <region>', 'region of the pipelines (default: the registry\'s tooling region, or the AWS configuration)')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--fips', 'use FIPS endpoints (also AWS_USE_FIPS_ENDPOINT=true)')
    .addOption(new Option('--assume-role [name]', 'assume this read-only role in each account').preset(FLEET_READER_ROLE_NAME))
    .option('--endpoint-url <url>', 'CodePipeline endpoint (also AWS_ENDPOINT_URL_CODEPIPELINE)')
    .option('--concurrency <n>', `pipelines read at once (default ${DEFAULT_CONCURRENCY})`, wholeNumber('--concurrency', 1, MAX_CONCURRENCY))
    .option('--request-timeout <ms>', `fail and retry a request that takes longer (default ${DEFAULT_REQUEST_TIMEOUT_MS})`, wholeNumber('--request-timeout', 1, MAX_TIMEOUT_MS))
    .option('--connect-timeout <ms>', `fail and retry a connection that takes longer (default ${DEFAULT_CONNECT_TIMEOUT_MS})`, wholeNumber('--connect-timeout', 1, MAX_TIMEOUT_MS))
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('--html <file>', 'also write a self-contained HTML report with charts');
}

export function fleetCommand(context: CommandContext): Command {
  const settings = { defaultRole: FLEET_READER_ROLE_NAME, clientOverrides: context.settings.fleetClient };
  const status = withCommonOptions(new Command('status'))
    .description('a row per team: latest execution, each environment stage, a waiting approval, the failing stage')
    .action(exitingWith(context, (options: RawFleetOptions) => runStatus(options, context.io, settings)));
  const metrics = withCommonOptions(new Command('metrics'))
    .description('the four DORA keys per team and for the fleet, with bands from the 2024 Accelerate State of DevOps report')
    .option('--since <when>', 'start of the window: 30d, 12h or an ISO date (inclusive)', '30d')
    .option('--until <iso>', 'end of the window: an ISO date (exclusive; default now)')
    .action(exitingWith(context, (options: RawFleetOptions) => runMetrics(options, context.io, settings)));
  return new Command('fleet')
    .description('delivery status and DORA metrics of every team\'s pipeline, from the CodePipeline API')
    .addCommand(status)
    .addCommand(metrics);
}
