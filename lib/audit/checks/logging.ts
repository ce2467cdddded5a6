/** Logging: log retention, VPC flow logs, and where access logs go. */
import { ResourceView, StackView, describeValue, referencedLogicalId, asArray } from '../template';
import { CheckResult, NOT_APPLICABLE, ResourceCheck, compliant, nonCompliant } from './types';

/** OMB M-21-31: 12 months of searchable logs in production. */
export const MIN_PROD_RETENTION_DAYS = 365;

/** Log groups keep at least 12 months in production; every retention is listed. */
export function checkLogRetention(resource: ResourceView, stack: StackView): CheckResult {
  if (resource.type !== 'AWS::Logs::LogGroup') return NOT_APPLICABLE;
  const days = resource.properties.RetentionInDays;
  const facts = {
    name: describeValue(resource.properties.LogGroupName ?? resource.logicalId),
    retention: days === undefined ? 'never expires' : `${describeValue(days)} days`,
    encryption: resource.properties.KmsKeyId !== undefined ? 'customer-managed KMS key' : 'service key',
  };
  if (days !== undefined && stack.strict && Number(days) < MIN_PROD_RETENTION_DAYS) {
    return nonCompliant(`log group keeps ${describeValue(days)} days in production; expected at least ${MIN_PROD_RETENTION_DAYS} (OMB M-21-31: 12 months searchable)`, facts);
  }
  return compliant(`log group retention ${facts.retention}`, facts);
}

/** Every VPC records its traffic in flow logs. */
export function checkVpcFlowLogs(resource: ResourceView, stack: StackView): CheckResult {
  if (resource.type !== 'AWS::EC2::VPC') return NOT_APPLICABLE;
  const flowLogs = stack.resources.filter(r => r.type === 'AWS::EC2::FlowLog' && referencedLogicalId(r.properties.ResourceId) === resource.logicalId);
  if (flowLogs.length === 0) return nonCompliant('VPC has no flow log; expected a flow log of all traffic', { 'flow logs': 'none' });
  const destinations = flowLogs.map(f => `${String(f.properties.LogDestinationType ?? 'cloud-watch-logs')} ${describeValue(f.properties.LogGroupName ?? f.properties.LogDestination)} (${String(f.properties.TrafficType ?? 'ALL')})`);
  return compliant(`flow logs to ${destinations.join(', ')}`, { 'flow logs': destinations.join(', ') });
}

/** Where a resource writes access logs, for the logging section (not a check: the rule packs judge these). */
export interface LogDestination {
  readonly resource: ResourceView;
  readonly kind: string;
  readonly destination: string;
}

/** Load balancer access logs and bucket server access logs in one stack. */
export function accessLogDestinations(stack: StackView): LogDestination[] {
  return stack.resources.flatMap((r): LogDestination[] => {
    if (r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      const attributes = asArray(r.properties.LoadBalancerAttributes) as Array<{ Key?: string; Value?: unknown }>;
      const enabled = attributes.find(a => a.Key === 'access_logs.s3.enabled')?.Value;
      const bucket = attributes.find(a => a.Key === 'access_logs.s3.bucket')?.Value;
      return [{ resource: r, kind: 'load balancer access logs', destination: String(enabled) === 'true' ? `bucket ${describeValue(bucket)}` : 'off' }];
    }
    if (r.type === 'AWS::S3::Bucket') {
      const logging = r.properties.LoggingConfiguration as Record<string, unknown> | undefined;
      return [{ resource: r, kind: 'bucket server access logs', destination: logging ? `bucket ${describeValue(logging.DestinationBucketName ?? 'same bucket')}` : 'off' }];
    }
    if (r.type === 'AWS::CloudTrail::Trail') {
      return [{ resource: r, kind: 'CloudTrail', destination: `bucket ${describeValue(r.properties.S3BucketName)}` }];
    }
    return [];
  });
}

export const LOGGING_CHECKS: readonly ResourceCheck[] = [
  { id: 'Springboard-LogRetention', title: 'Production logs kept at least 12 months', section: 'logging', controls: ['AU-11', 'AU-9'], scope: 'resource', check: checkLogRetention },
  { id: 'Springboard-VpcFlowLogs', title: 'Every VPC has flow logs', section: 'logging', controls: ['AU-2', 'AU-12', 'SI-4'], scope: 'resource', check: checkVpcFlowLogs },
];
