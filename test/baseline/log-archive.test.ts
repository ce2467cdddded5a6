import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { baselineStack } from './helpers';
import { LogArchive } from '../../lib/baseline';
import { createApp } from '../../lib/construct-kit/springboard-app';

describe('LogArchive', () => {
  const { template } = baselineStack();

  test('is KMS-encrypted, versioned, private, object-locked and kept', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketName: 'springboard-logs-222222222222-us-east-1',
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 913 } } },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('moves logs to Glacier then Deep Archive and expires them after 30 months', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({
          ExpirationInDays: 913,
          Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 }],
        })],
      },
    });
  });

  test('refuses SSL-less access and accepts CloudWatch Logs exports from its own account only', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 's3:PutObject', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } }),
        ]),
      },
    });
  });

  test('refuses tiers that S3 would reject', () => {
    const stack = new Stack(createApp(), 'S', { env: { account: '222222222222', region: 'us-east-1' } });
    expect(() => new LogArchive(stack, 'A', { totalDays: 100 }))
      .toThrow('log archive tiers must satisfy 1 <= glacier, glacier + 90 <= deep archive < total; received glacier 90, deep archive 180, total 100 days');
  });

  test('its key can be neither disabled nor scheduled for deletion except by the break-glass role', () => {
    const { template: t } = baselineStack({ breakGlassRoleName: 'org-break-glass' });
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Springboard log archive',
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'DenyDisableAndDeletionExceptBreakGlass',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
          Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/org-break-glass' } },
        }]),
      },
    });
  });
});
