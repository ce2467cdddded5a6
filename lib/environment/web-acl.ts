/**
 * The web application firewall in front of a load balancer: a rate-based rule that blocks a client
 * sending too many requests, then AWS managed rule groups, with every request sampled to metrics
 * and logged to an encrypted log group.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './log-groups';

export interface WebApplicationFirewallProps {
  readonly loadBalancer: IApplicationLoadBalancer;
  /** AWS managed rule group names, in priority order (after the rate rule). */
  readonly managedRuleGroups: readonly string[];
  /** Requests one client IP address may send in any 5-minute window; more are blocked until its rate falls. */
  readonly rateLimit: number;
  /** Prefix of metric names; also names the log group (`aws-waf-logs-<name>`, as WAF requires). */
  readonly name: string;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
}

export class WebApplicationFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WebApplicationFirewallProps) {
    super(scope, id);
    if (props.managedRuleGroups.length === 0) throw new Error('a web ACL needs at least one managed rule group, received none');
    if (!Number.isInteger(props.rateLimit) || props.rateLimit < RATE_LIMIT_RANGE[0] || props.rateLimit > RATE_LIMIT_RANGE[1]) {
      throw new Error(`rateLimit must be a whole number of requests from ${RATE_LIMIT_RANGE[0]} to ${RATE_LIMIT_RANGE[1]}, received ${props.rateLimit}`);
    }
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        rateRule(props.name, props.rateLimit),
        ...props.managedRuleGroups.map((group, index) => ({
          name: group,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
          visibilityConfig: visibility(`${props.name}-${group}`),
        })),
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.loadBalancer.loadBalancerArn, webAclArn: this.webAcl.attrArn });
    this.logTo(props);
  }

  private logTo(props: WebApplicationFirewallProps): void {
    const logGroupName = `aws-waf-logs-${props.name}`;
    const logGroup = encryptedLogGroup(this, 'LogGroup', { logGroupName, key: props.key, retention: props.logRetention });
    // WAF wants the log group ARN without the `:*` suffix LogGroup.logGroupArn carries.
    const arn = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const logging = new CfnLoggingConfiguration(this, 'Logging', { resourceArn: this.webAcl.attrArn, logDestinationConfigs: [arn] });
    logging.node.addDependency(logGroup);
  }
}

/** Bounds WAF accepts for a rate-based rule's limit. */
export const RATE_LIMIT_RANGE: readonly [number, number] = [10, 2_000_000_000];
/** Name of the rate-based rule in every web ACL. */
export const RATE_RULE_NAME = 'RateLimitPerClientIp';

/** First, so a flood is blocked before the managed rules spend capacity on it. */
function rateRule(name: string, limit: number): CfnWebACL.RuleProperty {
  return {
    name: RATE_RULE_NAME,
    priority: 0,
    action: { block: {} },
    statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: 300 } },
    visibilityConfig: visibility(`${name}-${RATE_RULE_NAME}`),
  };
}

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}
