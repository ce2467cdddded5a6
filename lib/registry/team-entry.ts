/**
 * Writing a new team's registry entry (`springboard team add`): render the YAML, refuse to overwrite,
 * pick network ranges that do not overlap the registry's, validate the whole registry with the new
 * file in place, and take the file back out when validation fails.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { blockCidr, blockIndex, DERIVED_BLOCKS, overlaps, parseCidr, Range } from './cidr';
import { derivedCidr } from './defaults';
import { Diagnostic, formatDiagnostics } from './diagnostics';
import { validateRegistry } from './load';
import { CURRENT_SCHEMA_VERSION } from './schema';
import type { Contact, DataClassification, Registry, SourceProvider } from './types';
import { DEFAULT_ENVIRONMENTS, PROD_ENVIRONMENT } from '../contract/naming';

export interface NewEnvironment {
  readonly name: string;
  /** Defaults to the team-level account. */
  readonly account?: string;
}

/** What `team add` asks for: the required fields of a team entry, and the few worth setting on day one. */
export interface NewTeamEntry {
  readonly id: string;
  readonly displayName: string;
  readonly programOffice: string;
  readonly costCenter: string;
  readonly owner: Contact;
  readonly onCall: Contact;
  readonly dataClassification: DataClassification;
  readonly repository: { readonly provider: SourceProvider; readonly name: string; readonly branch?: string; readonly connectionArn?: string };
  /** Account of every environment that names none. */
  readonly account?: string;
  /** In promotion order; prod is moved last. Defaults to the registry's default environments. */
  readonly environments?: readonly NewEnvironment[];
  /** ACM certificate of the prod load balancer (prod serves HTTPS only). */
  readonly prodCertificateArn?: string;
  /**
   * ACM certificates of the other environments, by name: moderate and high data is served over
   * HTTPS in every environment whose load balancer is not internal.
   */
  readonly certificates?: Readonly<Record<string, string>>;
  /** Environments whose load balancer is internal (reachable only from the VPC and connected networks). */
  readonly internalEnvironments?: readonly string[];
  readonly port?: number;
  readonly healthCheckPath?: string;
  readonly monthlyBudgetUsd: number;
}

export class TeamEntryError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'TeamEntryError';
  }
}

export interface AddedTeam {
  readonly file: string;
  readonly yaml: string;
  /** Environments given an explicit `cidr:` because the derived range overlapped another. */
  readonly pickedCidrs: Readonly<Record<string, string>>;
  /** Warnings of the registry after the addition (errors make it fail instead). */
  readonly warnings: readonly Diagnostic[];
}

/** Adds the team to the registry in `directory`; throws TeamEntryError and leaves no file behind on any problem. */
export function addTeamEntry(directory: string, entry: NewTeamEntry): AddedTeam {
  const file = join(directory, `${entry.id}.yaml`);
  if (existsSync(file)) {
    throw new TeamEntryError(`${file} already exists: team '${entry.id}' is registered; edit that file (and open a pull request) instead`);
  }
  const before = validateRegistry(directory);
  if (!before.registry) {
    throw new TeamEntryError(`the registry in ${directory} has errors already; fix them first (npx springboard validate)`, before.diagnostics);
  }
  const pickedCidrs = pickCidrs(before.registry, entry);
  const yaml = renderTeamYaml(entry, pickedCidrs);
  writeFileSync(file, yaml, { flag: 'wx' });
  const after = validateRegistry(directory);
  if (!after.registry) {
    rmSync(file, { force: true });
    throw new TeamEntryError(`the new entry for team '${entry.id}' is not valid; nothing was written`, after.diagnostics);
  }
  return { file, yaml, pickedCidrs, warnings: after.diagnostics.filter((d) => d.severity === 'warning') };
}

export function formatTeamEntryError(error: TeamEntryError): string {
  return error.diagnostics.length ? `${error.message}:\n${formatDiagnostics(error.diagnostics)}` : error.message;
}

/** Environment names in promotion order, prod last (the loader's rule). */
export function orderedEnvironments(entry: NewTeamEntry): NewEnvironment[] {
  const envs = entry.environments ?? [];
  return [...envs.filter((e) => e.name !== PROD_ENVIRONMENT), ...envs.filter((e) => e.name === PROD_ENVIRONMENT)];
}

export function defaultEnvironments(): NewEnvironment[] {
  return DEFAULT_ENVIRONMENTS.map((name) => ({ name }));
}

/** The entry as YAML, in the order and style of the example team file. */
export function renderTeamYaml(entry: NewTeamEntry, cidrs: Readonly<Record<string, string>> = {}): string {
  const service: Record<string, unknown> = {};
  if (entry.port !== undefined) service.port = entry.port;
  if (entry.healthCheckPath !== undefined) service.healthCheckPath = entry.healthCheckPath;
  // Written environments: the given ones, or the defaults when one of them needs a field of its own.
  const given = orderedEnvironments(entry);
  const ownFields = Object.keys(cidrs).length || entry.prodCertificateArn
    || Object.keys(entry.certificates ?? {}).length || entry.internalEnvironments?.length;
  const envs = given.length || !ownFields ? given : defaultEnvironments();
  const certificate = (name: string) => (name === PROD_ENVIRONMENT ? entry.prodCertificateArn : entry.certificates?.[name]);
  const internal = (name: string) => entry.internalEnvironments?.includes(name) ?? false;
  const document = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    id: entry.id,
    displayName: entry.displayName,
    programOffice: entry.programOffice,
    costCenter: entry.costCenter,
    contacts: { owner: entry.owner, onCall: entry.onCall },
    dataClassification: entry.dataClassification,
    repository: definedOnly({
      provider: entry.repository.provider,
      name: entry.repository.name,
      branch: entry.repository.branch ?? 'main',
      connectionArn: entry.repository.connectionArn,
    }),
    ...(entry.account ? { account: entry.account } : {}),
    ...(Object.keys(service).length ? { service } : {}),
    budget: { monthlyUsd: entry.monthlyBudgetUsd },
    ...(envs.length
      ? { environments: Object.fromEntries(envs.map((e) => [e.name, environmentFields(e, cidrs[e.name], certificate(e.name), internal(e.name))])) }
      : {}),
  };
  const header = [
    '# yaml-language-server: $schema=../schemas/team.schema.json',
    `# ${entry.displayName}: added with \`springboard team add\`; review it like any registry change.`,
  ];
  return `${header.join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
}

function environmentFields(
  env: NewEnvironment,
  cidr: string | undefined,
  certificateArn: string | undefined,
  internal: boolean,
): Record<string, unknown> {
  return definedOnly({ account: env.account, cidr, certificateArn, loadBalancer: internal ? { scheme: 'internal' } : undefined });
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---- network ranges ----------------------------------------------------------------------------

/**
 * For each environment whose derived /20 overlaps a range already used in the same account and
 * region (by another team or an earlier environment of this one), the next free /20. Environments
 * whose derived range is free are left to the derivation, so the file stays short.
 */
export function pickCidrs(registry: Registry, entry: NewTeamEntry): Record<string, string> {
  const region = registry.platform.defaultRegion;
  const envs = orderedEnvironments(entry);
  const names = envs.length ? envs : defaultEnvironments();
  const used = new Map<string, Range[]>();
  const key = (account: string) => `${account}/${region}`;
  for (const team of registry.teams) {
    for (const env of team.environments) {
      const where = `${env.account}/${env.region}`;
      used.set(where, [...(used.get(where) ?? []), parseCidr(env.cidr)]);
    }
  }
  const picked: Record<string, string> = {};
  for (const env of names) {
    const account = env.account ?? entry.account ?? '';
    const taken = used.get(key(account)) ?? [];
    let cidr = derivedCidr(entry.id, env.name);
    if (taken.some((r) => overlaps(r, parseCidr(cidr)))) {
      const firstIndex = blockIndex(cidr);
      const candidates = Array.from({ length: DERIVED_BLOCKS }, (_, k) => blockCidr((firstIndex + k) % DERIVED_BLOCKS));
      const free = candidates.find((c) => !taken.some((r) => overlaps(r, parseCidr(c))));
      if (!free) throw new TeamEntryError(`no free /20 in 10.0.0.0/8 for ${entry.id}/${env.name} in account ${account} ${region}`);
      cidr = free;
      picked[env.name] = cidr;
    }
    used.set(key(account), [...taken, parseCidr(cidr)]);
  }
  return picked;
}
