/**
 * The IAM view of a deployed assembly: every role with its trust, identity policies, managed
 * policies, boundary and tags; every resource that has an ARN with its tags and resource policy;
 * every customer-managed policy by ARN. All values are resolved to concrete strings.
 */
import { DeployedStack } from './deployed';
import { resolveIntrinsics } from './intrinsics';
import { CfnResource } from './physical';
import { RELEASE_RECORDS_RESOURCE_TYPE } from '../../contract/naming';

/** The release records' custom resource type, from the naming contract the baseline also uses. */
export { RELEASE_RECORDS_RESOURCE_TYPE };

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, any>[];
}

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
  /** The same statements before resolution, to re-resolve them in another stack's context. */
  readonly raw: unknown;
  readonly stackName: string;
}

export interface RoleModel {
  readonly stackName: string;
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly trust: PolicyDocument;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly managedPolicyArns: readonly string[];
  readonly boundaryArn?: string;
}

export interface ResourceModel {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly policy?: PolicyDocument;
}

export interface IamModel {
  readonly stacks: readonly DeployedStack[];
  readonly roles: readonly RoleModel[];
  readonly resources: readonly ResourceModel[];
  readonly managedPolicies: ReadonlyMap<string, PolicyDocument>;
}

/** Attribute that holds each type's ARN (Ref for types whose Ref is the ARN). */
const ARN_ATTRIBUTE: Record<string, string> = {
  'AWS::IAM::Role': 'Arn',
  'AWS::KMS::Key': 'Arn',
  'AWS::S3::Bucket': 'Arn',
  'AWS::Logs::LogGroup': 'Arn',
  'AWS::RDS::DBInstance': 'DBInstanceArn',
  'AWS::ECR::Repository': 'Arn',
  'AWS::SecretsManager::Secret': 'Id',
  'AWS::SNS::Topic': 'TopicArn',
  'AWS::ECS::Cluster': 'Arn',
  'AWS::CodeBuild::Project': 'Arn',
  'AWS::CodeBuild::ReportGroup': 'Arn',
};

/** The tags of a resource as a map, whichever way its type writes them. */
export function tagsOfResource(resource: CfnResource): Record<string, string> {
  const p = resource.Properties ?? {};
  const tags = p.Tags ?? p.BackupVaultTags ?? p.BackupPlanTags ?? p.BackupPlan?.BackupPlanTags;
  if (tags === undefined) return {};
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t: { Key: string; Value: unknown }) => [t.Key, String(t.Value)]));
  return Object.fromEntries(Object.entries(tags as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

export function buildIamModel(stacks: readonly DeployedStack[]): IamModel {
  const managedPolicies = new Map<string, PolicyDocument>();
  for (const stack of stacks) {
    for (const [id, r] of entriesOf(stack, 'AWS::IAM::ManagedPolicy')) {
      managedPolicies.set(stack.context.refs[id], resolved(stack, r.Properties!.PolicyDocument) as PolicyDocument);
    }
  }
  return {
    stacks,
    roles: stacks.flatMap(rolesOf),
    resources: stacks.flatMap(resourcesOf),
    managedPolicies,
  };
}

function entriesOf(stack: DeployedStack, type: string): Array<[string, CfnResource]> {
  return Object.entries(stack.template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

function resolved(stack: DeployedStack, value: unknown): unknown {
  return resolveIntrinsics(value, stack.context);
}

function rolesOf(stack: DeployedStack): RoleModel[] {
  return entriesOf(stack, 'AWS::IAM::Role').map(([id, r]) => {
    const p = r.Properties ?? {};
    const name = stack.context.refs[id];
    return {
      stackName: stack.stackName,
      logicalId: id,
      name,
      arn: stack.context.attributes[`${id}.Arn`],
      account: stack.placement.account,
      tags: tagsOfResource(r),
      trust: resolved(stack, p.AssumeRolePolicyDocument) as PolicyDocument,
      identityPolicies: [...inlinePolicies(stack, id, p), ...attachedPolicies(stack, name)],
      managedPolicyArns: (resolved(stack, p.ManagedPolicyArns ?? []) as string[]),
      boundaryArn: p.PermissionsBoundary === undefined ? undefined : String(resolved(stack, p.PermissionsBoundary)),
    };
  });
}

function inlinePolicies(stack: DeployedStack, roleId: string, props: Record<string, any>): NamedPolicy[] {
  return (props.Policies ?? []).map((inline: { PolicyName: string; PolicyDocument: unknown }) => ({
    name: `${roleId}/${inline.PolicyName}`,
    policy: resolved(stack, inline.PolicyDocument) as PolicyDocument,
    raw: inline.PolicyDocument,
    stackName: stack.stackName,
  }));
}

/** AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources of the same stack that name the role. */
function attachedPolicies(stack: DeployedStack, roleName: string): NamedPolicy[] {
  return [...entriesOf(stack, 'AWS::IAM::Policy'), ...entriesOf(stack, 'AWS::IAM::ManagedPolicy')]
    .filter(([, r]) => (resolved(stack, r.Properties?.Roles ?? []) as string[]).includes(roleName))
    .map(([id, r]) => ({
      name: id,
      policy: resolved(stack, r.Properties!.PolicyDocument) as PolicyDocument,
      raw: r.Properties!.PolicyDocument,
      stackName: stack.stackName,
    }));
}

/**
 * Model type of one release record: an SSM parameter that a baseline's records resource
 * (`Custom::SpringboardReleaseRecords`, one per baseline) creates with its team's tags.
 */
export const RELEASE_RECORD_TYPE = 'Springboard::ReleaseRecord';

/** One record as a baseline's records resource lists it. */
export interface ReleaseRecordListEntry {
  readonly Name: string;
  readonly Tags?: Readonly<Record<string, string>>;
}

/** The records a baseline's records resource creates: name, ARN and the tags each is created with. */
function releaseRecordsOf(stack: DeployedStack, id: string, r: CfnResource): ResourceModel[] {
  const entries = (resolved(stack, r.Properties?.Records) ?? []) as ReleaseRecordListEntry[];
  const { partition, account, region } = stack.placement;
  return entries.map(entry => ({
    stackName: stack.stackName,
    logicalId: id,
    type: RELEASE_RECORD_TYPE,
    arn: `arn:${partition}:ssm:${region}:${account}:parameter${entry.Name}`,
    account,
    region,
    tags: { ...entry.Tags },
  }));
}

function resourcesOf(stack: DeployedStack): ResourceModel[] {
  const policies = resourcePolicies(stack);
  return Object.entries(stack.template.Resources ?? {}).flatMap(([id, r]): ResourceModel[] => {
    if (r.Type === RELEASE_RECORDS_RESOURCE_TYPE) return releaseRecordsOf(stack, id, r);
    const attribute = ARN_ATTRIBUTE[r.Type];
    if (!attribute) return [];
    return [{
      stackName: stack.stackName,
      logicalId: id,
      type: r.Type,
      arn: stack.context.attributes[`${id}.${attribute}`],
      account: stack.placement.account,
      region: stack.placement.region,
      tags: tagsOfResource(r),
      policy: policies.get(id),
    }];
  });
}

/** Resource policy per logical id of the resource it protects. */
function resourcePolicies(stack: DeployedStack): Map<string, PolicyDocument> {
  const found = new Map<string, PolicyDocument>();
  const idOfRef = (v: unknown) => (v && typeof v === 'object' && 'Ref' in v ? String((v as { Ref: unknown }).Ref) : undefined);
  for (const [id, r] of Object.entries(stack.template.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::KMS::Key') found.set(id, resolved(stack, p.KeyPolicy) as PolicyDocument);
    if (r.Type === 'AWS::ECR::Repository' && p.RepositoryPolicyText) found.set(id, resolved(stack, p.RepositoryPolicyText) as PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') found.set(id, resolved(stack, p.AssumeRolePolicyDocument) as PolicyDocument);
    const target = r.Type === 'AWS::S3::BucketPolicy' ? idOfRef(p.Bucket)
      : r.Type === 'AWS::SecretsManager::ResourcePolicy' ? idOfRef(p.SecretId) : undefined;
    if (target) found.set(target, resolved(stack, p.PolicyDocument ?? p.ResourcePolicy) as PolicyDocument);
    if (r.Type === 'AWS::SNS::TopicPolicy') {
      for (const topic of p.Topics ?? []) {
        const topicId = idOfRef(topic);
        if (topicId) found.set(topicId, resolved(stack, p.PolicyDocument) as PolicyDocument);
      }
    }
  }
  return found;
}
