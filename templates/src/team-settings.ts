import { basename, resolve } from 'node:path';
import { DEFAULT_SOURCE_PROVIDER, isSourceProvider, SOURCE_PROVIDERS, type SourceProvider } from './shared/contract/aws-addressing';
import { DEFAULT_ENVIRONMENTS, MAX_TEAM_ID_LENGTH, PROD_ENVIRONMENT, TEAM_ID_PATTERN } from './shared/contract/naming';
import { SERVICE_PORT } from './shared/contract/service-limits';
import { formatDiagnostics } from './shared/registry/diagnostics';
import { suggestion } from './shared/registry/did-you-mean';
import { validateRegistry } from './shared/registry/load';
import type { Contact, TeamSpec } from './shared/registry/types';
import type { SpringboardServiceOptions } from './springboard-service-project';

export interface EnvironmentSettings {
  readonly name: string;
  readonly isProd: boolean;
  readonly account?: string;
  readonly region?: string;
  /** Alarm threshold overrides from the registry, by alarm id. */
  readonly alarms: Readonly<Record<string, number>>;
}

/** Everything the generated files need to know about the team, from the registry or from options. */
export interface TeamSettings {
  readonly id: string;
  readonly displayName: string;
  readonly programOffice?: string;
  readonly owner?: Contact;
  readonly onCall?: Contact;
  readonly dataClassification?: string;
  readonly repository: { readonly provider: SourceProvider; readonly name: string; readonly branch: string };
  readonly port: number;
  readonly healthCheckPath: string;
  readonly environments: readonly EnvironmentSettings[];
  /** Account and region of the team's pipeline (the platform's tooling account), when known. */
  readonly tooling?: { readonly account: string; readonly region: string };
  /** Whether the team has a database; undefined when no registry was given. */
  readonly hasDatabase?: boolean;
  /** Names of the environment variables the registry's `service.secrets` gives the container (team level). */
  readonly secretNames?: readonly string[];
  /** The registry file the settings came from, for the README; undefined when from options. */
  readonly registryFile?: string;
}

export const DEFAULT_PORT = SERVICE_PORT.default;
export const DEFAULT_HEALTH_CHECK_PATH = '/health';

/** Resolves the team's settings: from its registry entry when `registry` is given, else from typed defaults. */
export function resolveTeamSettings(options: SpringboardServiceOptions): TeamSettings {
  checkTeamId(options.teamId);
  return options.registry ? fromRegistry(options, options.registry) : fromOptions(options);
}

function checkTeamId(teamId: string): void {
  if (typeof teamId !== 'string' || !TEAM_ID_PATTERN.test(teamId) || teamId.length > MAX_TEAM_ID_LENGTH) {
    throw new Error(
      `springboard-service: --team-id must be lower-case words joined by single hyphens, at most ${MAX_TEAM_ID_LENGTH} characters ` +
        `(like benefits-screener); received ${JSON.stringify(teamId)}`,
    );
  }
}

function fromOptions(options: SpringboardServiceOptions): TeamSettings {
  const provider = options.repositoryProvider ?? DEFAULT_SOURCE_PROVIDER;
  if (!isSourceProvider(provider)) {
    throw new Error(`springboard-service: --repository-provider must be one of ${SOURCE_PROVIDERS.join(', ')}; received '${provider}'`);
  }
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new Error(`springboard-service: --port must be a whole number from 1024 to 65535 (the registry's range); received ${port}`);
  }
  const healthCheckPath = options.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH;
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(healthCheckPath)) {
    throw new Error(`springboard-service: --health-check-path must start with / and use URL path characters only; received '${healthCheckPath}'`);
  }
  const contact = (email: string | undefined, name: string): Contact | undefined => (email ? { name, email } : undefined);
  const names = options.environments?.length ? options.environments : [...DEFAULT_ENVIRONMENTS];
  const ordered = [...names.filter((n) => n !== PROD_ENVIRONMENT), ...(names.includes(PROD_ENVIRONMENT) ? [PROD_ENVIRONMENT] : [])];
  return {
    id: options.teamId,
    displayName: options.displayName ?? options.teamId,
    owner: contact(options.ownerEmail, 'Service owner'),
    onCall: contact(options.onCallEmail, 'On-call'),
    repository: { provider, name: options.repositoryName ?? options.teamId, branch: options.branch ?? 'main' },
    port,
    healthCheckPath,
    environments: ordered.map((name) => ({ name, isProd: name === PROD_ENVIRONMENT, alarms: {} })),
  };
}

function fromRegistry(options: SpringboardServiceOptions, registryPath: string): TeamSettings {
  const directory = resolve(registryPath);
  const result = validateRegistry(directory);
  if (!result.registry) {
    throw new Error(`springboard-service: the registry at ${directory} has errors; fix them (npx springboard validate) and try again:\n${formatDiagnostics(result.diagnostics)}`);
  }
  const teams = result.registry.teams;
  const team = teams.find((t) => t.id === options.teamId);
  if (!team) {
    const ids = teams.map((t) => t.id);
    throw new Error(
      `springboard-service: team '${options.teamId}' is not in the registry at ${directory}${suggestion(options.teamId, ids)} ` +
        `(teams there: ${ids.join(', ') || 'none'}). ` +
        `Add the team first with \`npx springboard team add ${options.teamId}\`, merge it, then scaffold; or check --team-id.`,
    );
  }
  checkAgreement(options, team);
  return {
    id: team.id,
    displayName: team.displayName,
    programOffice: team.programOffice,
    owner: team.contacts.owner,
    onCall: team.contacts.onCall,
    dataClassification: team.dataClassification,
    repository: { provider: team.repository.provider, name: team.repository.name, branch: team.repository.branch },
    port: team.service.port,
    healthCheckPath: team.service.healthCheckPath,
    environments: team.environments.map((e) => ({ name: e.name, isProd: e.isProd, account: e.account, region: e.region, alarms: e.alarms })),
    tooling: result.registry.platform.tooling,
    hasDatabase: team.database !== undefined,
    secretNames: Object.keys(team.service.secrets ?? {}),
    // Shown relative to the registry folder: the absolute path is the scaffolding machine's.
    registryFile: `${basename(directory)}/${basename(team.sourceFile)}`,
  };
}

/** With a registry, the registry decides; an option that says otherwise is a mistake worth stopping for. */
function checkAgreement(options: SpringboardServiceOptions, team: TeamSpec): void {
  const pairs: Array<[string, unknown, unknown, string]> = [
    ['port', options.port, team.service.port, 'service.port'],
    ['health-check-path', options.healthCheckPath, team.service.healthCheckPath, 'service.healthCheckPath'],
    ['owner-email', options.ownerEmail, team.contacts.owner.email, 'contacts.owner.email'],
    ['on-call-email', options.onCallEmail, team.contacts.onCall.email, 'contacts.onCall.email'],
    ['repository-provider', options.repositoryProvider, team.repository.provider, 'repository.provider'],
    ['repository-name', options.repositoryName, team.repository.name, 'repository.name'],
    ['branch', options.branch, team.repository.branch, 'repository.branch'],
  ];
  const conflicts = pairs
    .filter(([, given, registered]) => given !== undefined && given !== registered)
    .map(([flag, given, registered, field]) => `--${flag} ${JSON.stringify(given)} but the registry entry has ${field}: ${JSON.stringify(registered)}`);
  if (conflicts.length) {
    throw new Error(`springboard-service: options disagree with the registry entry of team '${team.id}' (the registry wins; drop the option or change the registry):\n  ${conflicts.join('\n  ')}`);
  }
}
