/**
 * Physical names and ARNs a template's resources would get once deployed: the explicit name where
 * the template gives one, otherwise a deterministic stand-in derived from the stack name and logical
 * id (as CloudFormation does), so two stacks never share a generated name.
 */
import { createHash } from 'crypto';
import { ResolveContext, resolveIntrinsics } from './intrinsics';

export interface Placement {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
}

interface Physical {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 12);
}

/** A CloudFormation-style generated name: `<stack>-<logicalId>-<hash>`. */
function generatedName(p: Placement, id: string, max = 64): string {
  return `${p.stackName}-${id}`.slice(0, max - 13) + `-${shortHash(p.stackName, id)}`;
}

type Namer = (p: Placement, id: string, props: Record<string, any>, name: (v: unknown) => string | undefined) => Physical;

const arn = (p: Placement, service: string, resource: string, region = p.region, account = p.account) =>
  `arn:${p.partition}:${service}:${region}:${account}:${resource}`;

const NAMERS: Record<string, Namer> = {
  'AWS::IAM::Role': (p, id, props, name) => {
    const roleName = name(props.RoleName) ?? generatedName(p, id);
    return { ref: roleName, attributes: { Arn: arn(p, 'iam', `role${props.Path ?? '/'}${roleName}`, ''), RoleId: `AROA${shortHash(roleName)}` } };
  },
  'AWS::IAM::ManagedPolicy': (p, id, props, name) => {
    const policyArn = arn(p, 'iam', `policy/${name(props.ManagedPolicyName) ?? generatedName(p, id, 128)}`, '');
    return { ref: policyArn, attributes: { PolicyArn: policyArn } };
  },
  'AWS::KMS::Key': (p, id) => {
    const keyId = `${shortHash(p.stackName, id)}-0000-0000-0000-000000000000`;
    return { ref: keyId, attributes: { Arn: arn(p, 'kms', `key/${keyId}`), KeyId: keyId } };
  },
  'AWS::S3::Bucket': (p, id, props, name) => {
    const bucket = name(props.BucketName) ?? generatedName(p, id, 63).toLowerCase();
    return { ref: bucket, attributes: { Arn: `arn:${p.partition}:s3:::${bucket}`, DomainName: `${bucket}.s3.amazonaws.com` } };
  },
  'AWS::Logs::LogGroup': (p, id, props, name) => {
    const group = name(props.LogGroupName) ?? generatedName(p, id, 512);
    return { ref: group, attributes: { Arn: arn(p, 'logs', `log-group:${group}:*`) } };
  },
  'AWS::RDS::DBInstance': (p, id, props, name) => {
    const instance = (name(props.DBInstanceIdentifier) ?? generatedName(p, id)).toLowerCase();
    return {
      ref: instance,
      attributes: {
        'DBInstanceArn': arn(p, 'rds', `db:${instance}`),
        'DbiResourceId': `db-${shortHash(p.account, p.region, instance).toUpperCase()}`,
        'Endpoint.Address': `${instance}.example.${p.region}.rds.amazonaws.com`,
        'Endpoint.Port': String(props.Port ?? 5432),
        // RDS names the managed master secret `rds!db-<uuid>`; one per instance.
        'MasterUserSecret.SecretArn': arn(p, 'secretsmanager', `secret:rds!db-${shortHash(p.account, p.region, instance)}-AbCdEf`),
      },
    };
  },
  'AWS::ECR::Repository': (p, id, props, name) => {
    const repo = name(props.RepositoryName) ?? generatedName(p, id).toLowerCase();
    return { ref: repo, attributes: { Arn: arn(p, 'ecr', `repository/${repo}`), RepositoryUri: `${p.account}.dkr.ecr.${p.region}.amazonaws.com/${repo}` } };
  },
  'AWS::SecretsManager::Secret': (p, id, props, name) => {
    const secret = arn(p, 'secretsmanager', `secret:${name(props.Name) ?? generatedName(p, id)}-AbCdEf`);
    return { ref: secret, attributes: { Id: secret } };
  },
  'AWS::SNS::Topic': (p, id, props, name) => {
    const topic = name(props.TopicName) ?? generatedName(p, id, 256);
    const topicArn = arn(p, 'sns', topic);
    return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: topic } };
  },
  'AWS::SSM::Parameter': (p, id, props, name) => {
    const parameter = name(props.Name) ?? generatedName(p, id);
    return { ref: parameter, attributes: { Type: 'String', Value: 'value' } };
  },
  'AWS::CodePipeline::Pipeline': (p, id, props, name) => {
    const pipeline = name(props.Name) ?? generatedName(p, id, 100);
    return { ref: pipeline, attributes: { Version: '1' } };
  },
  'AWS::CodeBuild::Project': (p, id, props, name) => {
    const project = name(props.Name) ?? generatedName(p, id, 255);
    return { ref: project, attributes: { Arn: arn(p, 'codebuild', `project/${project}`) } };
  },
  'AWS::CodeBuild::ReportGroup': (p, id, props, name) => {
    // Ref and Arn are both the ARN; a grant on the report group names it by either.
    const reportGroup = arn(p, 'codebuild', `report-group/${name(props.Name) ?? generatedName(p, id, 128)}`);
    return { ref: reportGroup, attributes: { Arn: reportGroup } };
  },
  'AWS::ECS::Cluster': (p, id, props, name) => {
    const cluster = name(props.ClusterName) ?? generatedName(p, id);
    return { ref: cluster, attributes: { Arn: arn(p, 'ecs', `cluster/${cluster}`) } };
  },
};

/** Fallback for types without a namer: a unique per-stack value for Ref and every attribute. */
function genericPhysical(p: Placement, id: string): Physical {
  const ref = generatedName(p, id);
  return { ref, attributes: new Proxy({}, { get: (_t, attr) => (typeof attr === 'string' ? `${ref}.${attr}` : undefined) }) };
}

/** The resolve context of one deployed template: pseudo parameters, resource Refs and attributes, parameter defaults. */
export function resolveContextOf(template: CfnTemplate, placement: Placement): ResolveContext {
  const refs: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [id, param] of Object.entries(template.Parameters ?? {})) {
    // SSM-typed parameters resolve to the parameter's value at deploy time; a stand-in keeps them distinct.
    refs[id] = param.Type?.startsWith('AWS::SSM::Parameter::Value') ? `value-of:${String(param.Default)}` : String(param.Default ?? id);
  }
  const base: ResolveContext = { ...placement, refs, attributes };
  // Names may themselves be expressions over pseudo parameters; resolve those against the base context.
  const name = (v: unknown) => (v === undefined ? undefined : String(resolveIntrinsics(v, base)));
  const generic: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const namer = NAMERS[resource.Type];
    if (!namer) { generic.push(id); continue; }
    const physical = namer(placement, id, resource.Properties ?? {}, name);
    refs[id] = physical.ref;
    for (const [attr, value] of Object.entries(physical.attributes)) attributes[`${id}.${attr}`] = value;
  }
  return { ...base, attributes: withGenericAttributes(attributes, new Set(generic), placement), refs: withGenericRefs(refs, generic, placement) };
}

function withGenericRefs(refs: Record<string, string>, ids: readonly string[], p: Placement): Record<string, string> {
  return { ...refs, ...Object.fromEntries(ids.map(id => [id, genericPhysical(p, id).ref])) };
}

function withGenericAttributes(attributes: Record<string, string>, ids: ReadonlySet<string>, p: Placement): Record<string, string> {
  return new Proxy(attributes, {
    get: (target, key) => {
      if (typeof key !== 'string') return undefined;
      if (key in target) return target[key];
      const [id, attr] = key.split(/\.(.*)/s);
      return ids.has(id) ? `${genericPhysical(p, id).ref}.${attr}` : undefined;
    },
  });
}
