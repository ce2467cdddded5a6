/** Checks that need the whole registry: uniqueness, shared branches, derived names and ranges. */
import { overlaps, parseCidr, Range } from './cidr';
import type { Diagnostic } from './diagnostics';
import type { PlatformSettings, TeamSpec } from './types';
import {
  alertTopicName,
  checkDerivedNameLimits,
  deliveryStackName,
  deployRoleName,
  environmentStackName,
  pipelineName,
  pipelineRoleName,
} from '../contract/naming';

/** Where a team's fields sit in its file, so cross-file problems point at a line. */
export type Locator = (team: TeamSpec, path: readonly PropertyKey[]) => { line: number; column: number };

export function crossCheck(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  return [
    ...duplicateIds(teams, locate),
    ...sharedBranches(teams, locate),
    ...nameLimits(teams, locate),
    ...nameCollisions(teams, locate),
    ...overlappingRanges(teams, locate),
    ...misplacedCertificates(teams, locate),
  ];
}

/**
 * A backup copy must leave the accounts it protects: the platform's backup account may hold no
 * environment (and is not the tooling account).
 */
export function backupAccountClashes(teams: readonly TeamSpec[], platform: PlatformSettings, locate: Locator): Diagnostic[] {
  const backup = platform.backupCopy?.account;
  if (!backup) return [];
  return teams.flatMap((team) => team.environments.filter((env) => env.account === backup).map((env) => at(team, locate, ['environments', env.name, 'account'],
    `environment ${env.name} runs in ${backup}, the backup account of _platform.yaml (backupCopy.account); a copy of prod recovery points must leave the accounts it protects: `
    + 'choose another account for one of them')));
}

/** A load balancer can only use an ACM certificate of its own account and region. */
function misplacedCertificates(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  return teams.flatMap((team) =>
    team.environments.flatMap((env) => {
      const [, , , region, account] = env.certificateArn?.split(':') ?? [];
      if (!env.certificateArn || (region === env.region && account === env.account)) return [];
      const message = `certificate is in account ${account} ${region}, but environment ${env.name} runs in account ${env.account} ${env.region}; `
        + 'a load balancer needs a certificate of its own account and region';
      return [at(team, locate, ['environments', env.name, 'certificateArn'], message)];
    }),
  );
}

function at(team: TeamSpec, locate: Locator, path: readonly PropertyKey[], message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const { line, column } = locate(team, path);
  return { file: team.sourceFile, line, column, field: path.map(String).join('.'), message, severity };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function duplicateIds(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  return [...groupBy(teams, (t) => t.id).values()]
    .filter((group) => group.length > 1)
    .flatMap((group) => group.map((t) => at(t, locate, ['id'], `duplicate team id '${t.id}', also in ${group.filter((o) => o !== t).map((o) => o.sourceFile).join(', ')}`)));
}

function sharedBranches(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  const key = (t: TeamSpec) => `${t.repository.provider}:${t.repository.name}#${t.repository.branch}`;
  return [...groupBy(teams, key).values()]
    .filter((group) => group.length > 1)
    .flatMap((group) =>
      group.map((t) =>
        at(t, locate, ['repository', 'branch'], `repository ${t.repository.name} branch ${t.repository.branch} is also the source of team ${group.filter((o) => o !== t).map((o) => `'${o.id}'`).join(', ')}; one branch feeds one pipeline`),
      ),
    );
}

function nameLimits(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  return teams.flatMap((t) =>
    checkDerivedNameLimits(t.id, t.environments.map((e) => e.name)).map((v) =>
      at(t, locate, ['id'], `derived ${v.kind} '${v.name}' is ${v.name.length} characters; AWS allows ${v.limit}: shorten the team id or environment name`),
    ),
  );
}

/**
 * Every AWS-visible name a team owns, by kind; two teams must never derive the same name of one kind.
 * The contract makes this impossible today (environments have no hyphen); the check guards new names.
 */
function derivedNames(team: TeamSpec): string[] {
  return [
    `pipeline:${pipelineName(team.id)}`,
    `stack:${deliveryStackName(team.id)}`,
    `role:${pipelineRoleName(team.id)}`,
    ...team.environments.flatMap((e) => [
      `stack:${environmentStackName(team.id, e.name)}`,
      `role:${deployRoleName(team.id, e.name)}`,
      `topic:${alertTopicName(team.id, e.name)}`,
    ]),
  ];
}

function nameCollisions(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  const owners = new Map<string, TeamSpec>();
  const diagnostics: Diagnostic[] = [];
  for (const team of teams) {
    for (const name of new Set(derivedNames(team))) {
      const owner = owners.get(name);
      if (owner && owner.id !== team.id) {
        diagnostics.push(at(team, locate, ['id'], `derived ${name.replace(':', " name '")}' collides with team '${owner.id}' (${owner.sourceFile}); choose another id`));
      } else {
        owners.set(name, team);
      }
    }
  }
  return diagnostics;
}

/** Ranges that overlap (not only equal ones: an explicit /16 can cover a derived /20) within one account and region. */
function overlappingRanges(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  const seen = new Map<string, Array<{ range: Range; owner: string }>>();
  const diagnostics: Diagnostic[] = [];
  for (const team of teams) {
    for (const env of team.environments) {
      const place = `${env.account}/${env.region}`;
      const range = parseCidr(env.cidr);
      const used = seen.get(place) ?? [];
      const other = used.find((u) => overlaps(u.range, range));
      if (other) {
        const message = `network range ${env.cidr} overlaps ${other.owner} in account ${env.account} ${env.region}; set \`cidr:\` if the VPCs will be connected`;
        diagnostics.push(at(team, locate, ['environments', env.name], message, 'warning'));
      }
      seen.set(place, [...used, { range, owner: `${team.id}/${env.name}` }]);
    }
  }
  return diagnostics;
}
