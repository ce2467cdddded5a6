/**
 * Reading a cloud assembly from disk with no AWS calls: manifest.json, its stack templates, nested
 * stage assemblies and nested stack templates. Anything that is not an assembly this version of
 * Springboard can read gets an error that says what was found and what to do.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cloud_assembly_schema as cxschema } from 'aws-cdk-lib';
import { AuditError } from './errors';
import { StackView, resourceViews } from './template';
import {
  COMPLIANCE_REPORT_FILE, PLATFORM_PREFIX, PROD_ENVIRONMENT, TAG_KEYS, environmentStackName,
} from '../contract/naming';

/** A stack template read from an assembly. */
export interface AssemblyStack extends StackView {
  /** Absolute path of the template file. */
  readonly templatePath: string;
  /** The parsed template. */
  readonly template: Record<string, unknown>;
}

export interface CloudAssemblyModel {
  /** The folder as given. */
  readonly directory: string;
  /** Cloud assembly schema version from manifest.json. */
  readonly schemaVersion: string;
  readonly stacks: readonly AssemblyStack[];
  /** The gate's report at the assembly root, when synth wrote one (read for context, never trusted). */
  readonly gateReport?: { readonly verdict?: string; readonly skippedBecause?: string };
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
    readonly terminationProtection?: boolean;
    readonly tags?: Record<string, string>;
  };
}

interface Manifest {
  readonly version?: unknown;
  readonly artifacts?: Record<string, ManifestArtifact>;
}

/** The schema major version this build understands (that of its aws-cdk-lib). */
export function supportedSchemaMajor(): number {
  return majorOf(cxschema.Manifest.version()) ?? 0;
}

/** Reads the assembly at `dir`; throws AuditError when it is missing, not an assembly or too new. */
export function readAssembly(dir: string, role: 'assembly' | 'baseline' = 'assembly'): CloudAssemblyModel {
  const label = role === 'baseline' ? `baseline ${dir}` : `assembly ${dir}`;
  if (!fs.existsSync(dir)) {
    throw new AuditError(role === 'baseline'
      ? `${label}: folder not found; expected the approved cloud assembly to compare with (a kept copy of an earlier cdk.out)`
      : `${label}: folder not found; expected a cloud assembly (run \`npx cdk synth\` first, or pass --assembly <dir>)`);
  }
  if (!fs.statSync(dir).isDirectory()) throw new AuditError(`${label}: expected a folder, received a file`);
  const manifest = readManifest(dir, label);
  const version = checkVersion(manifest, dir, label);
  return { directory: dir, schemaVersion: version, stacks: stacksIn(dir, manifest, label), gateReport: readGateReport(dir) };
}

function readManifest(dir: string, label: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) {
    const entries = fs.readdirSync(dir).slice(0, 5);
    throw new AuditError(`${label} is not a cloud assembly: no manifest.json in it (found ${entries.length ? entries.join(', ') : 'an empty folder'}); expected the output folder of \`npx cdk synth\`, such as cdk.out`);
  }
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Manifest;
  } catch (e) {
    throw new AuditError(`${label} is not a cloud assembly: ${file} is not a readable manifest (${(e as Error).message})`);
  }
}

function checkVersion(manifest: Manifest, dir: string, label: string): string {
  const version = typeof manifest.version === 'string' ? manifest.version : undefined;
  const major = version ? majorOf(version) : undefined;
  if (!version || major === undefined) {
    throw new AuditError(`${label} is not a cloud assembly: ${path.join(dir, 'manifest.json')} has version ${JSON.stringify(manifest.version)}; expected a schema version such as "${cxschema.Manifest.version()}"`);
  }
  const supported = supportedSchemaMajor();
  if (major > supported) {
    throw new AuditError(`${label} was written by a newer CDK: cloud assembly schema ${version}, this springboard reads up to ${supported}.x; upgrade springboard (its aws-cdk-lib) or synthesize with the aws-cdk-lib version the platform pins`);
  }
  return version;
}

function majorOf(version: string): number | undefined {
  const match = /^(\d+)\.\d+\.\d+/.exec(version);
  return match ? Number(match[1]) : undefined;
}

function stacksIn(dir: string, manifest: Manifest, label: string, prefix = ''): AssemblyStack[] {
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]) => {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const stack = readStack(dir, id, artifact, prefix, label);
      return [stack, ...nestedStacks(dir, stack, prefix, label)];
    }
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      const inner = path.join(dir, artifact.properties.directoryName);
      const innerLabel = `${label} (nested ${artifact.properties.directoryName})`;
      return stacksIn(inner, readManifest(inner, innerLabel), innerLabel, path.join(prefix, artifact.properties.directoryName));
    }
    return [];
  });
}

function readTemplate(file: string, label: string): { template: Record<string, unknown>; bytes: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AuditError(`${label}: template ${file} named in the manifest is missing; re-run \`npx cdk synth\``);
  }
  try {
    return { template: JSON.parse(text) as Record<string, unknown>, bytes: Buffer.byteLength(text) };
  } catch (e) {
    throw new AuditError(`${label}: template ${file} is not valid JSON (${(e as Error).message})`);
  }
}

function readStack(dir: string, id: string, artifact: ManifestArtifact, prefix: string, label: string): AssemblyStack {
  const templateFile = artifact.properties!.templateFile!;
  const templatePath = path.join(dir, templateFile);
  const { template, bytes } = readTemplate(templatePath, label);
  const stackName = artifact.properties?.stackName ?? id;
  const tags = artifact.properties?.tags ?? {};
  const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
  return {
    stackName,
    templateFile: path.join(prefix, templateFile),
    templatePath,
    template,
    ...placeStack(stackName, tags),
    resources: resourceViews(template, stackName),
    templateBytes: bytes,
    outputCount: Object.keys((template.Outputs ?? {}) as object).length,
    parameterCount: Object.keys((template.Parameters ?? {}) as object).length,
    stackTags: tags,
    terminationProtection: artifact.properties?.terminationProtection === true,
    account: env && !env[1].startsWith('unknown') ? env[1] : undefined,
    region: env && !env[2].startsWith('unknown') ? env[2] : undefined,
  };
}

/** Nested stack templates (`*.nested.template.json`), named `<parent>/<logical id>` and placed with their parent. */
function nestedStacks(dir: string, parent: AssemblyStack, prefix: string, label: string): AssemblyStack[] {
  return parent.resources.flatMap(r => {
    const asset = r.metadata['aws:asset:path'];
    if (r.type !== 'AWS::CloudFormation::Stack' || typeof asset !== 'string' || !asset.endsWith('.template.json')) return [];
    const templatePath = path.join(dir, asset);
    if (!fs.existsSync(templatePath)) return [];
    const { template, bytes } = readTemplate(templatePath, label);
    const stackName = `${parent.stackName}/${r.logicalId}`;
    const nested: AssemblyStack = {
      ...parent,
      stackName,
      templateFile: path.join(prefix, asset),
      templatePath,
      template,
      resources: resourceViews(template, stackName),
      templateBytes: bytes,
      outputCount: Object.keys((template.Outputs ?? {}) as object).length,
      parameterCount: Object.keys((template.Parameters ?? {}) as object).length,
      parentStack: parent.stackName,
    };
    return [nested, ...nestedStacks(dir, nested, prefix, label)];
  });
}

/** Team, environment and kind from the naming contract; stack tags for stacks it does not name. */
export function placeStack(stackName: string, tags: Readonly<Record<string, string>> = {}): Pick<StackView, 'kind' | 'team' | 'environment' | 'strict'> {
  const envPrefix = `${PLATFORM_PREFIX}-env-`;
  if (stackName.startsWith(envPrefix)) {
    const rest = stackName.slice(envPrefix.length);
    const cut = rest.lastIndexOf('-');
    const team = rest.slice(0, cut);
    const environment = rest.slice(cut + 1);
    if (cut > 0 && environmentStackName(team, environment) === stackName) {
      return { kind: 'env', team, environment, strict: environment === PROD_ENVIRONMENT };
    }
  }
  const delivery = new RegExp(`^${PLATFORM_PREFIX}-delivery-(.+)$`).exec(stackName);
  if (delivery) return { kind: 'delivery', team: delivery[1], environment: 'delivery', strict: true };
  if (stackName.startsWith(`${PLATFORM_PREFIX}-baseline-`)) return { kind: 'baseline', strict: true };
  if (stackName.startsWith(`${PLATFORM_PREFIX}-platform-`)) return { kind: 'platform', strict: true };
  const team = tags[TAG_KEYS.team];
  const environment = tags[TAG_KEYS.environment];
  return { kind: 'other', team, environment, strict: environment === undefined || environment === PROD_ENVIRONMENT };
}

function readGateReport(dir: string): CloudAssemblyModel['gateReport'] {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, COMPLIANCE_REPORT_FILE), 'utf8')) as CloudAssemblyModel['gateReport'];
  } catch {
    return undefined;
  }
}
