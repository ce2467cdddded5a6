/**
 * Names of the observability resources. Dashboards and other accounts find alarms, rules and the
 * archive stream by these names (never by CloudFormation exports), so they are derived only here.
 */
import { AlarmSeverity, PLATFORM_PREFIX, alarmEntry, severityFor } from '../contract';

/** Alarm of one team environment: `springboard-<team>-<env>-<severity>-<catalogue id>`. */
export function alarmName(teamId: string, environment: string, severity: AlarmSeverity, id: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-${environment}-${severity}-${id}`;
}

/** Prefix shared by every alarm of one severity in one environment: what the on-call subscription filters on. */
export function alarmNamePrefix(teamId: string, environment: string, severity: AlarmSeverity): string {
  return `${PLATFORM_PREFIX}-${teamId}-${environment}-${severity}-`;
}

/** The environment's composite "service health" alarm. */
export function healthAlarmName(teamId: string, environment: string, isProd: boolean): string {
  return alarmName(teamId, environment, severityFor(alarmEntry('serviceHealth'), isProd), 'serviceHealth');
}

/** Stands for the environment in the names of the team's delivery alarms (tooling account). */
export const DELIVERY_SCOPE = 'delivery';

/** Alarm of the team's delivery (build project), in the tooling account. */
export function deliveryAlarmName(teamId: string, id: string): string {
  return alarmName(teamId, DELIVERY_SCOPE, severityFor(alarmEntry(id), false), id);
}

/** EventBridge rule routing the team's failed pipeline executions to its delivery topic. */
export function pipelineFailedRuleName(teamId: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-pipeline-failed`;
}

/** Dashboard of one team environment. */
export function environmentDashboardName(teamId: string, environment: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-${environment}`;
}

/** The team's overview dashboard, in the tooling account. */
export function teamDashboardName(teamId: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-overview`;
}

/** Page `page` (from 1) of the portfolio dashboard. */
export function portfolioDashboardName(page: number): string {
  return `${PLATFORM_PREFIX}-portfolio-${page}`;
}

/** CloudWatch namespace of a team environment's own metrics (log metric filters). */
export function metricNamespace(teamId: string, environment: string): string {
  return `Springboard/${teamId}/${environment}`;
}

/** Budget of a team (one per account that holds it); named in the contract, which the fleet view reads too. */
export { budgetName } from '../contract';

/** Firehose stream of an account and region that writes logs into the log archive. */
export const LOG_ARCHIVE_STREAM_NAME = `${PLATFORM_PREFIX}-log-archive`;

/** Role CloudWatch Logs assumes to put subscribed log events into the stream (IAM is global: per region). */
export function logSubscriptionRoleName(region: string): string {
  return `${PLATFORM_PREFIX}-logs-subscription-${region}`;
}

/** Role the stream assumes to write into the archive bucket. */
export function logDeliveryRoleName(region: string): string {
  return `${PLATFORM_PREFIX}-logs-delivery-${region}`;
}

/** Key prefix of streamed logs in the archive bucket (export tasks write under `exports/`). */
export const STREAMED_LOGS_PREFIX = 'logs/';

/** A team's prefix in the archive: `logs/<team>/`. The stream partitions by the team, so the baseline needs nothing per team. */
export function logArchiveTeamPrefix(teamId: string): string {
  return `${STREAMED_LOGS_PREFIX}${teamId}/`;
}

/**
 * Name of the subscription filter that streams a team's log group into the archive: the team id.
 * CloudWatch Logs sends the filter's name with every batch (`subscriptionFilters`), and the stream
 * reads the team from it. Teams cannot subscribe to the stream themselves: that needs the
 * platform's subscription role, which the boundary refuses to pass (DenyRolesOfOthers).
 */
export function logArchiveFilterName(teamId: string): string {
  return teamId;
}

/** Where the stream writes batches it could not partition (no team in them): readable by the platform only. */
export const LOG_ARCHIVE_ERRORS_PREFIX = 'errors/';

/** The stream's partition key query (JQ over the decompressed CloudWatch Logs batch): the filter's name, i.e. the team. */
export const LOG_ARCHIVE_PARTITION_QUERY = '{team: .subscriptionFilters[0]}';

/**
 * Role the CloudWatch console of the monitoring (tooling) account assumes to show this account's
 * alarms on cross-account dashboards. The name is fixed by CloudWatch.
 */
export const CROSS_ACCOUNT_SHARING_ROLE_NAME = 'CloudWatch-CrossAccountSharingRole';

/** ECS cluster of a team environment (the environment stack names its cluster `springboard-<team>-<env>`). */
export function environmentClusterName(teamId: string, environment: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-${environment}`;
}
