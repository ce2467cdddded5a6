import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { auditView, environmentStack, resourcesOf, teamWith } from './helpers';
import { checkLoadBalancerExposure, checkOpenIngress } from '../../lib/audit/checks/reachability';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { EnvironmentStack, PublicLoadBalancer } from '../../lib/environment';
import { registry } from '../support/registry-fixtures';

/** The audit's verdict on every load balancer of a (possibly mutated) environment template. */
function exposure(built: ReturnType<typeof environmentStack>, mutate?: (json: Record<string, any>) => void) {
  const { stack, resources } = auditView(built, mutate);
  return resources.filter(r => r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(r => checkLoadBalancerExposure(r, stack));
}

/** Every ingress rule of the load balancer's security group, as `port from range`. */
function ingressOf(json: Record<string, any>): string[] {
  const groups = Object.entries<any>(resourcesOf(json, 'AWS::EC2::SecurityGroup')).filter(([id]) => id.startsWith('LoadBalancer'));
  return groups.flatMap(([, g]) => (g.Properties.SecurityGroupIngress ?? []).map((r: any) => `${r.FromPort} from ${typeof r.CidrIp === 'string' ? r.CidrIp : JSON.stringify(r.CidrIp)}`));
}

/** The audit's ingress verdicts for every security group of a (possibly mutated) template. */
function ingressFindings(built: ReturnType<typeof environmentStack>, mutate?: (json: Record<string, any>) => void) {
  return auditView(built, mutate).resources.filter(r => r.type === 'AWS::EC2::SecurityGroup').map(r => checkOpenIngress(r));
}

function attributes(json: Record<string, any>): Record<string, string> {
  const lb = Object.values<any>(resourcesOf(json, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
  return Object.fromEntries(lb.Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
}

describe('PublicLoadBalancer', () => {
  const prod = environmentStack({ environment: 'prod' });
  const dev = environmentStack({ environment: 'dev' });
  const low = environmentStack({ environment: 'prod', classification: 'low' });
  const lowDevPlain = environmentStack({ environment: 'dev', classification: 'low', envOverrides: { certificateArn: undefined } });
  const internalDev = environmentStack({ environment: 'dev', envOverrides: { certificateArn: undefined, loadBalancer: { internal: true } } });
  const vendorStaging = environmentStack({ environment: 'staging', envOverrides: { loadBalancer: { internal: false, allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] } } });

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

  test('low: non-prod without a certificate serves plain HTTP to the internet', () => {
    lowDevPlain.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80 });
    lowDevPlain.template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS' }, 0);
    expect(exposure(lowDevPlain).map(r => r.status)).toEqual(['compliant']);
  });

  test('moderate: every internet-facing environment serves HTTPS, proven by the audit\'s exposure check', () => {
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 443, SslPolicy: Match.stringLikeRegexp('FIPS') });
    expect(exposure(dev).map(r => r.status)).toEqual(['compliant']);
  });

  test('mutation: a moderate dev listener that forwards plain HTTP fails the exposure check', () => {
    const broken = exposure(dev, json => {
      for (const listener of Object.values<any>(resourcesOf(json, 'AWS::ElasticLoadBalancingV2::Listener'))) {
        if (listener.Properties.Protocol === 'HTTP') listener.Properties.DefaultActions = [{ Type: 'forward', TargetGroupArn: 'x' }];
      }
    });
    expect(broken.map(r => r.status)).toEqual(['non-compliant']);
    expect(broken[0].detail).toContain('serves plain HTTP on port 80 for moderate data');
  });

  test.each(['moderate', 'high'] as const)('%s: an internet-facing environment without a certificate refuses to synthesize', (classification) => {
    const team = { ...teamWith({ envOverrides: { certificateArn: undefined } }), dataClassification: classification };
    const environment = team.environments[0];
    expect(() => new EnvironmentStack(createApp(), 'x', { team, environment, platform: registry([team]).platform }))
      .toThrow(`teams/a.yaml: environments.dev.certificateArn is missing; data classified ${classification} is served over HTTPS only in every environment, `
        + 'so it needs an ACM certificate ARN in us-east-1 (or loadBalancer.scheme: internal)');
  });

  test('moderate: an internal environment without a certificate stays in private subnets and admits only its VPC', () => {
    internalDev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    internalDev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80 });
    expect(ingressOf(internalDev.json)).toEqual([expect.stringMatching(/^80 from \{"Fn::GetAtt":\["NetworkVpc.*","CidrBlock"\]\}$/)]);
    const lb = Object.values<any>(resourcesOf(internalDev.json, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    const privateSubnets = Object.keys(resourcesOf(internalDev.json, 'AWS::EC2::Subnet')).filter(id => /Private/.test(id));
    expect(lb.Properties.Subnets.map((s: any) => s.Ref).sort()).toEqual(privateSubnets.sort());
    expect(exposure(internalDev).map(r => r.status)).toEqual(['compliant']);
  });

  test('mutation: the same plain-HTTP load balancer made internet-facing fails the exposure check', () => {
    const broken = exposure(internalDev, json => {
      for (const lb of Object.values<any>(resourcesOf(json, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))) lb.Properties.Scheme = 'internet-facing';
    });
    expect(broken.map(r => r.status)).toEqual(['non-compliant']);
  });

  test('allowed ranges: the listed ranges reach ports 443 and 80, nothing else does', () => {
    expect(ingressOf(vendorStaging.json).sort()).toEqual(['443 from 198.51.100.7/32', '443 from 203.0.113.0/24', '80 from 198.51.100.7/32', '80 from 203.0.113.0/24']);
    const verdicts = ingressFindings(vendorStaging);
    expect(verdicts.every(v => v.status === 'compliant' && v.facts?.['open ports'] === 'none')).toBe(true);
    expect(verdicts.map(v => v.facts?.['allowed ranges']).filter(Boolean)).toEqual(['tcp 443 from 203.0.113.0/24, tcp 443 from 198.51.100.7/32, tcp 80 from 203.0.113.0/24, tcp 80 from 198.51.100.7/32']);
  });

  test('mutation: a rule from anywhere added to the narrowed group shows up as open ingress', () => {
    const verdicts = ingressFindings(vendorStaging, json => {
      const [, group] = Object.entries<any>(resourcesOf(json, 'AWS::EC2::SecurityGroup')).find(([id]) => id.startsWith('LoadBalancer'))!;
      group.Properties.SecurityGroupIngress.push({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' });
    });
    expect(verdicts.map(v => v.facts?.['open ports']).filter(p => p !== 'none')).toEqual(['tcp 443 from 0.0.0.0/0']);
  });

  test('refuses malformed allowed ranges and certificates', () => {
    const base = { sslPolicy: SslPolicy.RECOMMENDED_TLS, accessLogDays: 913, allowPlainHttp: true };
    const scope = new Stack(createApp(), 's');
    const v = new Vpc(scope, 'Vpc');
    expect(() => new PublicLoadBalancer(scope, 'a', { ...base, vpc: v, allowedCidrs: ['0.0.0.0/0'] }))
      .toThrow('allowedCidrs must list IPv4 ranges narrower than 0.0.0.0/0, like 203.0.113.0/24, received ["0.0.0.0/0"]');
    expect(() => new PublicLoadBalancer(scope, 'b', { ...base, vpc: v, allowedCidrs: [] })).toThrow('allowedCidrs must list IPv4 ranges');
    expect(() => new PublicLoadBalancer(scope, 'c', { ...base, vpc: v, certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/*' }))
      .toThrow('certificateArn must look like arn:<partition>:acm:<region>:<account>:certificate/<uuid>, received "arn:aws:acm:us-east-1:111111111111:certificate/*"');
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
