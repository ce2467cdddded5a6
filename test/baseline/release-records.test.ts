/**
 * Release records: one list-driven custom resource per baseline (constant resource count in the
 * number of teams), and its function run against a mocked SSM client: creates missing records as
 * unreleased with the team's tag, never overwrites one, and fails loudly on anything unexpected.
 */
import { AddTagsToResourceCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { baselineStack } from './helpers';
import { RELEASE_RECORDS_HANDLER_DIR, RELEASE_RECORDS_RESOURCE_TYPE, ReleaseRecordSpec, UNRELEASED_VALUE } from '../../lib/baseline';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlerModule = require(RELEASE_RECORDS_HANDLER_DIR) as {
  handler: (event: unknown, deps?: { client?: SSMClient }) => Promise<{ PhysicalResourceId: string; Data: Record<string, string> }>;
  UNRELEASED_VALUE: string;
};

const tagsOf = (teamId: string, environment: string) => ({ Team: teamId, Environment: environment, ManagedBy: 'springboard', CostCenter: 'CC-1' });
const specs = (teams: number): ReleaseRecordSpec[] => Array.from({ length: teams }, (_, i) => `team-${String(i).padStart(3, '0')}`)
  .flatMap(teamId => ['dev', 'staging'].map(environment => ({ teamId, environment, tags: tagsOf(teamId, environment) })));

const resourcesOf = (json: Record<string, any>, type?: string) => Object.entries(json.Resources as Record<string, any>)
  .filter(([, r]) => type === undefined || r.Type === type);

describe('the release records of a baseline', () => {
  const small = baselineStack({ releaseRecords: specs(3) });
  const large = baselineStack({ releaseRecords: specs(300) });

  test('are one custom resource whatever the team count: 3 and 300 teams give the same resource count', () => {
    expect(resourcesOf(large.json)).toHaveLength(resourcesOf(small.json).length);
    expect(resourcesOf(large.json, RELEASE_RECORDS_RESOURCE_TYPE)).toHaveLength(1);
    const [, records] = resourcesOf(large.json, RELEASE_RECORDS_RESOURCE_TYPE)[0];
    expect(records.Properties.Records).toHaveLength(600);
    // Each record carries its team's tags, sorted by key: the boundary refuses every other team on it.
    expect(records.Properties.Records[0]).toEqual({
      Name: '/springboard/team-000/dev/release',
      Team: 'team-000',
      Environment: 'dev',
      Tags: { CostCenter: 'CC-1', Environment: 'dev', ManagedBy: 'springboard', Team: 'team-000' },
    });
    expect(Object.keys(records.Properties.Records[0].Tags)).toEqual(['CostCenter', 'Environment', 'ManagedBy', 'Team']);
    // Kept on deletion: the records outlive the baseline.
    expect(records.DeletionPolicy).toBe('Retain');
  });

  test('a record whose tags name another team is refused at synth', () => {
    expect(() => baselineStack({ region: 'us-west-2', releaseRecords: [{ teamId: 'a', environment: 'dev', tags: tagsOf('b', 'dev') }] }))
      .toThrow('release record of a/dev must be tagged Team=a and ManagedBy=springboard');
  });

  test('keep the construct id of the log group (no replacement of the kept logs)', () => {
    expect(small.stack.releaseRecords!.node.findChild('Logs').node.path).toBe('baseline/ReleaseRecords/Logs');
  });

  test('the function may put and tag release records only, and never overwrite one', () => {
    const statements = functionStatements(small.json);
    expect(refusesOverwrite(statements)).toBe(true);
    expect([...new Set(statements.flatMap(s => [s.Action].flat()))].sort()).toEqual(['ssm:AddTagsToResource', 'ssm:PutParameter']);
    expect(statements.flatMap(s => [s.Resource].flat()).map(r => JSON.stringify(r))).toEqual([expect.stringContaining(':parameter/springboard/*/*/release')]);
  });

  test('mutation: without the overwrite condition the check fails', () => {
    const mutated = functionStatements(small.json).map(s => ({ ...s, Condition: undefined }));
    expect(refusesOverwrite(mutated)).toBe(false);
  });

  test('the function\'s role carries the permissions boundary', () => {
    const roles = resourcesOf(small.json, 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(0);
    for (const [, role] of roles) expect(JSON.stringify(role.Properties.PermissionsBoundary)).toMatch(/PlatformBoundary|springboard-platform-boundary/);
  });
});

/** Statements of the policies attached to the records function's role. */
function functionStatements(json: Record<string, any>): any[] {
  const [fnId, fn] = resourcesOf(json, 'AWS::Lambda::Function').find(([, f]) => String(f.Properties.Description ?? '').includes('release records'))!;
  expect(fnId).toBeDefined();
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(json, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('ssm:')));
}

/** Every statement that allows a put refuses a put with Overwrite=true. */
function refusesOverwrite(statements: any[]): boolean {
  return statements.filter(s => s.Effect === 'Allow' && [s.Action].flat().includes('ssm:PutParameter'))
    .every(s => s.Condition?.StringNotEquals?.['ssm:Overwrite'] === 'true');
}

describe('the release-records function (mocked SSM)', () => {
  const ssm = mockClient(SSMClient);
  const client = new SSMClient({ region: 'us-east-1' });
  beforeEach(() => ssm.reset());

  const event = (requestType: string, names: string[], old?: string[]) => ({
    RequestType: requestType,
    PhysicalResourceId: requestType === 'Create' ? undefined : 'baseline-release-records',
    ResourceProperties: { RecordSetId: 'baseline-release-records', Records: names.map(entry) },
    OldResourceProperties: old ? { Records: old.map(entry) } : undefined,
  });

  test('on create, puts every record as unreleased, never overwriting, tagged with its team', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const result = await handlerModule.handler(event('Create', ['a/dev', 'a/prod', 'b/dev']), { client });
    const puts = ssm.commandCalls(PutParameterCommand).map(c => c.args[0].input);
    expect(puts.map(p => p.Name).sort()).toEqual(['/springboard/a/dev/release', '/springboard/a/prod/release', '/springboard/b/dev/release']);
    for (const p of puts) {
      expect(p).toMatchObject({ Value: UNRELEASED_VALUE, Type: 'String', Overwrite: false });
      const [, , team, env] = p.Name!.split('/');
      expect(p.Tags).toEqual([{ Key: 'Environment', Value: env }, { Key: 'ManagedBy', Value: 'springboard' }, { Key: 'Team', Value: team }]);
    }
    expect(result).toEqual({ PhysicalResourceId: 'baseline-release-records', Data: { Created: '3', Existed: '0' } });
    expect(handlerModule.UNRELEASED_VALUE).toBe(UNRELEASED_VALUE);
  });

  test('a record that exists keeps its value (the team\'s release) and only gets its tags', async () => {
    ssm.on(PutParameterCommand, { Name: '/springboard/a/dev/release' })
      .rejects(Object.assign(new Error('exists'), { name: 'ParameterAlreadyExists' }))
      .on(PutParameterCommand, { Name: '/springboard/b/dev/release' }).resolves({ Version: 1 });
    ssm.on(AddTagsToResourceCommand).resolves({});
    const result = await handlerModule.handler(event('Create', ['a/dev', 'b/dev']), { client });
    expect(ssm.commandCalls(PutParameterCommand).every(c => c.args[0].input.Overwrite === false)).toBe(true);
    expect(ssm.commandCalls(AddTagsToResourceCommand).map(c => c.args[0].input)).toEqual([
      {
        ResourceType: 'Parameter',
        ResourceId: '/springboard/a/dev/release',
        Tags: [{ Key: 'Environment', Value: 'dev' }, { Key: 'ManagedBy', Value: 'springboard' }, { Key: 'Team', Value: 'a' }],
      },
    ]);
    expect(result.Data).toEqual({ Created: '1', Existed: '1' });
  });

  test('on update, ensures only the records added since the last deploy', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await handlerModule.handler(event('Update', ['a/dev', 'c/dev'], ['a/dev']), { client });
    expect(ssm.commandCalls(PutParameterCommand).map(c => c.args[0].input.Name)).toEqual(['/springboard/c/dev/release']);
  });

  test('on delete, touches nothing: records outlive the baseline', async () => {
    const result = await handlerModule.handler(event('Delete', ['a/dev']), { client });
    expect(ssm.calls()).toHaveLength(0);
    expect(result.PhysicalResourceId).toBe('baseline-release-records');
  });

  test('any other error fails the deploy instead of being swallowed', async () => {
    ssm.on(PutParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(handlerModule.handler(event('Create', ['a/dev']), { client })).rejects.toThrow('denied');
    expect(ssm.commandCalls(AddTagsToResourceCommand)).toHaveLength(0);
  });

  test('hundreds of records: each put exactly once', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const names = Array.from({ length: 400 }, (_, i) => `t${i}/dev`);
    const result = await handlerModule.handler(event('Create', names), { client });
    expect(new Set(ssm.commandCalls(PutParameterCommand).map(c => c.args[0].input.Name)).size).toBe(400);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(400);
    expect(result.Data.Created).toBe('400');
  });
});

function entry(teamEnv: string) {
  const [team, env] = teamEnv.split('/');
  return { Name: `/springboard/${team}/${env}/release`, Team: team, Environment: env, Tags: { Team: team, Environment: env, ManagedBy: 'springboard' } };
}
