import { Match } from 'aws-cdk-lib/assertions';
import { baselineStack } from './helpers';

describe('TeamPermissionsBoundary', () => {
  const { template, json } = baselineStack();
  const policy = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).find(p => p.Properties.ManagedPolicyName === 'springboard-team-boundary');
  const statements: any[] = policy.Properties.PolicyDocument.Statement;
  const bySid = (sid: string) => statements.find(s => s.Sid === sid);

  test('is the managed policy named in the platform settings', () => {
    expect(policy.Properties.ManagedPolicyName).toBe('springboard-team-boundary');
  });

  test('denies acting on resources of another team', () => {
    expect(bySid('DenyOtherTeamsResources')).toMatchObject({
      Effect: 'Deny',
      Resource: '*',
      Condition: {
        Null: { 'aws:PrincipalTag/Team': 'false', 'aws:ResourceTag/Team': 'false' },
        StringNotEquals: { 'aws:ResourceTag/Team': '${aws:PrincipalTag/Team}' },
      },
    });
  });

  test('denies changing or removing the Team and ManagedBy tags, on every action', () => {
    expect(bySid('DenyTeamTagChanges')).toEqual({
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Sid: 'DenyTeamTagChanges',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Team'] }, 'StringNotEquals': { 'aws:RequestTag/Team': '${aws:PrincipalTag/Team}' } },
    });
    expect(bySid('DenyManagedByTagChanges').Condition).toEqual({
      'ForAnyValue:StringEquals': { 'aws:TagKeys': ['ManagedBy'] }, 'StringNotEquals': { 'aws:RequestTag/ManagedBy': 'springboard' },
    });
  });

  test('denies creating resources without the principal\'s own Team tag', () => {
    const s = bySid('DenyCreateWithoutOwnTeamTag');
    expect(s.Action).toEqual(expect.arrayContaining(['ecs:Create*', 'logs:CreateLogGroup', 'rds:Create*', 's3:CreateBucket']));
    expect(s.Condition).toEqual({ StringNotEquals: { 'aws:RequestTag/Team': '${aws:PrincipalTag/Team}' } });
    expect(bySid('DenyUpsertOfOthers').Condition).toEqual({
      StringNotEquals: { 'aws:RequestTag/Team': '${aws:PrincipalTag/Team}', 'aws:ResourceTag/Team': '${aws:PrincipalTag/Team}' },
    });
  });

  test('denies every IAM write, and roles of anyone but the team, and CDK\'s bootstrap resources', () => {
    expect(bySid('DenyIamWrites')).toMatchObject({ Effect: 'Deny', Resource: '*', Action: expect.arrayContaining(['iam:Create*', 'iam:Put*', 'iam:Delete*', 'iam:Update*']) });
    expect(bySid('DenyRolesOfOthers')).toMatchObject({ Effect: 'Deny', Action: ['iam:PassRole', 'sts:AssumeRole', 'sts:TagSession'] });
    expect(JSON.stringify(bySid('DenyBootstrapResources').Resource)).toContain(':iam::*:role/cdk-*');
    expect(bySid('DenyBackup')).toMatchObject({ Effect: 'Deny', Action: 'backup:*' });
  });

  test('allows named services, never every action', () => {
    const allows = statements.filter(s => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Action).not.toContain('*');
    expect(allows[0].Action).toEqual(expect.arrayContaining(['ecs:*', 'logs:*', 'rds-db:connect']));
    expect(allows[0].Action.filter((a: string) => /^(iam:(Create|Put|Attach|Update|Delete|Tag|Untag)|cloudformation:|backup:)/.test(a))).toEqual([]);
  });

  test('protects the shared vault and log archive from teams', () => {
    expect(JSON.stringify(bySid('DenyPlatformResourceChanges').Resource)).toContain('springboard-logs-*-*');
  });

  test('the baseline\'s own roles are the platform\'s: they carry the platform boundary, which denies IAM writes and role chaining', () => {
    template.allResourcesProperties('AWS::IAM::Role', { PermissionsBoundary: { Ref: Match.stringLikeRegexp('^PlatformBoundary') } });
    const platform = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).find(p => p.Properties.ManagedPolicyName === 'springboard-platform-boundary');
    expect(platform.Properties.PolicyDocument.Statement.map((st: any) => st.Sid)).toEqual(['AllowPlatformServices', 'DenyIamWrites', 'DenyRoleChaining']);
    expect(Object.keys(json.Resources).length).toBeGreaterThan(0);
  });

  test('only the account\'s home baseline creates it; the others reference it by name', () => {
    const other = baselineStack({ createsBoundary: false, region: 'us-west-2' });
    other.template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    other.template.allResourcesProperties('AWS::IAM::Role', {
      PermissionsBoundary: 'arn:aws:iam::222222222222:policy/springboard-platform-boundary',
    });
  });
});
