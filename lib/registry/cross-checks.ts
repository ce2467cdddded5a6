/**
 * Checks that need the whole registry: uniqueness, ownership (a repository, a certificate and a
 * source connection each belong to one team and place), derived names and ranges.
 */
import { parseArn } from './arns';
import { overlaps, parseCidr, Range } from './cidr';
import type { Diagnostic } from './diagnostics';
import type { PlatformSettings, SourceRepository, TeamSpec } from './types';
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

export function crossCheck(teams: readonly TeamSpec[], locate: Locator, platform?: PlatformSettings): Diagnostic[] {
  return [
    ...duplicateIds(teams, locate),
    ...sharedRepositories(teams, locate),
    ...nameLimits(teams, locate),
    ...nameCollisions(teams, locate),
    ...overlappingRanges(teams, locate),
    ...misplacedCertificates(teams, locate),
    ...sharedCertificates(teams, locate),
    ...misplacedSecrets(teams, locate),
    ...sharedSecrets(teams, locate),
    ...(platform ? [
      ...misplacedConnections(teams, locate, platform),
      ...platformRepositoryClaims(teams, locate, platform),
      ...backupAccountClashes(teams, platform, locate),
    ] : []),
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

/**
 * A pipeline is granted the connection its team names, and builds from the repository named; a
 * connection of any other account or region is not the platform's to hand out.
 */
function misplacedConnections(teams: readonly TeamSpec[], locate: Locator, platform: PlatformSettings): Diagnostic[] {
  const { account, region } = platform.tooling;
  return teams.flatMap((team) => {
    const parsed = team.repository.connectionArn ? parseArn('connection', team.repository.connectionArn) : undefined;
    if (!parsed || (parsed.account === account && parsed.region === region)) return [];
    const message = `connection is in account ${parsed.account} ${parsed.region}, but team pipelines run in the tooling account ${account} ${region}; `
      + 'use a connection created there (the tooling account and region are set in _platform.yaml)';
    return [at(team, locate, ['repository', 'connectionArn'], message)];
  });
}

/** Repository names compare without case: the hosted providers and CodeCommit treat them so. */
const repositoryKey = (repo: SourceRepository) => `${repo.provider}:${repo.name.toLowerCase()}`;

/** One repository belongs to one team: another branch of it is still the other team's code and secrets. */
function sharedRepositories(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  return [...groupBy(teams, (t) => repositoryKey(t.repository)).values()]
    .filter((group) => new Set(group.map((t) => t.id)).size > 1)
    .flatMap((group) =>
      group.map((t) => {
        const others = group.filter((o) => o.id !== t.id).map((o) => `'${o.id}' (${o.sourceFile})`).join(', ');
        const message = `${t.repository.provider} repository ${t.repository.name} is also the source of team ${others}; `
          + 'a repository belongs to one team, whose pipeline alone may read it: give each team its own repository';
        return at(t, locate, ['repository', 'name'], message);
      }),
    );
}

/** The Springboard repository feeds the platform pipelines; a team pipeline reading it would read the platform's code. */
function platformRepositoryClaims(teams: readonly TeamSpec[], locate: Locator, platform: PlatformSettings): Diagnostic[] {
  const own = platform.pipeline?.repository;
  if (!own) return [];
  return teams
    .filter((t) => repositoryKey(t.repository) === repositoryKey(own))
    .map((t) => at(t, locate, ['repository', 'name'], `${own.provider} repository ${own.name} is the Springboard repository of the platform pipelines (${platform.sourceFile ?? '_platform.yaml'}); a team builds from a repository of its own`));
}

/** A certificate names the service it serves: used by two teams, one could answer for the other's name. */
function sharedCertificates(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  const uses = teams.flatMap((team) => team.environments.filter((e) => e.certificateArn).map((env) => ({ team, env, arn: env.certificateArn! })));
  return [...groupBy(uses, (u) => u.arn).values()]
    .filter((group) => new Set(group.map((u) => u.team.id)).size > 1)
    .flatMap((group) =>
      group.map(({ team, env }) => {
        const others = [...new Set(group.filter((o) => o.team.id !== team.id).map((o) => `'${o.team.id}' (${o.team.sourceFile}, ${o.env.name})`))].join(', ');
        const message = `certificate is also used by team ${others}; a certificate belongs to one team: request one for this team's own domain name`;
        return at(team, locate, ['environments', env.name, 'certificateArn'], message);
      }),
    );
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

/**
 * A task reads only secrets of its own account and region: its execution role's grants and the
 * environment key's policy name them there (docs/secrets.md).
 */
function misplacedSecrets(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  return teams.flatMap((team) =>
    team.environments.flatMap((env) => env.secrets.flatMap((secret) => {
      const [, , , region, account] = secret.arn.split(':');
      if (region === env.region && account === env.account) return [];
      const what = secret.source === 'ssm-parameter' ? 'parameter' : 'secret';
      const message = `${what} for ${secret.variable} is in account ${account} ${region}, but environment ${env.name} runs in account ${env.account} ${env.region}; `
        + `a service reads secrets of its own environment's account and region only: create it there, or name it in environments.${env.name}.service.secrets`;
      return [at(team, locate, secret.path, message)];
    })),
  );
}

/** A secret belongs to one team: named by two, the other's execution role would be granted it too. */
function sharedSecrets(teams: readonly TeamSpec[], locate: Locator): Diagnostic[] {
  const uses = teams.flatMap((team) => team.environments.flatMap((env) => env.secrets.map((secret) => ({ team, secret }))));
  const reported = new Set<string>();
  return [...groupBy(uses, (u) => u.secret.arn).values()]
    .filter((group) => new Set(group.map((u) => u.team.id)).size > 1)
    .flatMap((group) => group.flatMap(({ team, secret }) => {
      // One error per line written, even when a team-level name resolves to the same ARN in several environments.
      const where = `${team.sourceFile}:${secret.path.join('.')}`;
      if (reported.has(where)) return [];
      reported.add(where);
      const others = [...new Set(group.filter((o) => o.team.id !== team.id).map((o) => `'${o.team.id}' (${o.team.sourceFile})`))].join(', ');
      return [at(team, locate, secret.path, `${secret.arn} is also read by team ${others}; a secret belongs to one team: give each team its own`)];
    }));
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
