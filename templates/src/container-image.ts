import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import type { TeamSettings } from './team-settings';
import { renderAsset } from './template-assets';

/**
 * The base image, pinned by digest: node 22 (the contract's NODE_MAJOR_VERSION) on Alpine. A new
 * digest ships only with a template release, so every team moves to a patched base image by
 * upgrading the template. Before a release, check the digest is the current one:
 * `docker buildx imagetools inspect node:22-alpine`.
 */
export const NODE_BASE_IMAGE = 'node:22-alpine@sha256:8094c002d08262dba12645a3b4a15cd6cd627d30bc782f53229a2ec13ee22a00';

export interface ContainerImageOptions {
  readonly team: TeamSettings;
  /** @default NODE_BASE_IMAGE */
  readonly baseImage?: string;
}

/** Dockerfile and .dockerignore: multi-stage, pinned base image, non-root user, health check. */
export class ContainerImage extends Component {
  constructor(project: Project, options: ContainerImageOptions) {
    super(project);
    const baseImage = options.baseImage ?? NODE_BASE_IMAGE;
    if (!/@sha256:[a-f0-9]{64}$/.test(baseImage)) {
      throw new Error(`springboard-service: the base image must be pinned by digest (image@sha256:<64 hex digits>); received '${baseImage}'`);
    }
    const values = { nodeImage: baseImage, port: options.team.port, healthCheckPath: options.team.healthCheckPath };
    new ManagedFile(project, 'Dockerfile', { comment: 'hash', contents: renderAsset('springboard-service/platform/Dockerfile', values) });
    new ManagedFile(project, '.dockerignore', { comment: 'hash', contents: renderAsset('springboard-service/platform/dockerignore') });
  }
}
