import { Match } from 'aws-cdk-lib/assertions';
import { baselineStack } from './helpers';

describe('TeamPermissionsBoundary', () => {
  const { template, json } = baselineStack();
  const policy = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))[0];
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

  test('denies changing or removing the Team tag', () => {
    const s = bySid('DenyTeamTagChanges');
    expect(s.Effect).toBe('Deny');
    expect(s.Action).toEqual(expect.arrayContaining(['iam:UntagRole', 'ecs:UntagResource', 'rds:RemoveTagsFromResource', 's3:PutBucketTagging']));
    expect(s.Condition['ForAnyValue:StringEquals']).toEqual({ 'aws:TagKeys': ['Team'] });
  });

  test('denies creating resources without the principal\'s own Team tag', () => {
    const s = bySid('DenyCreateWithoutOwnTeamTag');
    expect(s.Action).toEqual(expect.arrayContaining(['iam:CreateRole', 'ecs:CreateService', 'logs:CreateLogGroup', 'rds:CreateDBInstance']));
    expect(s.Condition).toEqual({ StringNotEquals: { 'aws:RequestTag/Team': '${aws:PrincipalTag/Team}' } });
  });

  test('denies editing or removing the boundary and creating principals without it', () => {
    const boundaryArn = 'arn:aws:iam::222222222222:policy/springboard-team-boundary';
    expect(bySid('DenyBoundaryEdits')).toMatchObject({ Effect: 'Deny', Resource: boundaryArn });
    expect(bySid('DenyBoundaryRemoval').Action).toEqual(['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary']);
    expect(bySid('DenyPrincipalsWithoutBoundary')).toMatchObject({
      Action: expect.arrayContaining(['iam:CreateRole', 'iam:PutRolePermissionsBoundary']),
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    });
  });

  test('allows named services, never every action', () => {
    const allows = statements.filter(s => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Action).not.toContain('*');
    expect(allows[0].Action).toEqual(expect.arrayContaining(['ecs:*', 'logs:*', 'rds-db:connect']));
  });

  test('protects the shared vault and log archive from teams', () => {
    expect(JSON.stringify(bySid('DenyPlatformResourceChanges').Resource)).toContain('springboard-logs-*-*');
  });

  test('is carried by the baseline\'s own roles', () => {
    template.allResourcesProperties('AWS::IAM::Role', { PermissionsBoundary: { Ref: Match.stringLikeRegexp('^TeamBoundary') } });
    expect(Object.keys(json.Resources).length).toBeGreaterThan(0);
  });

  test('only the account\'s home baseline creates it; the others reference it by name', () => {
    const other = baselineStack({ createsBoundary: false, region: 'us-west-2' });
    other.template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    other.template.allResourcesProperties('AWS::IAM::Role', {
      PermissionsBoundary: 'arn:aws:iam::222222222222:policy/springboard-team-boundary',
    });
  });
});
