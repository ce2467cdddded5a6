/** The prod change-set step construct: order of its commands, whom it may assume, validation. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Artifact, Pipeline } from 'aws-cdk-lib/aws-codepipeline';
import { S3SourceAction } from 'aws-cdk-lib/aws-codepipeline-actions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { ChangeSetStep, changeSetBuildSpec } from '../../lib/delivery';
import { PROD_ACCOUNT, TOOLING_ACCOUNT } from '../support/registry-fixtures';

function build() {
  const stack = new Stack(createApp(), 'Platform', { env: { account: TOOLING_ACCOUNT, region: 'us-east-1' } });
  const step = new ChangeSetStep(stack, 'ProdStep', { key: new Key(stack, 'Key'), logRetention: RetentionDays.ONE_YEAR, targetAccounts: [PROD_ACCOUNT] });
  const source = new Artifact('Source');
  const pipeline = new Pipeline(stack, 'Pipeline', { artifactBucket: new Bucket(stack, 'Artifacts', { encryptionKey: new Key(stack, 'ArtifactKey') }) });
  pipeline.addStage({ stageName: 'Source', actions: [new S3SourceAction({ actionName: 'Source', bucket: new Bucket(stack, 'Src'), bucketKey: 'k', output: source })] });
  pipeline.addStage({ stageName: 'ProdWave1', actions: [step.action({ stackName: 'springboard-env-pay-prod', account: PROD_ACCOUNT, region: 'us-west-2', input: source })] });
  return { step, template: Template.fromStack(stack).toJSON() };
}

const { step, template } = build();
const script = (changeSetBuildSpec() as any).phases.build.commands[0] as string;

test('creates the change set, inspects it, deletes it and stops when blocked, else executes; then turns termination protection on', () => {
  const at = (s: string) => {
    const i = script.indexOf(s);
    expect({ s, found: i >= 0 }).toEqual({ s, found: true });
    return i;
  };
  expect(at('--method=prepare-change-set')).toBeLessThan(at('springboard changeset inspect'));
  expect(at('springboard changeset inspect')).toBeLessThan(at('delete-change-set'));
  expect(at('delete-change-set')).toBeLessThan(at('execute-change-set'));
  expect(at('execute-change-set')).toBeLessThan(at('update-termination-protection --enable-termination-protection'));
  expect(script).toContain('--registry "$REGISTRY_DIRECTORY"');
});

test('the action passes the stack, its region and the target account\'s CDK deploy role', () => {
  const pipeline = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::CodePipeline::Pipeline').Properties;
  const action = pipeline.Stages[1].Actions[0];
  expect(action.Name).toBe('Deploy-springboard-env-pay-prod');
  expect(JSON.parse(action.Configuration.EnvironmentVariables)).toEqual([
    { name: 'STACK_NAME', type: 'PLAINTEXT', value: 'springboard-env-pay-prod' },
    { name: 'TARGET_REGION', type: 'PLAINTEXT', value: 'us-west-2' },
    { name: 'DEPLOY_ROLE_ARN', type: 'PLAINTEXT', value: `arn:aws:iam::${PROD_ACCOUNT}:role/cdk-hnb659fds-deploy-role-${PROD_ACCOUNT}-us-west-2` },
  ]);
});

test('its role may assume only the target accounts\' bootstrap deploy and publishing roles', () => {
  const statements = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::IAM::Policy')
    .flatMap(p => p.Properties.PolicyDocument.Statement).filter((s: any) => s.Sid === 'AssumeBootstrapRoles');
  const resources = statements.flatMap((s: any) => [s.Resource].flat()).map((r: unknown) => JSON.stringify(r));
  expect(resources).toHaveLength(3);
  for (const r of resources) expect(r).toMatch(new RegExp(`:iam::${PROD_ACCOUNT}:role/cdk-hnb659fds-(deploy|file-publishing|image-publishing)-role-${PROD_ACCOUNT}-\\*`));
});

test('refuses accounts it was not given and bad settings', () => {
  expect(() => step.action({ stackName: 's', account: '444444444444', region: 'us-east-1', input: new Artifact('X') }))
    .toThrow(`change-set step cannot deploy s to 444444444444: expected one of its targetAccounts ${PROD_ACCOUNT}`);
  const stack = new Stack();
  expect(() => new ChangeSetStep(stack, 'A', { key: new Key(stack, 'K'), logRetention: RetentionDays.ONE_YEAR, targetAccounts: [] }))
    .toThrow('change-set step targetAccounts must be 12-digit accounts, received []');
  expect(() => new ChangeSetStep(stack, 'B', { key: new Key(stack, 'K2'), logRetention: RetentionDays.ONE_YEAR, targetAccounts: [PROD_ACCOUNT], bootstrapQualifier: 'Bad!' }))
    .toThrow('bootstrapQualifier must be 1-10 lower-case letters or digits, received "Bad!"');
});
