import { Component, Project } from 'projen';
import { ManagedFile } from './managed-file';
import type { TeamSettings } from './team-settings';
import { renderAsset } from './template-assets';

/**
 * The base image, pinned by digest: node 20 on Alpine. A new digest ships only with a template
 * release, so every team moves to a patched base image by upgrading the template.
 */
export const NODE_BASE_IMAGE = 'node:20-alpine@sha256:fb4cd12c85ee03686f6af5362a0b0d56d50c58a04632e6c0fb8363f609372293';

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
