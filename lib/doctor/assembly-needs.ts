/** The bootstrap version the synthesized assembly requires: the highest any of its stacks asks for. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CDK's default synthesizer requires at least this version (file and image assets through the bootstrap roles). */
export const DEFAULT_REQUIRED_BOOTSTRAP_VERSION = 6;

export interface RequiredBootstrap {
  readonly requiredVersion: number;
  readonly versionSource: string;
}

export function requiredBootstrapVersion(assemblyDir: string): RequiredBootstrap {
  const manifest = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifest)) {
    return { requiredVersion: DEFAULT_REQUIRED_BOOTSTRAP_VERSION, versionSource: `no assembly at ${assemblyDir}: CDK's minimum; run cdk synth first for the exact figure` };
  }
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { artifacts?: Record<string, { properties?: { requiresBootstrapStackVersion?: number } }> };
  const versions = Object.values(parsed.artifacts ?? {}).map(a => a.properties?.requiresBootstrapStackVersion ?? 0);
  const highest = Math.max(DEFAULT_REQUIRED_BOOTSTRAP_VERSION, ...versions);
  return { requiredVersion: highest, versionSource: `required by ${assemblyDir}/manifest.json` };
}
