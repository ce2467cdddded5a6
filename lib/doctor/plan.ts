/**
 * Which checks run where, from the registry alone: every account and region it uses, the payer
 * account, and for each place the checks that apply there. Pure: the runner executes the plan.
 */
import { checkBootstrap, type BootstrapNeeds } from './bootstrap';
import { checkConnection, type ConnectionUse } from './connections';
import { checkCostTags, missingPayerAccount } from './cost-tags';
import { checkChatWorkspace, checkTopic } from './notifications';
import { checkLink, checkSink } from './observability';
import { checkCloudTrail, checkConfig, checkGuardDuty, checkSecurityHub, ORG_CONTROLS } from './org-controls';
import type { PlaceContext } from './place';
import { checkQuota, QUOTAS, type QuotaKey } from './quotas';
import type { CheckGroup, Finding } from './types';
import { alertTopicName, deliveryStackName, deliveryTopicName, environmentStackName } from '../contract';
import { prodAccounts } from '../registry/accounts';
import type { ChatChannel, Registry } from '../registry/types';

/** One check at one place; `action` names the IAM action a denial would be about. */
export interface PlannedCheck {
  readonly account: string;
  /** Where the check reads (account-wide APIs too have a region). */
  readonly region: string;
  readonly group: CheckGroup;
  readonly check: string;
  readonly action: string;
  /** Shown in the row: undefined for account-wide checks. */
  readonly rowRegion?: string;
  readonly run: (ctx: PlaceContext) => Promise<Finding[]>;
}

/** Rows that need no AWS call (a registry gap). */
export interface StaticRow {
  readonly account: string;
  readonly region?: string;
  readonly finding: Finding;
}

export interface AccountRoles {
  readonly account: string;
  /** What the account is to the platform: tooling, payer, environments (team-env, ...). */
  readonly roles: readonly string[];
  /** Where its reader is assumed and account-wide checks run. */
  readonly homeRegion: string;
}

export interface DoctorPlan {
  readonly accounts: readonly AccountRoles[];
  readonly checks: readonly PlannedCheck[];
  readonly staticRows: readonly StaticRow[];
}

interface Place {
  readonly account: string;
  readonly region: string;
}

const key = (p: Place) => `${p.account}|${p.region}`;

/** NAT gateways (one Elastic IP each) per environment, as the environment stack builds them. */
const natGatewaysOf = (isProd: boolean) => (isProd ? 2 : 1);

export function planChecks(registry: Registry, needs: Omit<BootstrapNeeds, 'toolingAccount'>): DoctorPlan {
  const { platform, teams } = registry;
  const tooling = platform.tooling;
  const environments = teams.flatMap(t => t.environments.map(e => ({ team: t, env: e })));
  const places = new Map<string, Place>();
  const add = (p: Place) => places.set(key(p), { account: p.account, region: p.region });
  add(tooling);
  for (const { env } of environments) {
    add(env);
    add({ account: tooling.account, region: env.region });
  }
  const checks: PlannedCheck[] = [];
  const staticRows: StaticRow[] = [];
  const at = (p: Place, group: CheckGroup, check: string, action: string, run: PlannedCheck['run'], rowRegion: string | undefined = p.region) =>
    checks.push({ account: p.account, region: p.region, group, check, action, rowRegion, run });

  const bootstrapNeeds: BootstrapNeeds = { ...needs, toolingAccount: tooling.account, prodAccounts: prodAccounts(registry) };
  for (const place of [...places.values()].sort((a, b) => key(a).localeCompare(key(b)))) {
    at(place, 'bootstrap', 'CDKToolkit', 'cloudformation:DescribeStacks', ctx => checkBootstrap(ctx, bootstrapNeeds));
    planObservability(place, registry, at);
    at(place, 'org-controls', ORG_CONTROLS.cloudtrail.check, 'cloudtrail:DescribeTrails', async ctx => [await checkCloudTrail(ctx)]);
    at(place, 'org-controls', ORG_CONTROLS.guardduty.check, 'guardduty:ListDetectors', async ctx => [await checkGuardDuty(ctx)]);
    at(place, 'org-controls', ORG_CONTROLS.securityhub.check, 'securityhub:DescribeHub', async ctx => [await checkSecurityHub(ctx)]);
    at(place, 'org-controls', ORG_CONTROLS.config.check, 'config:DescribeConfigurationRecorderStatus', async ctx => [await checkConfig(ctx)]);
    for (const [quota, planned] of plannedUse(registry, place)) {
      at(place, 'quotas', QUOTAS[quota].label, 'servicequotas:ListServiceQuotas', async ctx => [await checkQuota(ctx, QUOTAS[quota], planned)]);
    }
  }
  for (const use of connectionUses(registry)) {
    const [, , , region, account] = use.arn.split(':');
    at({ account, region }, 'source', use.arn.split('/').pop() ?? use.arn, `${use.arn.split(':')[2]}:GetConnection`, async ctx => [await checkConnection(ctx, use)]);
  }
  for (const { team, env } of environments) {
    const topic = alertTopicName(team.id, env.name);
    at(env, 'notifications', topic, 'sns:ListSubscriptionsByTopic', async ctx => [await checkTopic(ctx, topic, environmentStackName(team.id, env.name))]);
  }
  for (const team of teams) {
    const topic = deliveryTopicName(team.id);
    at(tooling, 'notifications', topic, 'sns:ListSubscriptionsByTopic', async ctx => [await checkTopic(ctx, topic, deliveryStackName(team.id))]);
  }
  for (const { account, chat, teamIds } of chatWorkspaces(registry)) {
    const action = chat.kind === 'slack' ? 'chatbot:DescribeSlackWorkspaces' : 'chatbot:ListMicrosoftTeamsConfiguredTeams';
    at({ account, region: homeRegionOf(registry, account) }, 'notifications', `${chat.kind} ${chat.workspaceId}`, action, async ctx => [await checkChatWorkspace(ctx, chat, teamIds)], undefined);
  }
  if (platform.payerAccount) {
    const payer = { account: platform.payerAccount, region: homeRegionOf(registry, platform.payerAccount) };
    at(payer, 'cost-tags', 'cost-allocation tags', 'ce:ListCostAllocationTags', checkCostTags, undefined);
  } else {
    staticRows.push({ account: tooling.account, finding: missingPayerAccount() });
  }
  return { accounts: accountRoles(registry, checks), checks, staticRows };
}

type At = (p: Place, group: CheckGroup, check: string, action: string, run: PlannedCheck['run'], rowRegion?: string) => void;

/** The tooling account holds a sink in every region it uses; every other account links to the sink of its region. */
function planObservability(place: Place, registry: Registry, at: At): void {
  const recorded = registry.platform.observabilitySinkArns?.[place.region];
  if (place.account === registry.platform.tooling.account) {
    at(place, 'observability', 'sink', 'oam:GetSink', async ctx => [await checkSink(ctx, recorded)]);
  } else {
    at(place, 'observability', 'link', 'oam:ListLinks', async ctx => [await checkLink(ctx, recorded, registry.platform.tooling.account)]);
  }
}

/** What the registry will create at a place, per quota (zero uses are left out). */
export function plannedUse(registry: Registry, place: Place): Array<[QuotaKey, number]> {
  const envs = registry.teams.flatMap(t => t.environments).filter(e => e.account === place.account && e.region === place.region);
  const isToolingRegion = place.account === registry.platform.tooling.account && place.region === registry.platform.tooling.region;
  // Each team's delivery pipeline, plus its platform pipeline and the platform pipeline itself when configured.
  const pipelines = isToolingRegion ? registry.teams.length * (registry.platform.pipeline ? 2 : 1) + (registry.platform.pipeline ? 1 : 0) : 0;
  const uses: Array<[QuotaKey, number]> = [
    ['pipelines', pipelines],
    ['vpcs', envs.length],
    ['elasticIps', envs.reduce((n, e) => n + natGatewaysOf(e.isProd), 0)],
    ['ecsClusters', envs.length],
  ];
  return uses.filter(([, n]) => n > 0);
}

/** Every source connection the registry names, with who uses it. */
export function connectionUses(registry: Registry): ConnectionUse[] {
  const uses = new Map<string, string[]>();
  const use = (arn: string | undefined, who: string) => {
    if (arn) uses.set(arn, [...(uses.get(arn) ?? []), who]);
  };
  for (const team of registry.teams) use(team.repository.connectionArn, `team ${team.id} (${team.sourceFile})`);
  use(registry.platform.pipeline?.repository.connectionArn, `the platform pipeline (${registry.platform.sourceFile ?? 'teams/_platform.yaml'})`);
  return [...uses.entries()].map(([arn, usedBy]) => ({ arn, usedBy }));
}

/** Each account and chat workspace pair that must be authorised, with the teams that need it. */
function chatWorkspaces(registry: Registry): Array<{ account: string; chat: ChatChannel; teamIds: string[] }> {
  const found = new Map<string, { account: string; chat: ChatChannel; teamIds: string[] }>();
  for (const team of registry.teams) {
    const chat = team.contacts.chat;
    if (!chat) continue;
    for (const account of new Set(team.environments.map(e => e.account))) {
      const k = `${account}|${chat.kind}|${chat.workspaceId}|${chat.teamId ?? ''}`;
      const entry = found.get(k) ?? { account, chat, teamIds: [] };
      entry.teamIds.push(team.id);
      found.set(k, entry);
    }
  }
  return [...found.values()];
}

/** The account's home region: the tooling region for tooling, else the default region if used, else its first. */
export function homeRegionOf(registry: Registry, account: string): string {
  const { platform } = registry;
  if (account === platform.tooling.account) return platform.tooling.region;
  const regions = [...new Set(registry.teams.flatMap(t => t.environments).filter(e => e.account === account).map(e => e.region))].sort();
  if (regions.includes(platform.defaultRegion)) return platform.defaultRegion;
  return regions[0] ?? platform.defaultRegion;
}

function accountRoles(registry: Registry, checks: readonly PlannedCheck[]): AccountRoles[] {
  const { platform } = registry;
  const accounts = [...new Set([platform.tooling.account, ...checks.map(c => c.account), ...(platform.payerAccount ? [platform.payerAccount] : [])])];
  const rolesOf = (account: string) => {
    const roles: string[] = [];
    if (account === platform.tooling.account) roles.push('tooling');
    if (account === platform.payerAccount) roles.push('payer');
    const envs = registry.teams.flatMap(t => t.environments.filter(e => e.account === account).map(e => `${t.id}-${e.name}`));
    if (envs.length > 0) roles.push(`environments ${envs.join(', ')}`);
    return roles;
  };
  const tooling = platform.tooling.account;
  return accounts
    .sort((a, b) => (a === tooling ? -1 : b === tooling ? 1 : a.localeCompare(b)))
    .map(account => ({ account, roles: rolesOf(account), homeRegion: homeRegionOf(registry, account) }));
}
