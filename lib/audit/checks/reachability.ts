/**
 * What is reachable from the internet: load balancers (HTTPS as the data's classification requires),
 * security-group ingress (from anywhere, or only from listed ranges), the web ACL's rate limit,
 * bucket policies.
 */
import { TAG_KEYS } from '../../contract/naming';
import { ResourceView, StackView, asArray, describeValue, referencedLogicalId } from '../template';
import { CheckResult, NOT_APPLICABLE, ResourceCheck, compliant, nonCompliant } from './types';

type Props = Record<string, unknown>;

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
/** Ports a public web front door may open to the internet. */
export const WEB_PORTS: readonly number[] = [80, 443];

interface Listener { readonly protocol: string; readonly port: string; readonly redirects: boolean }

function listenersOf(lb: ResourceView, stack: StackView): Listener[] {
  return stack.resources
    .filter(r => r.type === 'AWS::ElasticLoadBalancingV2::Listener' && referencedLogicalId(r.properties.LoadBalancerArn) === lb.logicalId)
    .map(r => ({
      protocol: String(r.properties.Protocol ?? 'HTTP'),
      port: describeValue(r.properties.Port),
      redirects: asArray(r.properties.DefaultActions).some(a => (a as Props).Type === 'redirect'),
    }));
}

/** Classifications whose data is served over HTTPS only in every environment (docs/classification.md). */
const HTTPS_EVERYWHERE = new Set(['moderate', 'high']);

/** The data classification a resource carries: its own tag, or its stack's (CloudFormation propagates those). */
export function classificationOf(resource: ResourceView, stack: StackView): string | undefined {
  const own = asArray(resource.properties.Tags).find(t => (t as Props).Key === TAG_KEYS.dataClassification) as Props | undefined;
  return typeof own?.Value === 'string' ? own.Value : stack.stackTags[TAG_KEYS.dataClassification];
}

/**
 * Internet-facing load balancers are listed; one serving plain HTTP is non-compliant in production
 * and, for moderate and high data, in every environment. An internal one may serve plain HTTP.
 */
export function checkLoadBalancerExposure(resource: ResourceView, stack: StackView): CheckResult {
  if (resource.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') return NOT_APPLICABLE;
  // CloudFormation's default scheme is internet-facing.
  const scheme = String(resource.properties.Scheme ?? 'internet-facing');
  const kind = String(resource.properties.Type ?? 'application');
  const listeners = listenersOf(resource, stack);
  const facts = {
    scheme,
    type: kind,
    listeners: listeners.map(l => `${l.protocol} ${l.port}${l.redirects ? ' (redirect)' : ''}`).join(', ') || 'none',
  };
  const plain = listeners.filter(l => l.protocol === 'HTTP' && !l.redirects);
  const classification = classificationOf(resource, stack);
  const httpsRequired = stack.strict ? 'in production' : HTTPS_EVERYWHERE.has(classification ?? '') ? `for ${classification} data` : undefined;
  if (scheme === 'internet-facing' && httpsRequired && plain.length > 0) {
    return nonCompliant(`internet-facing ${kind} load balancer serves plain HTTP on port ${plain.map(l => l.port).join(', ')} ${httpsRequired}; `
      + 'expected HTTPS only, or HTTP that redirects to HTTPS (or an internal load balancer outside production)', { ...facts, 'data classification': classification ?? '—' });
  }
  return compliant(`${scheme} ${kind} load balancer`, facts);
}

/** Ingress rules of a security group or a standalone ingress resource. */
function ingressRules(resource: ResourceView): Props[] {
  if (resource.type === 'AWS::EC2::SecurityGroup') return asArray(resource.properties.SecurityGroupIngress) as Props[];
  if (resource.type === 'AWS::EC2::SecurityGroupIngress') return [resource.properties];
  return [];
}

function portRange(rule: Props): string {
  if (String(rule.IpProtocol) === '-1') return 'all traffic';
  const from = rule.FromPort;
  const to = rule.ToPort;
  return `${String(rule.IpProtocol ?? 'tcp')} ${from === to || to === undefined ? String(from) : `${String(from)}-${String(to)}`}`;
}

function isWebOnly(rule: Props): boolean {
  return String(rule.IpProtocol) === 'tcp' && rule.FromPort === rule.ToPort && WEB_PORTS.includes(Number(rule.FromPort));
}

/** Ingress from anywhere (0.0.0.0/0, ::/0) is listed; beyond the web ports it is non-compliant. */
export function checkOpenIngress(resource: ResourceView): CheckResult {
  const rules = ingressRules(resource);
  if (resource.type !== 'AWS::EC2::SecurityGroup' && resource.type !== 'AWS::EC2::SecurityGroupIngress') return NOT_APPLICABLE;
  const open = rules.filter(r => ANYWHERE.has(String(r.CidrIp)) || ANYWHERE.has(String(r.CidrIpv6)));
  const target = resource.type === 'AWS::EC2::SecurityGroupIngress' ? describeValue(resource.properties.GroupId) : resource.logicalId;
  // A standalone rule between security groups is not internet reachability; the group itself is listed.
  const listed = rules.filter(r => typeof r.CidrIp === 'string' && !ANYWHERE.has(r.CidrIp));
  if (open.length === 0 && listed.length === 0 && resource.type === 'AWS::EC2::SecurityGroupIngress') return NOT_APPLICABLE;
  if (open.length === 0 && listed.length > 0) {
    // Narrowed ingress (the registry's allowedCidrs, or an internal range): only these sources reach the group.
    const sources = listed.map(r => `${portRange(r)} from ${String(r.CidrIp)}`).join(', ');
    return compliant(`ingress only from listed ranges (${sources})`, { 'open ports': 'none', 'allowed ranges': sources, 'group': target });
  }
  if (open.length === 0) return compliant('no ingress from the internet', { 'open ports': 'none', 'group': target });
  const facts = { 'open ports': open.map(r => `${portRange(r)} from ${String(r.CidrIp ?? r.CidrIpv6)}`).join(', '), 'group': target };
  const beyondWeb = open.filter(r => !isWebOnly(r));
  if (beyondWeb.length > 0) {
    return nonCompliant(`security group accepts ${beyondWeb.map(portRange).join(', ')} from anywhere; expected internet ingress only on ${WEB_PORTS.join(' or ')} (tcp), and only to a load balancer`, facts);
  }
  return compliant(`internet ingress on web ports only (${open.map(portRange).join(', ')})`, facts);
}

/** Whether a web ACL rule blocks a client above a request rate. */
function isRateRule(rule: Props): boolean {
  const statement = rule.Statement as Props | undefined;
  return statement?.RateBasedStatement !== undefined && (rule.Action as Props | undefined)?.Block !== undefined;
}

/** A web ACL guarding moderate or high data must block a client that floods it (a rate-based rule). */
export function checkWebAclRateLimit(resource: ResourceView, stack: StackView): CheckResult {
  if (resource.type !== 'AWS::WAFv2::WebACL') return NOT_APPLICABLE;
  const rules = asArray(resource.properties.Rules) as Props[];
  const rate = rules.filter(isRateRule);
  const classification = classificationOf(resource, stack);
  const limits = rate.map(r => {
    const statement = (r.Statement as Props).RateBasedStatement as Props;
    return `${describeValue(statement.Limit)} per ${describeValue(statement.AggregateKeyType ?? 'IP')} in ${describeValue(statement.EvaluationWindowSec ?? 300)} s`;
  });
  const facts = { 'rate limit': limits.join(', ') || 'none', 'data classification': classification ?? '—', 'rules': String(rules.length) };
  if (rate.length === 0 && HTTPS_EVERYWHERE.has(classification ?? '')) {
    return nonCompliant(`web ACL has no rate-based rule that blocks; expected one for ${classification} data (the registry's webAcl.rateLimit)`, facts);
  }
  return compliant(rate.length ? `web ACL blocks a client above ${limits.join(', ')}` : 'web ACL without a rate-based rule', facts);
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as Props | undefined)?.AWS;
  return asArray(aws).some(p => p === '*');
}

/** An Allow to every principal with no condition makes the bucket public. */
export function checkBucketPolicyPrincipals(resource: ResourceView): CheckResult {
  if (resource.type !== 'AWS::S3::BucketPolicy') return NOT_APPLICABLE;
  const statements = asArray((resource.properties.PolicyDocument as Props | undefined)?.Statement) as Props[];
  const open = statements.filter(s => s.Effect === 'Allow' && isEveryone(s.Principal) && s.Condition === undefined);
  const facts = { bucket: describeValue(resource.properties.Bucket), statements: String(statements.length) };
  if (open.length > 0) {
    const actions = open.flatMap(s => asArray(s.Action)).map(String).join(', ');
    return nonCompliant(`bucket policy allows ${actions} to every principal ("*") without a condition; expected named principals or a restricting condition`, { ...facts, 'public actions': actions });
  }
  return compliant('bucket policy grants nothing to the public', facts);
}

const BLOCK_SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** A bucket that turns off any of the four Block Public Access settings is non-compliant. */
export function checkBucketPublicAccessBlock(resource: ResourceView): CheckResult {
  if (resource.type !== 'AWS::S3::Bucket') return NOT_APPLICABLE;
  const config = resource.properties.PublicAccessBlockConfiguration as Props | undefined;
  if (!config) return compliant('block public access not declared (S3 blocks public access on new buckets by default)', { 'public access block': 'service default' });
  const off = BLOCK_SETTINGS.filter(k => config[k] !== true && config[k] !== 'true');
  if (off.length > 0) {
    return nonCompliant(`bucket turns off ${off.join(', ')}; expected all four Block Public Access settings on`, { 'public access block': `off: ${off.join(', ')}` });
  }
  return compliant('all four Block Public Access settings on', { 'public access block': 'all on' });
}

export const REACHABILITY_CHECKS: readonly ResourceCheck[] = [
  { id: 'Springboard-LoadBalancerExposure', title: 'Internet-facing load balancers serve HTTPS in production, and everywhere for moderate and high data', section: 'reachability', controls: ['SC-7', 'SC-8', 'AC-4'], scope: 'resource', check: checkLoadBalancerExposure },
  { id: 'Springboard-OpenIngress', title: 'Internet ingress only on web ports', section: 'reachability', controls: ['SC-7', 'AC-4', 'CM-7'], scope: 'resource', check: (r) => checkOpenIngress(r) },
  { id: 'Springboard-WebAclRateLimit', title: 'Web ACLs of moderate and high data block a client above the rate limit', section: 'reachability', controls: ['SC-5', 'SC-7'], scope: 'resource', check: checkWebAclRateLimit },
  { id: 'Springboard-PublicBucketPolicy', title: 'No bucket policy grants access to everyone', section: 'reachability', controls: ['AC-3', 'AC-6', 'SC-7'], scope: 'resource', check: (r) => checkBucketPolicyPrincipals(r) },
  { id: 'Springboard-BucketPublicAccessBlock', title: 'Buckets keep Block Public Access on', section: 'reachability', controls: ['AC-3', 'AC-21', 'SC-7'], scope: 'resource', check: (r) => checkBucketPublicAccessBlock(r) },
];
