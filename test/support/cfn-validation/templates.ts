/**
 * The written templates of a cloud assembly, each with the account and region its stack deploys
 * to: CloudFormation validation resolves `AWS::AccountId` and `AWS::Region` with them, and a rule
 * that depends on the region (an instance type, an availability zone) is judged where it runs.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface StackTemplate {
  /** Absolute path of the written template. */
  readonly templatePath: string;
  /** Deployed stack name (the artifact id for nested stack templates). */
  readonly stackName: string;
  /** Account and region; `unknown-account` / `unknown-region` for an environment-agnostic stack. */
  readonly account: string;
  readonly region: string;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

const UNKNOWN = { account: 'unknown-account', region: 'unknown-region' };

/** `aws://123456789012/us-east-1` → account and region. */
function parseEnvironment(environment: string | undefined): { account: string; region: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  return match ? { account: match[1], region: match[2] } : UNKNOWN;
}

/** Every stack template of the assembly at `dir`, nested stage assemblies included, sorted by path. */
export function stackTemplatesOf(dir: string): StackTemplate[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: expected ${manifestFile} (run \`npx cdk synth\` first)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const stacks = artifacts
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([id, a]) => ({
      templatePath: path.join(dir, a.properties!.templateFile!),
      stackName: a.properties!.stackName ?? id,
      ...parseEnvironment(a.environment),
    }));
  const nested = fs.readdirSync(dir).filter(f => f.endsWith('.nested.template.json'))
    .map(f => ({ templatePath: path.join(dir, f), stackName: f.replace(/\.nested\.template\.json$/, ''), ...UNKNOWN }));
  const inner = artifacts
    .filter(([, a]) => a.type === 'cdk:cloud-assembly' && a.properties?.directoryName)
    .flatMap(([, a]) => stackTemplatesOf(path.join(dir, a.properties!.directoryName!)));
  return [...stacks, ...nested, ...inner].sort((a, b) => a.templatePath.localeCompare(b.templatePath));
}
