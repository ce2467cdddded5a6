/**
 * A copy of a cloud assembly with only some stacks, so the broadening check and the approved
 * record of one pipeline cover only what that pipeline deploys (another team's change is not its
 * to review).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineStackName, COMPLIANCE_REPORT_FILE, deliveryStackName, environmentStackName, platformStackName } from '../../contract/naming';

interface Artifact {
  type: string;
  properties?: { templateFile?: string; stackName?: string };
  dependencies?: string[];
}

/**
 * Which stacks: a team's (delivery and environments), or the platform pipeline's: every baseline
 * (the tooling account's included: it counts as production) and every fleet-wide stack of the
 * tooling account (the pipeline stacks themselves and the portfolio).
 */
export type StackSelection = { readonly team: string } | { readonly platform: true };

export function selects(selection: StackSelection, stackName: string): boolean {
  if ('team' in selection) {
    return stackName === deliveryStackName(selection.team) || stackName.startsWith(environmentStackName(selection.team, ''));
  }
  return stackName.startsWith(baselineStackName('', '').replace(/-+$/, '-')) || stackName.startsWith(platformStackName(''));
}

/** Writes the subset to `out`; returns the artifact ids kept. */
export function subsetAssembly(assembly: string, selection: StackSelection, out: string): string[] {
  const manifest = JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, Artifact> };
  const kept: Record<string, Artifact> = {};
  mkdirSync(out, { recursive: true });
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    if (!selects(selection, artifact.properties?.stackName ?? id)) continue;
    kept[id] = { ...artifact, dependencies: [] };
    const template = artifact.properties?.templateFile;
    if (template) copyFileSync(join(assembly, template), join(out, template));
  }
  if (existsSync(join(assembly, COMPLIANCE_REPORT_FILE))) copyFileSync(join(assembly, COMPLIANCE_REPORT_FILE), join(out, COMPLIANCE_REPORT_FILE));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ ...manifest, artifacts: kept }, undefined, 2));
  return Object.keys(kept).sort();
}
