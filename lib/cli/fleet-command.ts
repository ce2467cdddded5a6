/** `springboard fleet status|metrics`: a thin shell over lib/fleet. */
import { Command, Option } from 'commander';
import { FLEET_READER_ROLE_NAME } from '../contract';
import { type FleetIo, FleetUsageError, processIo, type RawFleetOptions, runMetrics, runStatus } from '../fleet/run';
import { WindowError } from '../fleet/window';
import { RegistryError } from '../registry';

type Runner = (options: RawFleetOptions, io: FleetIo, defaultRole: string) => Promise<number>;

/** Runs a subcommand; a mistake in the flags or the registry is printed and exits 2, without a stack trace. */
function action(run: Runner, io: FleetIo): (options: RawFleetOptions) => Promise<void> {
  return async (options) => {
    try {
      io.setExitCode(await run(options, io, FLEET_READER_ROLE_NAME));
    } catch (error) {
      if (!(error instanceof FleetUsageError || error instanceof WindowError || error instanceof RegistryError)) throw error;
      io.stderr.write(`springboard fleet: ${error.message}\n`);
      io.setExitCode(2);
    }
  };
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--registry <dir>', 'folder of team YAML files; pipelines are named after its teams', 'teams')
    .option('--discover', 'list the account\'s pipelines named by the convention instead of reading the registry')
    .option('--region <region>', 'region of the pipelines (default: the registry\'s tooling region, or the AWS configuration)')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--fips', 'use FIPS endpoints (also AWS_USE_FIPS_ENDPOINT=true)')
    .addOption(new Option('--assume-role [name]', 'assume this read-only role in each account').preset(FLEET_READER_ROLE_NAME))
    .option('--endpoint-url <url>', 'CodePipeline endpoint (also AWS_ENDPOINT_URL_CODEPIPELINE)')
    .option('--concurrency <n>', 'pipelines read at once', '4')
    .option('--request-timeout <ms>', 'fail and retry a request that takes longer', '10000')
    .option('--connect-timeout <ms>', 'fail and retry a connection that takes longer', '3000')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('--html <file>', 'also write a self-contained HTML report with charts');
}

export function fleetCommand(io: FleetIo = processIo()): Command {
  const status = withCommonOptions(new Command('status'))
    .description('a row per team: latest execution, each environment stage, a waiting approval, the failing stage')
    .action(action(runStatus, io));
  const metrics = withCommonOptions(new Command('metrics'))
    .description('the four DORA keys per team and for the fleet, with bands from the 2024 Accelerate State of DevOps report')
    .option('--since <when>', 'start of the window: 30d, 12h or an ISO date (inclusive)', '30d')
    .option('--until <iso>', 'end of the window: an ISO date (exclusive; default now)')
    .action(action(runMetrics, io));
  return new Command('fleet')
    .description('delivery status and DORA metrics of every team\'s pipeline, from the CodePipeline API')
    .addCommand(status)
    .addCommand(metrics);
}
