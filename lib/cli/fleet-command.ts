/** `springboard fleet status|metrics|scorecard|vulns|cost|portfolio`: a thin shell over lib/fleet. */
import { Command, Option } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { wholeNumber } from './flags';
import { FLEET_READER_ROLE_NAME } from '../contract';
import { DEFAULT_CONCURRENCY } from '../fleet/collect';
import { type RawPortfolioOptions, runCost, runPortfolio, runScorecard, runVulns } from '../fleet/portfolio/run';
import {
  DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, MAX_CONCURRENCY, type RawFleetOptions, runMetrics, runStatus,
} from '../fleet/run';

const MAX_TIMEOUT_MS = 600_000;

/** What the reader options say about the command they are on. */
interface ReaderTexts {
  readonly registry: string;
  readonly endpoint: string;
  readonly concurrency: string;
  readonly html: readonly [flag: string, description: string];
}

/** The options every fleet command shares: registry, credentials, endpoint, pacing, output forms. */
function withReaderOptions(command: Command, texts: ReaderTexts): Command {
  return command
    .option('--registry <dir>', texts.registry, 'teams')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--fips', 'use FIPS endpoints (also AWS_USE_FIPS_ENDPOINT=true)')
    .addOption(new Option('--assume-role [name]', 'assume this read-only role in each account').preset(FLEET_READER_ROLE_NAME))
    .option('--endpoint-url <url>', texts.endpoint)
    .option('--concurrency <n>', `${texts.concurrency} read at once (default ${DEFAULT_CONCURRENCY})`, wholeNumber('--concurrency', 1, MAX_CONCURRENCY))
    .option('--request-timeout <ms>', `fail and retry a request that takes longer (default ${DEFAULT_REQUEST_TIMEOUT_MS})`, wholeNumber('--request-timeout', 1, MAX_TIMEOUT_MS))
    .option('--connect-timeout <ms>', `fail and retry a connection that takes longer (default ${DEFAULT_CONNECT_TIMEOUT_MS})`, wholeNumber('--connect-timeout', 1, MAX_TIMEOUT_MS))
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option(...texts.html);
}

/** `fleet status|metrics`: pipelines in the tooling region, or discovered in one account. */
function withPipelineOptions(command: Command): Command {
  return withReaderOptions(command, {
    registry: 'folder of team YAML files; pipelines are named after its teams',
    endpoint: 'CodePipeline endpoint (also AWS_ENDPOINT_URL_CODEPIPELINE)',
    concurrency: 'pipelines',
    html: ['--html <file>', 'also write a self-contained HTML report with charts'],
  })
    .option('--discover', 'list the account\'s pipelines named by the convention instead of reading the registry')
    .option('--region <region>', 'region of the pipelines (default: the registry\'s tooling region, or the AWS configuration)');
}

/** The portfolio commands: the registry's accounts and regions, one endpoint for every service in tests. */
function withPortfolioOptions(command: Command): Command {
  return withReaderOptions(command, {
    registry: 'folder of team YAML files: teams, program offices, accounts, budgets',
    endpoint: 'one endpoint for every service (otherwise AWS_ENDPOINT_URL_<SERVICE>)',
    concurrency: 'teams',
    html: ['--html <dir>', 'also write an index and one page per program office into this folder (docs/portfolio.md)'],
  });
}

const windowOptions = (command: Command, what: string): Command => command
  .option('--since <when>', `start of the ${what} window: 30d, 12h or an ISO date (inclusive)`, '30d')
  .option('--until <iso>', `end of the ${what} window: an ISO date (exclusive; default now)`);

const assemblyOption = (command: Command): Command => command
  .option('--assembly <dir>', 'cloud assembly with the compliance report (accepted findings)', 'cdk.out');

const monthOption = (command: Command): Command => command
  .option('--month <yyyy-mm>', 'calendar month (UTC) of the cost; default the current one, to date');

export function fleetCommand(context: CommandContext): Command {
  const settings = { defaultRole: FLEET_READER_ROLE_NAME, clientOverrides: context.settings.fleetClient };
  const status = withPipelineOptions(new Command('status'))
    .description('a row per team: latest execution, each environment stage, a waiting approval, the failing stage')
    .action(exitingWith(context, (options: RawFleetOptions) => runStatus(options, context.io, settings)));
  const metrics = windowOptions(withPipelineOptions(new Command('metrics')), 'DORA')
    .description('the four DORA keys per team and for the fleet, with bands from the 2024 Accelerate State of DevOps report')
    .action(exitingWith(context, (options: RawFleetOptions) => runMetrics(options, context.io, settings)));
  const scorecard = assemblyOption(windowOptions(withPortfolioOptions(new Command('scorecard')), 'DORA'))
    .description('a row per team and a roll-up per program office: DORA, template currency, last prod release, accepted findings, alarms, budget, critical vulnerabilities')
    .action(exitingWith(context, (options: RawPortfolioOptions) => runScorecard(options, context.io, settings)));
  const vulns = withPortfolioOptions(new Command('vulns'))
    .description('the image digest each environment runs and its ECR scan findings; exit 1 when a prod critical is older than the policy allows')
    .action(exitingWith(context, (options: RawPortfolioOptions) => runVulns(options, context.io, settings)));
  const cost = monthOption(withPortfolioOptions(new Command('cost')))
    .description('Cost Explorer cost per team, environment and program office against budgets, untagged cost on its own line')
    .action(exitingWith(context, (options: RawPortfolioOptions) => runCost(options, context.io, settings)));
  const portfolio = monthOption(assemblyOption(windowOptions(withPortfolioOptions(new Command('portfolio')), 'DORA')))
    .description('scorecard, images running in prod and cost in one pass (each team read once); --html DIR writes one page per program office')
    .action(exitingWith(context, (options: RawPortfolioOptions) => runPortfolio(options, context.io, settings)));
  return new Command('fleet')
    .description('delivery status, DORA metrics and the portfolio view (scorecard, vulnerabilities, cost, all three per program office) of every team')
    .addCommand(status)
    .addCommand(metrics)
    .addCommand(scorecard)
    .addCommand(vulns)
    .addCommand(cost)
    .addCommand(portfolio);
}
