/**
 * Who owns a resource, as the contract's tags say: a team (its id in `Team`) or the platform (a
 * reserved owner value that no team id can take). Isolation is attribute-based, so every resource
 * carries an owner: an untagged one would pass the boundary's "tag must match" deny.
 */
import { MANAGED_BY_VALUE, PLATFORM_PREFIX, TAG_KEYS } from './naming';

/** `Team` tag of platform-owned resources (baselines, platform pipelines, portfolio). Reserved: no team can take it. */
export const PLATFORM_OWNER = PLATFORM_PREFIX;

/** `Environment` tag of resources that serve every environment (baselines, delivery, platform). */
export const SHARED_ENVIRONMENT = 'shared';

/**
 * Team ids that read as the platform, AWS or CDK rather than a team. A team with one of these ids
 * would carry the platform's owner tag, or names that platform tooling and reviewers read as their own.
 */
export const RESERVED_TEAM_IDS: readonly string[] = [
  PLATFORM_OWNER, 'platform', SHARED_ENVIRONMENT, 'baseline', 'delivery', 'env', 'aws', 'amazon', 'cdk', 'admin', 'root', 'security',
];

/** Prefixes of reserved ids: `springboard-…` (the platform's namespace), `aws-…`, `cdk-…` (bootstrap roles). */
export const RESERVED_TEAM_ID_PREFIXES: readonly string[] = [`${PLATFORM_PREFIX}-`, 'aws-', 'cdk-'];

/** Why a team id is reserved, or undefined when a team may take it. */
export function reservedTeamIdReason(id: string): string | undefined {
  if (RESERVED_TEAM_IDS.includes(id)) {
    return id === PLATFORM_OWNER
      ? `'${id}' is reserved: it is the owner tag (${TAG_KEYS.team}=${id}) of platform-owned resources`
      : `'${id}' is reserved for the platform (reserved: ${RESERVED_TEAM_IDS.join(', ')})`;
  }
  const prefix = RESERVED_TEAM_ID_PREFIXES.find(p => id.startsWith(p));
  return prefix ? `'${id}' is reserved: ids starting with '${prefix}' belong to the platform, AWS or CDK` : undefined;
}

/** What the contract tags of a team's resources are made from (a registry TeamSpec has them all). */
export interface TeamOwner {
  readonly id: string;
  readonly programOffice: string;
  readonly costCenter: string;
  readonly dataClassification: string;
}

/** The contract's tags of a team resource; `environment` is `shared` for what serves them all (delivery). */
export function teamOwnerTags(team: TeamOwner, environment: string = SHARED_ENVIRONMENT): Record<string, string> {
  return {
    [TAG_KEYS.team]: team.id,
    [TAG_KEYS.environment]: environment,
    [TAG_KEYS.programOffice]: team.programOffice,
    [TAG_KEYS.costCenter]: team.costCenter,
    [TAG_KEYS.dataClassification]: team.dataClassification,
    [TAG_KEYS.managedBy]: MANAGED_BY_VALUE,
  };
}

/**
 * The platform as an owner. Classified `high`: the platform's stores hold every team's logs and its
 * pipelines deploy every team, so they carry the highest level any team may have (FIPS 199).
 */
export const PLATFORM_OWNER_SPEC: TeamOwner = {
  id: PLATFORM_OWNER,
  programOffice: `${PLATFORM_PREFIX}-platform`,
  costCenter: `${PLATFORM_PREFIX}-platform`,
  dataClassification: 'high',
};

/** The contract's tags of a platform-owned resource. */
export function platformOwnerTags(): Record<string, string> {
  return teamOwnerTags(PLATFORM_OWNER_SPEC, SHARED_ENVIRONMENT);
}
