/**
 * The alarm catalogue: every alarm the platform creates, with what it means and what to do first.
 * Constructs create alarms from these entries, team repositories render RUNBOOK.md from them, and
 * every alarm's description links its entry; a test checks the synthesized alarms against this list.
 */
import type { RepositoryLocation } from './aws-addressing';

export type AlarmSeverity = 'critical' | 'warning';
export type AlarmSubject = 'service' | 'load-balancer' | 'database' | 'logs' | 'pipeline' | 'health';
/**
 * What raises the signal: a metric alarm, the composite of an environment's critical alarms, or an
 * EventBridge rule that routes an event to the team's topic (no CloudWatch alarm exists for it).
 */
export type AlarmSource = 'metric' | 'composite' | 'event';
/** Where it lives: in each environment's stack, or once per team in the delivery stack (tooling account). */
export type AlarmPlacement = 'environment' | 'delivery';

export interface AlarmThreshold {
  readonly prod: number;
  readonly nonProd: number;
}

export interface AlarmCatalogueEntry {
  /** Stable id: the registry's `alarms:` overrides and runbook anchors use it. */
  readonly id: string;
  readonly title: string;
  readonly subject: AlarmSubject;
  /** Severity in prod; outside prod every alarm is at most a warning. */
  readonly severity: AlarmSeverity;
  readonly meaning: string;
  readonly firstSteps: readonly string[];
  /** Default threshold, overridable per team and environment; undefined for composite alarms. */
  readonly threshold?: AlarmThreshold;
  readonly unit?: string;
  /** Only created when the team has a database. */
  readonly requiresDatabase?: boolean;
  /**
   * What raises it.
   * @default 'metric'
   */
  readonly source?: AlarmSource;
  /**
   * Which stack creates it.
   * @default 'environment'
   */
  readonly placement?: AlarmPlacement;
}

export const ALARM_CATALOGUE: readonly AlarmCatalogueEntry[] = [
  {
    id: 'serviceHealth',
    title: 'Service health',
    subject: 'health',
    severity: 'critical',
    meaning: 'At least one critical signal of the environment is in alarm: the service is failing its users or about to.',
    firstSteps: ['Open the environment dashboard and find which child alarm is red.', 'Follow that alarm\'s runbook entry.', 'If users are affected, post in the team channel and page the program office.'],
    source: 'composite',
  },
  {
    id: 'http5xxRate',
    title: 'Server errors (5xx rate)',
    subject: 'load-balancer',
    severity: 'critical',
    meaning: 'The share of requests answered with a 5xx by the service or the load balancer is above the threshold.',
    firstSteps: ['Check the service log group for errors at the same time.', 'Check whether a deployment just happened (pipeline history) and roll back if so.', 'Check the database alarms: errors often start there.'],
    threshold: { prod: 5, nonProd: 20 },
    unit: 'percent of requests',
  },
  {
    id: 'latencyP90',
    title: 'Slow responses (p90 latency)',
    subject: 'load-balancer',
    severity: 'warning',
    meaning: 'One request in ten takes longer than the threshold.',
    firstSteps: ['Compare with CPU and memory of the service: scale out if saturated.', 'Check slow queries on the database.'],
    threshold: { prod: 1000, nonProd: 3000 },
    unit: 'milliseconds',
  },
  {
    id: 'latencyP99',
    title: 'Very slow responses (p99 latency)',
    subject: 'load-balancer',
    severity: 'critical',
    meaning: 'One request in a hundred takes longer than the threshold.',
    firstSteps: ['Look for timeouts in the service log group.', 'Check dependencies (database, external APIs) for latency.'],
    threshold: { prod: 3000, nonProd: 10000 },
    unit: 'milliseconds',
  },
  {
    id: 'healthyHosts',
    title: 'Too few healthy tasks behind the load balancer',
    subject: 'load-balancer',
    severity: 'critical',
    meaning: 'Fewer targets pass the health check than the threshold.',
    firstSteps: ['Open the ECS service events: are tasks failing their health check or crashing?', 'Check the health-check path answers 200 locally.', 'Check the last deployment; the circuit breaker may be rolling back.'],
    threshold: { prod: 1, nonProd: 1 },
    unit: 'healthy targets (alarm below)',
  },
  {
    id: 'runningTasks',
    title: 'Running tasks below desired',
    subject: 'service',
    severity: 'warning',
    meaning: 'ECS runs fewer tasks than the threshold.',
    firstSteps: ['Open the ECS service events for placement or pull errors.', 'Check that the released image exists in the image repository.'],
    threshold: { prod: 1, nonProd: 1 },
    unit: 'tasks (alarm below)',
  },
  {
    id: 'cpuUtilization',
    title: 'High CPU',
    subject: 'service',
    severity: 'warning',
    meaning: 'The service uses more CPU than the threshold.',
    firstSteps: ['Check traffic on the dashboard.', 'Raise desiredCount or cpu for this environment in the registry.'],
    threshold: { prod: 80, nonProd: 90 },
    unit: 'percent',
  },
  {
    id: 'memoryUtilization',
    title: 'High memory',
    subject: 'service',
    severity: 'warning',
    meaning: 'The service uses more memory than the threshold; tasks may be killed.',
    firstSteps: ['Look for a memory leak after the last deployment.', 'Raise memory for this environment in the registry.'],
    threshold: { prod: 85, nonProd: 95 },
    unit: 'percent',
  },
  {
    id: 'appLogErrors',
    title: 'Application errors in the log',
    subject: 'logs',
    severity: 'warning',
    meaning: 'The service logged more lines at level error than the threshold in five minutes.',
    firstSteps: ['Search the service log group for `"level":"error"`.', 'Correlate with deployments and with 5xx.'],
    threshold: { prod: 10, nonProd: 50 },
    unit: 'error lines per 5 minutes',
  },
  {
    id: 'dbCpu',
    title: 'Database CPU high',
    subject: 'database',
    severity: 'warning',
    meaning: 'The database instance uses more CPU than the threshold.',
    firstSteps: ['Open Performance Insights for the top queries.', 'Consider a larger instanceClass in the registry.'],
    threshold: { prod: 80, nonProd: 90 },
    unit: 'percent',
    requiresDatabase: true,
  },
  {
    id: 'dbConnections',
    title: 'Database connections high',
    subject: 'database',
    severity: 'warning',
    meaning: 'More connections are open than the threshold; new ones may be refused.',
    firstSteps: ['Check the service for connection leaks or a missing pool limit.', 'Check how many tasks run.'],
    threshold: { prod: 80, nonProd: 80 },
    unit: 'connections',
    requiresDatabase: true,
  },
  {
    id: 'dbFreeStorage',
    title: 'Database storage low',
    subject: 'database',
    severity: 'critical',
    meaning: 'Free storage is below the threshold; the database stops accepting writes when it runs out.',
    firstSteps: ['Raise allocatedStorageGiB in the registry and deploy.', 'Look for runaway tables or logs.'],
    threshold: { prod: 5, nonProd: 2 },
    unit: 'GiB (alarm below)',
    requiresDatabase: true,
  },
  {
    id: 'buildFailures',
    title: 'Builds failing',
    subject: 'pipeline',
    severity: 'warning',
    meaning: 'The team\'s build project failed at least the threshold number of times in an hour.',
    firstSteps: ['Open the failed build\'s log and test report.', 'Fix the test or revert the change on the branch.'],
    threshold: { prod: 1, nonProd: 1 },
    unit: 'failed builds per hour',
    placement: 'delivery',
  },
  {
    id: 'pipelineFailed',
    title: 'Pipeline execution failed',
    subject: 'pipeline',
    severity: 'warning',
    meaning: 'An execution of the team\'s delivery pipeline failed (an EventBridge rule routes the event to the team\'s delivery topic; not a metric alarm).',
    firstSteps: ['Run `npx springboard fleet status` or open the pipeline to see the failing action.', 'Retry the stage once the cause is fixed.'],
    source: 'event',
    placement: 'delivery',
  },
];

export function alarmEntry(id: string): AlarmCatalogueEntry {
  const entry = ALARM_CATALOGUE.find((e) => e.id === id);
  if (!entry) throw new Error(`unknown alarm id '${id}': expected one of ${ALARM_CATALOGUE.map((e) => e.id).join(', ')}`);
  return entry;
}

/** The anchor of an entry in a team's RUNBOOK.md (GitHub-style heading slug of `id`). */
export function runbookAnchor(id: string): string {
  return id.toLowerCase();
}

/** Where a team's RUNBOOK.md entry for an alarm can be read, for alarm descriptions. */
export function runbookUrl(repository: RepositoryLocation, id: string): string {
  const file = `RUNBOOK.md#${runbookAnchor(id)}`;
  switch (repository.provider) {
    case 'github':
      return `https://github.com/${repository.name}/blob/${repository.branch}/${file}`;
    case 'gitlab':
      return `https://gitlab.com/${repository.name}/-/blob/${repository.branch}/${file}`;
    case 'bitbucket':
      return `https://bitbucket.org/${repository.name}/src/${repository.branch}/${file}`;
    case 'codecommit':
      return `codecommit://${repository.name}/${repository.branch}/${file}`;
  }
}

/** Severity in one environment: the catalogue's in prod; outside prod at most a warning, so dev never pages. */
export function severityFor(entry: AlarmCatalogueEntry, isProd: boolean): AlarmSeverity {
  return isProd ? entry.severity : 'warning';
}

/** Threshold for one environment: the registry's override, else the catalogue default. */
export function thresholdFor(entry: AlarmCatalogueEntry, isProd: boolean, overrides: Readonly<Record<string, number>>): number | undefined {
  if (entry.id in overrides) return overrides[entry.id];
  return entry.threshold ? (isProd ? entry.threshold.prod : entry.threshold.nonProd) : undefined;
}

/** Every alarm id, for the registry's `alarms:` overrides. */
export const ALARM_IDS = ALARM_CATALOGUE.map((e) => e.id) as [string, ...string[]];
