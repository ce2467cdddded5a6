/**
 * The image a team environment runs: its ECS service's task definition, whose service container
 * names the image by digest (the pipeline deploys `<repository>@sha256:...`, docs/repository-contract.md).
 */
import {
  DescribeServicesCommand, type DescribeServicesCommandOutput, DescribeTaskDefinitionCommand, type DescribeTaskDefinitionCommandOutput,
} from '@aws-sdk/client-ecs';
import { SERVICE_CONTAINER_NAME, serviceName } from '../../contract';
import type { CountingApi } from '../history';

export interface RunningImage {
  readonly taskDefinition: string;
  readonly imageUri: string;
  readonly repositoryName: string;
  readonly registryId: string;
  readonly digest: string;
}

/** A fact about the environment that is not an API failure (the service is absent, the image is not pinned). */
export class RunningImageError extends Error {}

const PINNED = /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+)@(sha256:[0-9a-f]{64})$/;

/** Splits `<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<hex>`; undefined when not pinned by digest. */
export function parsePinnedImage(uri: string): { registryId: string; repositoryName: string; digest: string } | undefined {
  const m = PINNED.exec(uri);
  return m ? { registryId: m[1], repositoryName: m[2], digest: m[3] } : undefined;
}

export async function readRunningImage(ecs: CountingApi, teamId: string, environment: string): Promise<RunningImage> {
  const name = serviceName(teamId, environment);
  const services = await ecs.send<DescribeServicesCommandOutput>(new DescribeServicesCommand({ cluster: name, services: [name] }));
  const service = services.services?.find((s) => s.serviceName === name && s.status !== 'INACTIVE');
  if (!service?.taskDefinition) {
    const reason = services.failures?.[0]?.reason;
    throw new RunningImageError(`service ${name} not found in cluster ${name}${reason ? ` (${reason})` : ''}`);
  }
  const described = await ecs.send<DescribeTaskDefinitionCommandOutput>(new DescribeTaskDefinitionCommand({
    taskDefinition: service.taskDefinition,
  }));
  const container = described.taskDefinition?.containerDefinitions?.find((c) => c.name === SERVICE_CONTAINER_NAME);
  if (!container?.image) throw new RunningImageError(`task definition ${service.taskDefinition} has no container named ${SERVICE_CONTAINER_NAME}`);
  const pinned = parsePinnedImage(container.image);
  if (!pinned) throw new RunningImageError(`${name} runs ${container.image}, which is not an ECR image pinned by digest; its scan cannot be matched`);
  return { taskDefinition: service.taskDefinition, imageUri: container.image, ...pinned };
}
