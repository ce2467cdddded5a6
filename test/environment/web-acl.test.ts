import { Match } from 'aws-cdk-lib/assertions';
import { environmentStack, resourcesOf } from './helpers';

function ruleGroups(json: Record<string, any>): string[] {
  const acl = Object.values<any>(resourcesOf(json, 'AWS::WAFv2::WebACL'))[0];
  return acl.Properties.Rules.map((r: any) => r.Statement.ManagedRuleGroupStatement.Name);
}

describe('WebApplicationFirewall', () => {
  const moderate = environmentStack({ environment: 'dev', classification: 'moderate' });
  const high = environmentStack({ environment: 'dev', classification: 'high' });
  const low = environmentStack({ environment: 'dev', classification: 'low' });

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
