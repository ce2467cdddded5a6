/**
 * A synthesized cloud assembly read as "what would be deployed": each stack's template, where it
 * goes, its termination protection (which lives in the manifest, not the template) and the resolve
 * context that turns its intrinsics into concrete values.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ResolveContext } from './intrinsics';
import { CfnTemplate, Placement, resolveContextOf } from './physical';
import { partitionOf } from '../../contract';

export interface DeployedStack {
  readonly artifactId: string;
  readonly stackName: string;
  readonly placement: Placement;
  readonly template: CfnTemplate;
  /** The template exactly as written, for text scans. */
  readonly text: string;
  readonly terminationProtection: boolean;
  readonly context: ResolveContext;
}


interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { templateFile?: string; stackName?: string; terminationProtection?: boolean };
}

/** Every CloudFormation stack of the assembly in `directory`, sorted by stack name. */
export function readDeployedStacks(directory: string): DeployedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => deployedStack(directory, id, a))
    .sort((x, y) => x.stackName.localeCompare(y.stackName));
}

function deployedStack(directory: string, artifactId: string, artifact: ManifestArtifact): DeployedStack {
  const [, account, region] = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact.environment ?? '') ?? [];
  if (!account) throw new Error(`stack ${artifactId} has no concrete environment (received "${artifact.environment}"); Springboard stacks always name account and region`);
  const text = fs.readFileSync(path.join(directory, artifact.properties?.templateFile ?? `${artifactId}.template.json`), 'utf8');
  const template = JSON.parse(text) as CfnTemplate;
  const placement: Placement = { partition: partitionOf(region), account, region, stackName: artifact.properties?.stackName ?? artifactId };
  return {
    artifactId,
    stackName: placement.stackName,
    placement,
    template,
    text,
    terminationProtection: artifact.properties?.terminationProtection === true,
    context: resolveContextOf(template, placement),
  };
}
