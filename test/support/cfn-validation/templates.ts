/**
 * The written templates of a cloud assembly, each with the account and region its stack deploys
 * to: CloudFormation validation resolves `AWS::AccountId` and `AWS::Region` with them, and a rule
 * that depends on the region (an instance type, an availability zone) is judged where it runs.
 */
import * as path from 'path';
import { assemblyTemplates } from '../../../lib/compliance/assembly';

export interface StackTemplate {
  /** Absolute path of the written template. */
  readonly templatePath: string;
  /** Deployed stack name (the artifact id for nested stack templates). */
  readonly stackName: string;
  /** Account and region; `unknown-account` / `unknown-region` for an environment-agnostic stack. */
  readonly account: string;
  readonly region: string;
}

const UNKNOWN = { account: 'unknown-account', region: 'unknown-region' };

/** `aws://123456789012/us-east-1` → account and region. */
function parseEnvironment(environment: string | undefined): { account: string; region: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  return match ? { account: match[1], region: match[2] } : UNKNOWN;
}

/** Every stack template of the assembly at `dir`, nested stage assemblies included, sorted by path. */
export function stackTemplatesOf(dir: string): StackTemplate[] {
  return assemblyTemplates(dir).map(t => ({
    templatePath: t.templatePath,
    ...(t.stack
      ? { stackName: t.stack.stackName ?? t.stack.artifactId, ...parseEnvironment(t.stack.environment) }
      : { stackName: path.basename(t.templatePath).replace(/\.nested\.template\.json$/, ''), ...UNKNOWN }),
  })).sort((a, b) => a.templatePath.localeCompare(b.templatePath));
}
