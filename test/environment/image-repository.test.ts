import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { ImageRepository } from '../../lib/environment';

describe('ImageRepository', () => {
  const stack = new Stack(createApp(), 'Tooling', { env: { account: '111111111111', region: 'us-east-1' } });
  new ImageRepository(stack, 'Images', { teamId: 'a', pullAccounts: ['333333333333', '222222222222', '222222222222'] });
  const template = Template.fromStack(stack);

  test('has immutable tags, scan on push, and a customer-managed key', () => {
    template.hasResource('AWS::ECR::Repository', {
      Properties: {
        RepositoryName: 'springboard/a',
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImagesKey'), 'Arn'] } },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('every environment account may pull, none may push', () => {
    const repo = Object.values<any>(template.findResources('AWS::ECR::Repository'))[0];
    const statements = repo.Properties.RepositoryPolicyText.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    const principals = JSON.stringify(statements[0].Principal);
    expect(principals).toContain('222222222222');
    expect(principals).toContain('333333333333');
  });

  test('refuses a malformed account', () => {
    const s = new Stack(createApp(), 'S');
    expect(() => new ImageRepository(s, 'I', { teamId: 'a', pullAccounts: ['12345'] })).toThrow('image pull accounts must be 12 digits, received 12345');
  });
});
