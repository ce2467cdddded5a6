import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addOpenBucket } from './support';
import { acknowledge, acknowledgmentsInResource, guardCatalog } from '../../lib/compliance';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { ACKNOWLEDGMENT_METADATA_KEY } from '../../lib/contract/naming';

const REASON = 'Public website content; CloudFront serves it and the bucket holds no personal data.';

function bucketStack() {
  const stack = new Stack(createApp(), 'Acks');
  return { stack, bucket: addOpenBucket(stack) };
}

describe('acknowledge', () => {
  test.each([
    ['n/a', /placeholder "n\/a"/],
    ['False positive.', /placeholder/],
    ['too short', /at least 20 characters/],
    ['', /at least 20 characters/],
  ])('rejects the reason %j', (reason, message) => {
    const { bucket } = bucketStack();
    expect(() => acknowledge(bucket, 'AwsSolutions-S1', reason)).toThrow(message);
    expect(() => acknowledge(bucket, 'AwsSolutions-S1', reason)).toThrow(/acknowledge\(Acks\/OpenBucket, "AwsSolutions-S1"\): reason:/);
  });

  test.each(['Foo-1', 'S1', 'CT.S3.PR.99', 'Springboard-TemplateNotEvaluated'])('rejects the rule id %j', ruleId => {
    const { bucket } = bucketStack();
    expect(() => acknowledge(bucket, ruleId, REASON)).toThrow(/acknowledge\(Acks\/OpenBucket/);
  });

  test('writes the acknowledgment into the metadata of every resource below the construct', () => {
    const { stack, bucket } = bucketStack();
    acknowledge(bucket, 'AwsSolutions-S1', REASON);
    acknowledge(bucket, 'ct-s3-pr-1', REASON);
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, unknown>;
    const recorded = Object.values(resources).map(acknowledgmentsInResource);
    expect(recorded).toHaveLength(2); // the bucket and its policy
    for (const records of recorded) {
      expect(records).toEqual([
        { ruleId: 'AwsSolutions-S1', reason: REASON, acknowledgedAt: 'Acks/OpenBucket' },
        { ruleId: 'CT.S3.PR.1', reason: REASON, acknowledgedAt: 'Acks/OpenBucket' },
      ]);
    }
  });

  test('tells the libraries: cdk-nag ids as they are, cfn-guard rules by their guard rule name', () => {
    const { bucket } = bucketStack();
    acknowledge(bucket, 'AwsSolutions-S1', REASON);
    acknowledge(bucket, 'CT.S3.PR.1', REASON);
    const ids = bucket.node.metadata
      .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(m => Object.keys(m.data as object));
    const guardRule = guardCatalog().byControlId('CT.S3.PR.1')!.ruleName;
    expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/(^|::)AwsSolutions-S1$/), `cdk-validator-cfnguard::${guardRule}`]));
  });

  test('an acknowledgment on a stack covers its resources, the nearest one giving the reason', () => {
    const { stack, bucket } = bucketStack();
    acknowledge(stack, 'AwsSolutions-S1', 'Stack-wide: access logs go to the account trail, which covers AU-2.');
    acknowledge(bucket, 'AwsSolutions-S1', REASON);
    const template = Template.fromStack(stack).toJSON();
    const bucketResource = Object.values(template.Resources as Record<string, { Type: string }>).find(r => r.Type === 'AWS::S3::Bucket');
    expect(acknowledgmentsInResource(bucketResource)).toEqual([{ ruleId: 'AwsSolutions-S1', reason: REASON, acknowledgedAt: 'Acks/OpenBucket' }]);
  });

  test('entries in a template without a valid reason do not count', () => {
    const resource = {
      Metadata: {
        [ACKNOWLEDGMENT_METADATA_KEY]: [
          { ruleId: 'AwsSolutions-S1', reason: 'n/a', acknowledgedAt: 'X' },
          { ruleId: 'AwsSolutions-S2', acknowledgedAt: 'X' },
          { ruleId: 'AwsSolutions-S10', reason: REASON, acknowledgedAt: 'X' },
        ],
      },
    };
    expect(acknowledgmentsInResource(resource).map(a => a.ruleId)).toEqual(['AwsSolutions-S10']);
  });
});
