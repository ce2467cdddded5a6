import { ResolveContext, UnresolvedIntrinsicError, resolveIntrinsics } from '../../lib/escalation/assembly/intrinsics';
import { resolveContextOf } from '../../lib/escalation/assembly/physical';

const ctx: ResolveContext = {
  partition: 'aws-us-gov',
  account: '222222222222',
  region: 'us-gov-west-1',
  stackName: 'springboard-env-a-dev',
  refs: { Bucket: 'my-bucket' },
  attributes: { 'Key.Arn': 'arn:aws-us-gov:kms:us-gov-west-1:222222222222:key/k' },
};

describe('resolveIntrinsics', () => {
  test('pseudo parameters, Ref, GetAtt (both forms), Join, Sub with and without variables, Select and Split', () => {
    expect(resolveIntrinsics({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']] }, ctx))
      .toBe('arn:aws-us-gov:s3:::my-bucket/*');
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['Key', 'Arn'] }, ctx)).toBe(ctx.attributes['Key.Arn']);
    expect(resolveIntrinsics({ 'Fn::GetAtt': 'Key.Arn' }, ctx)).toBe(ctx.attributes['Key.Arn']);
    expect(resolveIntrinsics({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}-${!Literal}' }, { ...ctx, refs: { Name: 'r' } }))
      .toBe('arn:aws-us-gov:iam::222222222222:role/r-${Literal}');
    expect(resolveIntrinsics({ 'Fn::Sub': ['${K}/${AWS::Region}', { K: { 'Fn::GetAtt': ['Key', 'Arn'] } }] }, ctx)).toBe(`${ctx.attributes['Key.Arn']}/us-gov-west-1`);
    expect(resolveIntrinsics({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] }, ctx)).toBe('b');
    expect(resolveIntrinsics({ Statement: [{ Resource: [{ Ref: 'Bucket' }, '*'] }] }, ctx)).toEqual({ Statement: [{ Resource: ['my-bucket', '*'] }] });
  });

  test('anything unresolvable throws instead of leaving a token in a policy', () => {
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, ctx)).toThrow(UnresolvedIntrinsicError);
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Key', 'Nope'] }, ctx)).toThrow(/Key\.Nope has no known value/);
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'x' }, ctx)).toThrow(/Fn::ImportValue is not supported/);
  });

  test('physical values: explicit names are kept, generated ones differ per stack, SSM parameters stay distinct', () => {
    const template = {
      Parameters: { Tag: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/springboard/a/dev/release' } },
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'springboard-a-dev-deploy' } },
        Bucket: { Type: 'AWS::S3::Bucket' },
        Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '/x/${AWS::Region}' } } },
      },
    };
    const a = resolveContextOf(template, { partition: 'aws', account: '1', region: 'us-east-1', stackName: 'springboard-env-a-dev' });
    const b = resolveContextOf(template, { partition: 'aws', account: '1', region: 'us-east-1', stackName: 'springboard-env-b-dev' });
    expect(a.attributes['Role.Arn']).toBe('arn:aws:iam::1:role/springboard-a-dev-deploy');
    expect(a.attributes['Group.Arn']).toBe('arn:aws:logs:us-east-1:1:log-group:/x/us-east-1:*');
    expect(a.refs.Bucket).not.toBe(b.refs.Bucket);
    expect(a.refs.Bucket).toMatch(/^springboard-env-a-dev-bucket-[0-9a-f]{12}$/);
    expect(a.refs.Tag).toBe('value-of:/springboard/a/dev/release');
  });
});
