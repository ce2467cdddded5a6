import { Match } from 'aws-cdk-lib/assertions';
import { environmentStack, resourcesOf } from './helpers';

function attributes(json: Record<string, any>): Record<string, string> {
  const lb = Object.values<any>(resourcesOf(json, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
  return Object.fromEntries(lb.Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
}

describe('PublicLoadBalancer', () => {
  const prod = environmentStack({ environment: 'prod' });
  const dev = environmentStack({ environment: 'dev' });
  const low = environmentStack({ environment: 'prod', classification: 'low' });

  test('drops invalid headers, logs access, and is deletion-protected in prod', () => {
    const attrs = attributes(prod.json);
    expect(attrs['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
    expect(attrs['access_logs.s3.enabled']).toBe('true');
    expect(attrs['deletion_protection.enabled']).toBe('true');
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
  });

  test('serves HTTPS with the registry certificate and a FIPS policy, redirecting HTTP', () => {
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04',
      Certificates: [{ CertificateArn: prod.team.environments.find(e => e.isProd)!.certificateArn }],
    });
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP', Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS' }) })],
    });
    const forwards = Object.values<any>(resourcesOf(prod.json, 'AWS::ElasticLoadBalancingV2::Listener'))
      .filter(l => l.Properties.Protocol === 'HTTP' && l.Properties.DefaultActions.some((a: any) => a.Type === 'forward'));
    expect(forwards).toEqual([]);
  });

  test('low classification keeps TLS 1.2+ without requiring FIPS ciphers', () => {
    low.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
  });

  test('non-prod without a certificate serves plain HTTP', () => {
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80 });
    dev.template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS' }, 0);
  });

  test('writes access logs to an encrypted, versioned, private, SSL-only bucket that is kept', () => {
    prod.template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
      DeletionPolicy: 'Retain',
    });
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});
