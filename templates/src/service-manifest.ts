import { Component, JsonFile, Project } from 'projen';
import { MIGRATE_MANIFEST_KEY, REPOSITORY_MANIFEST_FILE, RepositoryManifest } from './shared/contract/repository';

export interface ServiceManifestOptions {
  readonly teamId: string;
  /** The project type's name, e.g. springboard-service. */
  readonly templateName: string;
  readonly templateVersion: string;
  /** The migration command, in exec form; absent when the service has no database. */
  readonly migrate?: string[];
}

/**
 * springboard.json: ties the repository to its team (and so to its pipeline) and records the
 * template version it was last generated with. Rewritten on every synth, so an upgrade updates it.
 */
export class ServiceManifest extends Component {
  public readonly manifest: RepositoryManifest;

  constructor(project: Project, options: ServiceManifestOptions) {
    super(project);
    this.manifest = {
      teamId: options.teamId,
      template: { name: options.templateName, version: options.templateVersion },
      ...(options.migrate ? { [MIGRATE_MANIFEST_KEY]: options.migrate } : {}),
    };
    new JsonFile(project, REPOSITORY_MANIFEST_FILE, { obj: this.manifest, readonly: true });
  }
}
