/**
 * The reader role Springboard deploys (springboard-reader) is enough for the portfolio commands and
 * no more than they need: every request the three commands send the local endpoints is authorized
 * by an entry of READER_ACTIONS marked for the fleet, the IAM policy evaluator allows each one on
 * the concrete resource of a synthesized registry, and every fleet entry this view added is used.
 * A mutation test removes one read from the role's policy and shows the proof catches it.
 */
import { READER_ACTIONS, READER_ROLE_NAME } from '../../lib/contract';
import type { PolicyDocument, RoleModel } from '../../lib/escalation/assembly/iam-model';
import { ClientFactory } from '../../lib/fleet/client-factory';
import { collectCost } from '../../lib/fleet/cost/collect';
import { resolvePeriod } from '../../lib/fleet/cost/period';
import { collectScorecard } from '../../lib/fleet/scorecard/collect';
import { collectVulns } from '../../lib/fleet/vulns/collect';
import { portfolioSchema } from '../../lib/registry/schema';
import { fastClient } from '../support/fleet/env';
import { startFakeAws } from '../support/fleet/fake-aws';
import { startFakeCodePipeline } from '../support/fleet/fake-codepipeline';
import { generatePortfolio } from '../support/fleet/portfolio-generator';
import { synthesizePlatform } from '../support/iam/platform';
import { identityPoliciesOf, simulate } from '../support/iam/simulate';
import { DEV_ACCOUNT, TOOLING_ACCOUNT, registry, team } from '../support/registry-fixtures';

const NOW = new Date('2026-11-20T12:00:00Z');
/** The reads this view added to READER_ACTIONS (the CodePipeline reads came with fleet metrics). */
const PORTFOLIO_READS = [
  'budgets:ViewBudget', 'ce:GetCostAndUsage', 'cloudwatch:DescribeAlarms', 'ecr:DescribeImageScanFindings', 'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition', 'ssm:DescribeParameters',
];

/** The resource each read touches for team `a` (`*` for actions without a resource type). */
function resourceOf(action: string): { arn: string; account: string } {
  const arns: Record<string, { arn: string; account: string }> = {
    'ecs:DescribeServices': { arn: `arn:aws:ecs:us-east-1:${DEV_ACCOUNT}:service/springboard-a-dev/springboard-a-dev`, account: DEV_ACCOUNT },
    'ecr:DescribeImageScanFindings': { arn: `arn:aws:ecr:us-east-1:${TOOLING_ACCOUNT}:repository/springboard/a`, account: TOOLING_ACCOUNT },
    'budgets:ViewBudget': { arn: `arn:aws:budgets::${DEV_ACCOUNT}:budget/springboard-a`, account: DEV_ACCOUNT },
  };
  if (action.startsWith('codepipeline:')) return { arn: `arn:aws:codepipeline:us-east-1:${TOOLING_ACCOUNT}:springboard-a`, account: TOOLING_ACCOUNT };
  return arns[action] ?? { arn: '*', account: DEV_ACCOUNT };
}

let sent: string[];
const { model } = synthesizePlatform(registry([team('a')]));
const readerIn = (account: string): RoleModel => model.roles.find((r) => r.name === READER_ROLE_NAME && r.account === account)!;

beforeAll(async () => {
  const generated = generatePortfolio(6, NOW);
  const pipelines = await startFakeCodePipeline(generated.pipelines);
  const aws = await startFakeAws(generated.state, { codePipelineUrl: pipelines.url, findingsPageSize: 50 });
  const factory = new ClientFactory(fastClient(aws.url, { region: undefined }));
  try {
    const window = { since: new Date(NOW.getTime() - 30 * 86_400_000), until: NOW };
    await collectScorecard(generated.portfolio, factory, { now: NOW, window, thresholds: portfolioSchema.parse({}), templatesVersion: '0.1.0', assembly: '/nonexistent' });
    await collectVulns(generated.portfolio, factory, { now: NOW, criticalMaxAgeDays: 15 });
    await collectCost(generated.portfolio, factory, resolvePeriod('2026-10', NOW));
    sent = Object.keys(aws.stats.byAction).sort();
  } finally {
    factory.destroy();
    await aws.close();
    await pipelines.close();
  }
}, 120_000);

async function denied(actions: readonly string[], identity?: PolicyDocument): Promise<string[]> {
  const out: string[] = [];
  for (const action of actions) {
    const { arn, account } = resourceOf(action);
    const role = readerIn(account);
    const { decision } = await simulate(model, { role, action, resource: { arn, account }, identityPolicies: identity ? [identity] : undefined });
    if (decision !== 'Allowed') out.push(`${action}: ${decision}`);
  }
  return out;
}

test('every request of scorecard, vulns and cost is a fleet entry of READER_ACTIONS, and each portfolio entry is used', () => {
  const fleetReads = new Set(READER_ACTIONS.filter((a) => a.usedBy.includes('fleet')).map((a) => a.action));
  expect(sent.filter((a) => !fleetReads.has(a))).toEqual([]);
  expect(PORTFOLIO_READS.filter((a) => !sent.includes(a))).toEqual([]);
  expect(sent).toEqual(expect.arrayContaining(['codepipeline:GetPipeline', 'codepipeline:ListActionExecutions']));
});

test('the evaluator allows each of those requests to the reader on its resource, in the tooling and the environment accounts', async () => {
  expect(await denied(sent)).toEqual([]);
});

test('mutation: the reader\'s policy without ecr:DescribeImageScanFindings fails the proof', async () => {
  const role = readerIn(TOOLING_ACCOUNT);
  const statements = identityPoliciesOf(model, role).flatMap((p) => p.policy.Statement);
  const without = (s: Record<string, unknown>): Record<string, unknown> => {
    const actions = ([] as string[]).concat(s.Action as string | string[]).filter((a) => a !== 'ecr:DescribeImageScanFindings');
    return { ...s, Action: actions };
  };
  const broken: PolicyDocument = { Version: '2012-10-17', Statement: statements.map(without).filter((s) => (s.Action as string[]).length > 0) };
  expect(await denied(['ecr:DescribeImageScanFindings'], broken)).toEqual(['ecr:DescribeImageScanFindings: ImplicitlyDenied']);
});
