import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { ApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { auditView, environmentStack, resourcesOf } from './helpers';
import { checkWebAclRateLimit } from '../../lib/audit/checks/reachability';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { WebApplicationFirewall } from '../../lib/environment/web-acl';

function rules(json: Record<string, any>): any[] {
  return Object.values<any>(resourcesOf(json, 'AWS::WAFv2::WebACL'))[0].Properties.Rules;
}

function ruleGroups(json: Record<string, any>): string[] {
  return rules(json).filter(r => r.Statement.ManagedRuleGroupStatement).map((r: any) => r.Statement.ManagedRuleGroupStatement.Name);
}

/** The audit's rate-limit verdict on the web ACL of a (possibly mutated) environment template. */
function rateVerdict(built: ReturnType<typeof environmentStack>, mutate?: (json: Record<string, any>) => void) {
  const { stack, resources } = auditView(built, mutate);
  return resources.filter(r => r.type === 'AWS::WAFv2::WebACL').map(r => checkWebAclRateLimit(r, stack));
}

describe('WebApplicationFirewall', () => {
  const moderate = environmentStack({ environment: 'dev', classification: 'moderate' });
  const high = environmentStack({ environment: 'dev', classification: 'high' });
  const low = environmentStack({ environment: 'dev', classification: 'low' });
  const raised = environmentStack({ environment: 'dev', classification: 'high', envOverrides: { rateLimit: 20000 } });

  test.each([['moderate', moderate, 2000], ['high', high, 2000], ['high with the registry\'s limit', raised, 20000]] as const)(
    '%s: the first rule blocks a client IP above the rate limit in 5 minutes, proven by the audit\'s check', (_name, built, limit) => {
      expect(rules(built.json)[0]).toEqual({
        Name: 'RateLimitPerClientIp',
        Priority: 0,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: limit, EvaluationWindowSec: 300 } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'springboard-a-dev-RateLimitPerClientIp', SampledRequestsEnabled: true },
      });
      expect(rules(built.json).map(r => r.Priority)).toEqual(rules(built.json).map((_r, i) => i));
      expect(rateVerdict(built).map(v => v.status)).toEqual(['compliant']);
    });

  test('mutation: without its rate rule, or with one that only counts, the web ACL fails the check', () => {
    const dropped = rateVerdict(moderate, json => {
      for (const acl of Object.values<any>(resourcesOf(json, 'AWS::WAFv2::WebACL'))) acl.Properties.Rules = acl.Properties.Rules.filter((r: any) => !r.Statement.RateBasedStatement);
    });
    expect(dropped.map(v => v.status)).toEqual(['non-compliant']);
    const counting = rateVerdict(high, json => {
      for (const acl of Object.values<any>(resourcesOf(json, 'AWS::WAFv2::WebACL'))) acl.Properties.Rules[0].Action = { Count: {} };
    });
    expect(counting.map(v => v.status)).toEqual(['non-compliant']);
  });

  test('refuses a limit WAF does not accept', () => {
    const stack = new Stack(createApp(), 's');
    const loadBalancer = new ApplicationLoadBalancer(stack, 'Lb', { vpc: new Vpc(stack, 'Vpc') });
    const props = { loadBalancer, managedRuleGroups: ['AWSManagedRulesCommonRuleSet'], name: 'n', key: new Key(stack, 'K'), logRetention: RetentionDays.ONE_YEAR };
    expect(() => new WebApplicationFirewall(stack, 'W1', { ...props, rateLimit: 5 })).toThrow('rateLimit must be a whole number of requests from 10 to 2000000000, received 5');
    expect(() => new WebApplicationFirewall(stack, 'W2', { ...props, rateLimit: 1.5 })).toThrow('received 1.5');
  });

  test('moderate: a regional web ACL of AWS managed rules guards the load balancer', () => {
    moderate.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(ruleGroups(moderate.json)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    const association = Object.values<any>(resourcesOf(moderate.json, 'AWS::WAFv2::WebACLAssociation'))[0];
    expect(association.Properties.ResourceArn.Ref).toMatch(/^LoadBalancer/);
  });

  test('logs requests to an encrypted aws-waf-logs- group', () => {
    moderate.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-springboard-a-dev', KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } });
    moderate.template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
  });

  test('high adds SQL injection and anonymous-IP rules', () => {
    expect(ruleGroups(high.json)).toEqual(expect.arrayContaining(['AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesAnonymousIpList']));
  });

  test('low may go without, and says why where the audit reads it', () => {
    low.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const [balancer] = Object.values<any>(resourcesOf(low.json, 'AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(balancer.Metadata['springboard:acknowledgments']).toContainEqual(
      expect.objectContaining({ ruleId: 'NIST.800.53.R5-ALBWAFEnabled', reason: expect.stringContaining('low') }),
    );
  });
});
