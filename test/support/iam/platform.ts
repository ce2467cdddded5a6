/** Synthesizes a registry once into a temporary assembly and reads it back as deployed stacks. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../../../lib/app';
import { createApp } from '../../../lib/construct-kit/springboard-app';
import { deliveryStackName, environmentStackName } from '../../../lib/contract';
import { DeployedStack, readDeployedStacks } from '../../../lib/escalation/assembly/deployed';
import { IamModel, buildIamModel } from '../../../lib/escalation/assembly/iam-model';
import type { Registry, TeamSpec } from '../../../lib/registry/types';

export interface SynthesizedPlatform {
  readonly directory: string;
  readonly stacks: readonly DeployedStack[];
  readonly model: IamModel;
}

export function synthesizePlatform(reg: Registry): SynthesizedPlatform {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-iso-'));
  const app = createApp({ outdir: directory, context: { 'aws:cdk:enable-path-metadata': true } });
  buildPlatform(app, reg);
  app.synth();
  const stacks = readDeployedStacks(directory);
  return { directory, stacks, model: buildIamModel(stacks) };
}

/** Names of every stack that belongs to one team. */
export function teamStackNames(team: TeamSpec): string[] {
  return [deliveryStackName(team.id), ...team.environments.map(e => environmentStackName(team.id, e.name))];
}

/** The other team's stack in the same position (same environment, or its delivery stack). */
export function twinStackName(stackName: string, from: TeamSpec, to: TeamSpec): string | undefined {
  if (stackName === deliveryStackName(from.id)) return deliveryStackName(to.id);
  const env = from.environments.find(e => environmentStackName(from.id, e.name) === stackName);
  return env ? environmentStackName(to.id, env.name) : undefined;
}
