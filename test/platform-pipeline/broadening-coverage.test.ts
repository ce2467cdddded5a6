/**
 * The broadening check covers everything its approval lets through: every stack a pipeline deploys
 * after its approval (prod stacks, the tooling baseline, the pipeline stacks, the fleet-wide stacks,
 * a team's delivery stacks) is in the subset its check compares, on the example and on 40 teams. A
 * permanent mutation gives the platform pipeline its former selection (baselines only) and the
 * check then names the pipeline stacks it would let through unreviewed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fleet } from './fleet';
import { baselineStackName, PLATFORM_PIPELINE_STACK_NAME, platformStackName, teamPlatformPipelineStackName } from '../../lib/contract';
import { planPlatformPipelines, PlatformPlan, reviewSelection, stacksAfterApproval, subsetArguments } from '../../lib/platform-pipeline';
import { selects, subsetAssembly } from '../../lib/platform-pipeline/steps/subset';
import { loadRegistry } from '../../lib/registry';
import { synthesizePlatform } from '../support/iam/platform';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

type Pipeline = PlatformPlan['pipelines'][number];
type Covers = (pipeline: Pipeline, stackName: string) => boolean;
const coveredByCheck: Covers = (p, name) => selects(reviewSelection(p), name);

/** Stacks a pipeline deploys after its approval that its broadening check does not compare. */
function unreviewed(plan: PlatformPlan, covers: Covers = coveredByCheck): string[] {
  return plan.pipelines.flatMap(p => stacksAfterApproval(p, plan).filter(name => !covers(p, name)).map(name => `${p.name}: ${name}`));
}

const example = loadRegistry(EXAMPLE_REGISTRY);
const examplePlan = planPlatformPipelines(example);
const fortyPlan = planPlatformPipelines(fleet(40));

describe('what the broadening check compares', () => {
  test('every stack deployed after an approval is in the check\'s subset (example and 40 teams)', () => {
    expect(unreviewed(examplePlan)).toEqual([]);
    expect(unreviewed(fortyPlan)).toEqual([]);
  });

  test('the platform pipeline\'s approval lets through the pipeline stacks and the tooling baseline, and its check covers them', () => {
    const platform = examplePlan.pipelines[0];
    const after = stacksAfterApproval(platform, examplePlan);
    const tooling = example.platform.tooling;
    expect(after).toEqual(expect.arrayContaining([
      PLATFORM_PIPELINE_STACK_NAME, teamPlatformPipelineStackName('benefits-screener'),
      baselineStackName(tooling.account, tooling.region), platformStackName('portfolio'),
    ]));
    expect(subsetArguments(reviewSelection(platform))).toBe('--platform');
  });

  test('a team pipeline\'s check covers its delivery stacks in the tooling account and its prod environment, and no other team\'s', () => {
    const team = fortyPlan.pipelines[1];
    const selection = reviewSelection(team);
    expect(stacksAfterApproval(team, fortyPlan)).toEqual(['springboard-env-team-000-prod', 'springboard-delivery-team-000', 'springboard-delivery-team-000']);
    expect(selects(selection, 'springboard-env-team-001-prod')).toBe(false);
    expect(selects(selection, PLATFORM_PIPELINE_STACK_NAME)).toBe(false);
  });

  test('mutation: the platform pipeline\'s former selection (baselines only) leaves the pipeline stacks and the portfolio unreviewed, and is named', () => {
    const baselinesOnly: Covers = (p, name) => (p.team ? coveredByCheck(p, name) : name.startsWith('springboard-baseline-'));
    expect(unreviewed(examplePlan, baselinesOnly)).toEqual([
      `springboard--platform: ${PLATFORM_PIPELINE_STACK_NAME}`,
      `springboard--platform: ${teamPlatformPipelineStackName('benefits-screener')}`,
      `springboard--platform: ${platformStackName('portfolio')}`,
    ]);
  });
});

describe('the subset the check compares, cut from the synthesized example', () => {
  const { directory } = synthesizePlatform(example);
  const out = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `springboard-subset-${name}-`));

  test('the platform selection keeps the baselines and the tooling account\'s fleet-wide stacks, no team stack', () => {
    const kept = subsetAssembly(directory, { platform: true }, out('platform'));
    expect(kept).toEqual(expect.arrayContaining([
      PLATFORM_PIPELINE_STACK_NAME, teamPlatformPipelineStackName('benefits-screener'), platformStackName('portfolio'), 'springboard-baseline-111111111111-us-east-1',
    ]));
    expect(kept.filter(k => /^springboard-(env|delivery)-/.test(k))).toEqual([]);
  });

  test('a team selection keeps its environments and delivery stack only', () => {
    expect(subsetAssembly(directory, { team: 'benefits-screener' }, out('team')).sort()).toEqual([
      'springboard-delivery-benefits-screener', 'springboard-env-benefits-screener-dev', 'springboard-env-benefits-screener-prod', 'springboard-env-benefits-screener-staging',
    ]);
  });
});
