/**
 * The plan against CodePipeline's quotas at 200 generated teams, and the order of its stages:
 * the broadening check and an approval before every prod wave and before anything reaches the tooling account.
 */
import { fleet } from './fleet';
import {
  CODEPIPELINE_QUOTAS, deployersByStack, planPlatformPipelines, PlanError, PlannedPipeline, PlatformPlan,
  baselineTargets, portfolioTarget, prodAccounts, projectFor, teamTargets, unapprovedProdActions,
} from '../../lib/platform-pipeline';
import { MAX_WAVE_WIDTH } from '../../lib/registry/schema';

const deployActions = (p: PlannedPipeline) => p.stages.flatMap(s => s.actions).filter(a => a.kind === 'deploy');

describe('at 200 teams', () => {
  const reg = fleet(200);
  const plan: PlatformPlan = planPlatformPipelines(reg);

  test('every pipeline is within the quotas, and all of them together within the region\'s', () => {
    for (const p of plan.pipelines) {
      expect(p.stages.length).toBeLessThanOrEqual(CODEPIPELINE_QUOTAS.stagesPerPipeline);
      for (const s of p.stages) {
        expect(s.actions.length).toBeLessThanOrEqual(CODEPIPELINE_QUOTAS.actionsPerStage);
        expect(new Set(s.actions.map(a => a.name)).size).toBe(s.actions.length);
      }
    }
    // 200 team platform pipelines, the platform pipeline, and 200 team delivery pipelines.
    expect(plan.quota.pipelines).toMatchObject({ platform: 201, teamDelivery: 200, used: 401, limit: 1000 });
    expect(plan.quota.pipelines.used).toBeLessThanOrEqual(CODEPIPELINE_QUOTAS.pipelinesPerRegion);
    expect(plan.quota.actionsPerStage.used).toBeLessThanOrEqual(MAX_WAVE_WIDTH);
    expect(plan.quota.maxTeams).toBe(499);
  });

  test('no pipeline polls: the platform pipeline runs on a push, the team pipelines when the platform pipeline starts them', () => {
    expect(plan.quota.pollingPipelines.used).toBe(0);
    expect(plan.pipelines.filter(p => p.trigger === 'push').map(p => p.name)).toEqual(['springboard--platform']);
    expect(plan.pipelines.filter(p => p.trigger === 'release')).toHaveLength(200);
  });

  test('every stack of every team, every baseline and the fleet-wide stacks is deployed by exactly one pipeline, a team\'s by its own', () => {
    const deployers = deployersByStack(plan);
    const expected = [...baselineTargets(reg), portfolioTarget(reg), ...reg.teams.flatMap(t => teamTargets(reg, t))];
    expect(deployers.size).toBe(expected.length);
    for (const target of expected) {
      expect(deployers.get(target.artifactId)).toEqual([target.team ? `springboard--platform--${target.team}` : 'springboard--platform']);
    }
  });

  test('each team pipeline builds and deploys only its own team', () => {
    for (const p of plan.pipelines.filter(x => x.team)) {
      expect(p.synthTeams).toEqual([p.team]);
      expect(new Set(deployActions(p).map(a => a.target!.team))).toEqual(new Set([p.team]));
    }
  });

  test('waves are at most the configured width and a baseline comes after its account\'s home-region baseline', () => {
    const platform = plan.pipelines[0];
    const order = new Map<string, number>();
    platform.stages.forEach((s, i) => s.actions.forEach(a => a.target && order.set(a.target.artifactId, i)));
    for (const s of platform.stages.filter(x => /Baselines\d+$/.test(x.name))) expect(s.actions.length).toBeLessThanOrEqual(10);
    for (const a of deployActions(platform)) {
      for (const dep of a.target!.dependsOn) expect(order.get(dep)!).toBeLessThan(order.get(a.target!.artifactId)!);
    }
  });

  test('a wider wave gives fewer stages', () => {
    const wide = planPlatformPipelines(fleet(200, 25));
    expect(wide.pipelines[0].stages.length).toBeLessThan(plan.pipelines[0].stages.length);
    expect(wide.quota.actionsPerStage.used).toBe(25);
  });
});

describe('stage order', () => {
  const plan = planPlatformPipelines(fleet(12));

  test('the platform pipeline deploys non-prod baselines, then reviews, then updates itself and the team pipelines (tooling), and releases last', () => {
    const names = plan.pipelines[0].stages.map(s => s.name);
    expect(names.slice(0, 2)).toEqual(['Source', 'Synth']);
    const review = names.indexOf('ReviewProd');
    expect(names.slice(2, review).every(n => /^Baselines\d+$/.test(n))).toBe(true);
    expect(names.slice(review, review + 3)).toEqual(['ReviewProd', 'UpdatePipeline', 'UpdateTeamPipelines']);
    expect(names.slice(-2)).toEqual(['FleetWide', 'Release']);
  });

  test('nothing runs in the prod project before an approval, in any pipeline (200 teams)', () => {
    const reg = fleet(200);
    const prod = prodAccounts(reg);
    for (const p of planPlatformPipelines(reg).pipelines) expect(unapprovedProdActions(p, prod)).toEqual([]);
  });

  test('the project of each action: synth, non-prod deploys and the check before the approval; the rest in the prod project', () => {
    const prod = prodAccounts(fleet(12));
    const kinds = (p: PlannedPipeline, project: string) => [...new Set(p.stages.flatMap(s => s.actions)
      .filter(a => projectFor(a, prod) === project).map(a => a.kind))].sort();
    expect(kinds(plan.pipelines[0], 'synth')).toEqual(['synth']);
    expect(kinds(plan.pipelines[0], 'non-prod')).toEqual(['broadening-check', 'deploy']);
    expect(kinds(plan.pipelines[0], 'prod')).toEqual(['deploy', 'record-approved', 'release', 'self-update', 'update-team-pipelines']);
    for (const a of plan.pipelines.flatMap(p => p.stages.flatMap(s => s.actions)).filter(x => x.kind === 'deploy')) {
      expect(projectFor(a, prod)).toBe(prod.has(a.target!.account) ? 'prod' : 'non-prod');
    }
  });

  test('mutation: the self-update moved back before the review is reported, by pipeline, stage and action', () => {
    const platform = plan.pipelines[0];
    const update = platform.stages.find(s => s.name === 'UpdatePipeline')!;
    const moved = { ...platform, stages: [platform.stages[0], platform.stages[1], update, ...platform.stages.slice(2).filter(s => s !== update)] };
    expect(unapprovedProdActions(moved, prodAccounts(fleet(12)))).toEqual(['springboard--platform/UpdatePipeline/SelfUpdate deploys to a prod or the tooling account before any approval']);
  });

  test('a team without a prod environment is still reviewed before its delivery stack (tooling account)', () => {
    const reg = fleet(2);
    const noProd = { ...reg, teams: reg.teams.map(t => ({ ...t, environments: t.environments.filter(e => !e.isProd) })) };
    const p = planPlatformPipelines(noProd).pipelines[1];
    expect(p.stages.map(s => s.name)).toEqual(['Source', 'Synth', 'Dev', 'Staging', 'Review', 'Delivery']);
    expect(unapprovedProdActions(p, prodAccounts(noProd))).toEqual([]);
  });

  test('the broadening check and then an approval precede every prod deploy, in every pipeline', () => {
    for (const p of plan.pipelines) {
      const flat = p.stages.flatMap((s, si) => s.actions.map(a => ({ ...a, at: si * 100 + a.runOrder })));
      const prodDeploys = flat.filter(a => a.kind === 'deploy' && a.target!.prod);
      expect(prodDeploys.length).toBeGreaterThan(0);
      for (const d of prodDeploys) {
        const check = flat.filter(a => a.kind === 'broadening-check' && a.at < d.at);
        const approval = flat.filter(a => a.kind === 'approval' && a.at < d.at);
        expect(check.length).toBeGreaterThan(0);
        expect(approval.length).toBeGreaterThan(0);
        expect(Math.max(...check.map(a => a.at))).toBeLessThan(Math.max(...approval.map(a => a.at)));
        // No non-prod deploy sits between the approval and the prod deploy it guards.
        const between = flat.filter(a => a.kind === 'deploy' && !a.target!.prod && a.at > Math.max(...approval.map(x => x.at)) && a.at < d.at);
        expect(between.filter(a => a.target!.kind !== 'delivery')).toEqual([]);
      }
    }
  });

  test('a team pipeline: environments in promotion order, then its delivery stack', () => {
    expect(plan.pipelines[1].stages.map(s => s.name)).toEqual(['Source', 'Synth', 'Dev', 'Staging', 'Prod', 'Delivery']);
    expect(plan.pipelines[1].stages[4].actions.map(a => a.name)).toEqual(['BroadeningCheck', 'Approve', 'springboard-env-team-000-prod', 'RecordApproved']);
  });
});

describe('limits', () => {
  test('a fleet beyond the pipeline quota is refused with the largest that fits', () => {
    expect(() => planPlatformPipelines(fleet(500))).toThrow(new PlanError('1001 pipelines (501 platform, 500 team delivery) exceed CodePipeline\'s 1000 per region; at most 499 teams fit one tooling region'));
  });

  test('baselines that need more than 50 stages ask for a wider wave', () => {
    expect(() => planPlatformPipelines(fleet(480, 1))).toThrow(/springboard--platform needs \d+ stages, more than CodePipeline's 50: raise pipeline.waveWidth/);
  });

  test('the wave width is bounded by half of a stage\'s actions', () => {
    expect(MAX_WAVE_WIDTH).toBe(CODEPIPELINE_QUOTAS.actionsPerStage / 2);
    expect(() => planPlatformPipelines(fleet(2), { waveWidth: 26 })).toThrow('wave width must be a whole number from 1 to 25; received 26');
  });
});
