/**
 * Shared builders for stack tests: one environment stack per app (Template.fromStack synthesizes
 * the whole app), cached per options so a test file synthesizes each variant once.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { placeStack } from '../../lib/audit/assembly';
import { ResourceView, StackView, resourceViews } from '../../lib/audit/template';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { EnvironmentStack } from '../../lib/environment';
import type { DataClassification, EnvironmentSpec, Registry, TeamSpec } from '../../lib/registry/types';
import { registry, team } from '../support/registry-fixtures';

export interface EnvOptions {
  readonly classification?: DataClassification;
  readonly environment?: 'dev' | 'staging' | 'prod';
  readonly withDatabase?: boolean;
  readonly envOverrides?: Partial<EnvironmentSpec>;
}

export interface BuiltEnvironment {
  readonly stack: EnvironmentStack;
  readonly template: Template;
  readonly json: Record<string, any>;
  readonly team: TeamSpec;
  readonly registry: Registry;
}

const cache = new Map<string, BuiltEnvironment>();

export function teamWith(options: EnvOptions, id = 'a'): TeamSpec {
  const t = team(id, { withDatabase: options.withDatabase ?? true, envOverrides: options.envOverrides });
  return { ...t, dataClassification: options.classification ?? 'moderate' };
}

export function environmentStack(options: EnvOptions = {}): BuiltEnvironment {
  const key = JSON.stringify(options);
  const hit = cache.get(key);
  if (hit) return hit;
  const t = teamWith(options);
  const reg = registry([t]);
  const env = t.environments.find(e => e.name === (options.environment ?? 'dev'))!;
  const app = createApp();
  const stack = new EnvironmentStack(app, `env-${env.name}`, { team: t, environment: env, platform: reg.platform });
  const template = Template.fromStack(stack);
  const built = { stack, template, json: template.toJSON(), team: t, registry: reg };
  cache.set(key, built);
  return built;
}

/** Resources of one type, by logical id. */
export function resourcesOf(json: Record<string, any>, type: string): Record<string, any> {
  return Object.fromEntries(Object.entries(json.Resources ?? {}).filter(([, r]: [string, any]) => r.Type === type));
}

/** A template with asset hashes replaced, for snapshots that survive CDK upgrades of bundled assets. */
export function normalized(json: unknown): unknown {
  return JSON.parse(JSON.stringify(json).replace(/[a-f0-9]{64}(\.(zip|json))?/g, 'ASSET_HASH'));
}

/** Every Allow statement of every IAM policy document in the template. */
export function allowStatements(json: Record<string, any>): any[] {
  const docs: any[] = [];
  for (const r of Object.values<any>(json.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (p.PolicyDocument) docs.push(p.PolicyDocument);
    if (p.KeyPolicy) docs.push(p.KeyPolicy);
    if (p.AssumeRolePolicyDocument) docs.push(p.AssumeRolePolicyDocument);
    for (const inline of p.Policies ?? []) docs.push(inline.PolicyDocument);
    if (p.RepositoryPolicyText) docs.push(p.RepositoryPolicyText);
  }
  return docs.flatMap(d => d.Statement ?? []).filter(s => s.Effect === 'Allow');
}

/** True when a statement allows every action on every resource. */
export function isStarOnStar(statement: any): boolean {
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  return list(statement.Action).includes('*') && list(statement.Resource).includes('*');
}

/** The tags of a resource as a map, whichever way its type writes them. */
export function tagsOf(resource: any): Record<string, unknown> | undefined {
  const p = resource.Properties ?? {};
  // Most types use Tags; AWS Backup names the property after the resource, AWS Budgets calls it ResourceTags.
  const tags = p.Tags ?? p.BackupVaultTags ?? p.BackupPlan?.BackupPlanTags ?? p.BackupPlanTags ?? p.ResourceTags;
  if (tags === undefined) return undefined;
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t: any) => [t.Key, t.Value]));
  return tags;
}

/**
 * The audit's view of a synthesized environment (what `springboard audit` reads), optionally of a
 * deliberately broken copy of its template: the audit's checks are the proofs the tests run.
 */
export function auditView(built: BuiltEnvironment, mutate?: (json: Record<string, any>) => void): { stack: StackView; resources: ResourceView[] } {
  const json = structuredClone(built.json);
  mutate?.(json);
  const name = built.stack.stackName;
  const resources = resourceViews(json, name);
  const stack: StackView = {
    stackName: name,
    templateFile: `${name}.template.json`,
    ...placeStack(name),
    resources,
    templateBytes: JSON.stringify(json).length,
    outputCount: 0,
    parameterCount: 0,
    stackTags: {},
    terminationProtection: built.stack.terminationProtection,
  };
  return { stack, resources };
}
