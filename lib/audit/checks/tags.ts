/** Required tags on every taggable resource (an untagged resource passes a "tag must match" deny). */
import { TAG_KEYS } from '../../contract/naming';
import { ResourceView, StackView, asArray } from '../template';
import { CheckResult, NOT_APPLICABLE, ResourceCheck, compliant, nonCompliant } from './types';

/** The keys every taggable resource of a team environment carries, from the naming contract. */
export const REQUIRED_TAG_KEYS: readonly string[] = Object.values(TAG_KEYS);

/**
 * Keys required by kind of stack: every kind carries the full set. What serves every environment
 * (delivery, baselines, platform stacks) says `Environment=shared`; platform-owned resources carry
 * the reserved owner `Team=springboard` (lib/contract/ownership.ts).
 */
export function requiredTagKeys(_stack: Pick<StackView, 'kind'>): readonly string[] {
  return REQUIRED_TAG_KEYS;
}

/** Types known to accept tags even when a template leaves `Tags` out. */
const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
  'AWS::S3::Bucket', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::DBSubnetGroup', 'AWS::EC2::VPC',
  'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::EC2::RouteTable', 'AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway',
  'AWS::EC2::EIP', 'AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::EC2::FlowLog', 'AWS::KMS::Key', 'AWS::Logs::LogGroup',
  'AWS::IAM::Role', 'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::ECS::TaskDefinition',
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::SecretsManager::Secret',
  'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::ECR::Repository', 'AWS::Lambda::Function',
  'AWS::Backup::BackupVault', 'AWS::EFS::FileSystem', 'AWS::WAFv2::WebACL', 'AWS::CodePipeline::Pipeline',
  'AWS::CodeBuild::Project', 'AWS::SSM::Parameter', 'AWS::ElastiCache::ReplicationGroup', 'AWS::Kinesis::Stream',
  'AWS::StepFunctions::StateMachine',
]);

/** Tags declared on a resource, whether written as a list of Key/Value pairs or as a map. */
export function resourceTags(resource: ResourceView): Record<string, string> {
  const tags = resource.properties.Tags ?? resource.properties.tags;
  if (Array.isArray(tags)) {
    return Object.fromEntries(asArray(tags).flatMap(t => {
      const tag = t as { Key?: unknown; Value?: unknown };
      return typeof tag.Key === 'string' ? [[tag.Key, String(tag.Value)]] : [];
    }));
  }
  if (tags && typeof tags === 'object') return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
  return {};
}

export function isTaggable(resource: ResourceView): boolean {
  return TAGGABLE_TYPES.has(resource.type) || resource.properties.Tags !== undefined;
}

/** Every taggable resource carries every required key, on itself or through the stack's tags. */
export function checkRequiredTags(resource: ResourceView, stack: StackView): CheckResult {
  if (!isTaggable(resource)) return NOT_APPLICABLE;
  const tags = { ...stack.stackTags, ...resourceTags(resource) };
  const required = requiredTagKeys(stack);
  const missing = required.filter(k => !tags[k]);
  const facts = { tags: required.filter(k => tags[k]).map(k => `${k}=${tags[k]}`).join(', ') || 'none' };
  if (missing.length > 0) return nonCompliant(`missing required tag${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`, { ...facts, missing: missing.join(', ') });
  return compliant('all required tags present', facts);
}

export const TAG_CHECKS: readonly ResourceCheck[] = [
  { id: 'Springboard-RequiredTags', title: 'Every taggable resource carries the required tags', section: 'tags', controls: ['CM-8', 'CM-2'], scope: 'resource', check: checkRequiredTags },
];
