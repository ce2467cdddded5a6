/**
 * Observability of one team environment, built with cdk-monitoring-constructs (metric factory →
 * monitoring → facade): golden signals of the service and its load balancer, the database when
 * there is one, application log errors, a composite "service health" alarm, the environment's
 * dashboard and its alert topic. Every alarm comes from the catalogue (name, severity, threshold,
 * runbook link) and notifies the topic on ALARM and on OK.
 */
import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { FargateService } from 'aws-cdk-lib/aws-ecs';
import { HttpCodeElb, HttpCodeTarget, IApplicationLoadBalancer, IApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { IDatabaseInstance } from 'aws-cdk-lib/aws-rds';
import {
  CustomAlarmThreshold, DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { PlannedAlarm, planEnvironmentAlarms } from './alarm-plan';
import { AlertTopic } from './alert-topic';
import { alarmNamePrefix, environmentDashboardName, metricNamespace } from './names';
import { alertTopicName } from '../contract';
import type { EnvironmentSpec, SourceRepository, TeamContacts } from '../registry/types';

/** Tag the facade uses to collect the children of the composite: alarms whose catalogue severity is critical. */
const CRITICAL_SIGNAL_TAG = 'springboard:critical-signal';
/** Metric of the application log error filter, in the environment's namespace. */
export const APP_LOG_ERRORS_METRIC = 'AppLogErrors';
const FIVE_MINUTES = Duration.minutes(5);

export interface EnvironmentMonitoringProps {
  readonly teamId: string;
  readonly environment: EnvironmentSpec;
  readonly contacts: TeamContacts;
  /** The team's repository: runbook links point at its RUNBOOK.md. */
  readonly repository: SourceRepository;
  /** The environment's key; the alert topic is encrypted with it. */
  readonly key: IKey;
  readonly service: FargateService;
  readonly loadBalancer: IApplicationLoadBalancer;
  readonly targetGroup: IApplicationTargetGroup;
  /** The service's application log group. */
  readonly logGroup: ILogGroup;
  /**
   * The environment's database.
   * @default - no database signals
   */
  readonly database?: IDatabaseInstance;
}

export class EnvironmentMonitoring extends Construct {
  readonly alerts: AlertTopic;
  readonly facade: MonitoringFacade;
  readonly dashboards: DefaultDashboardFactory;
  /** The resolved alarm plan this construct built. */
  readonly plan: readonly PlannedAlarm[];

  constructor(scope: Construct, id: string, props: EnvironmentMonitoringProps) {
    super(scope, id);
    const { teamId, environment: env } = props;
    this.plan = planEnvironmentAlarms(teamId, env, props.repository, props.database !== undefined);
    this.alerts = new AlertTopic(this, 'Alerts', {
      topicName: alertTopicName(teamId, env.name),
      key: props.key,
      owner: props.contacts.owner,
      // Outside prod every alarm is a warning: the on-call person is not even subscribed.
      onCall: env.isProd ? { contact: props.contacts.onCall, alarmNamePrefix: alarmNamePrefix(teamId, env.name, 'critical') } : undefined,
      chat: props.contacts.chat,
      chatConfigurationName: alertTopicName(teamId, env.name),
    });
    this.dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: environmentDashboardName(teamId, env.name),
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
      detailDashboardRange: Duration.hours(8),
    });
    const action = new SnsAlarmActionStrategy({ onAlarmTopic: this.alerts.topic, onOkTopic: this.alerts.topic });
    this.facade = new MonitoringFacade(this, 'Facade', {
      // Three five-minute periods in breach: a blip does not page, fifteen minutes of trouble does.
      alarmFactoryDefaults: {
        alarmNamePrefix: environmentDashboardName(teamId, env.name), actionsEnabled: true, action, datapointsToAlarm: 3, evaluationPeriods: 3,
      },
      metricFactoryDefaults: { period: FIVE_MINUTES },
      dashboardFactory: this.dashboards,
    });
    this.facade.addLargeHeader(`Springboard ${teamId} ${env.name}${env.isProd ? ' (production)' : ''}`);
    this.monitorService(props);
    this.monitorLoadBalancer(props);
    this.monitorLogs(props);
    if (props.database) this.monitorDatabase(props.database);
    this.addServiceHealth(props);
  }

  /** The catalogue's name, description, runbook link and the routing tags for one planned alarm. */
  private threshold(id: string): CustomAlarmThreshold & { readonly value: number } {
    const p = this.planned(id);
    return {
      value: p.threshold!,
      alarmNameOverride: p.alarmName,
      alarmDescriptionOverride: p.description,
      runbookLink: p.runbookUrl,
      customTags: p.entry.severity === 'critical' ? [id, CRITICAL_SIGNAL_TAG] : [id],
    };
  }

  private planned(id: string): PlannedAlarm {
    const found = this.plan.find(p => p.entry.id === id);
    if (!found) throw new Error(`alarm ${id} is not in the plan of this environment`);
    return found;
  }

  private monitorService(props: EnvironmentMonitoringProps): void {
    const { value: minHealthy, ...healthy } = this.threshold('healthyHosts');
    const { value: minRunning, ...running } = this.threshold('runningTasks');
    const { value: maxCpu, ...cpu } = this.threshold('cpuUtilization');
    const { value: maxMemory, ...memory } = this.threshold('memoryUtilization');
    this.facade.monitorFargateApplicationLoadBalancer({
      fargateService: props.service,
      applicationLoadBalancer: props.loadBalancer,
      applicationTargetGroup: props.targetGroup,
      humanReadableName: 'Service',
      alarmFriendlyName: 'Service',
      addHealthyTaskCountAlarm: { [this.severityKey('healthyHosts')]: { ...healthy, minHealthyTasks: minHealthy } },
      // The library's running-task alarm fires above a maximum; the catalogue's fires below a minimum.
      addRunningTaskCountAlarm: {
        [this.severityKey('runningTasks')]: {
          ...running,
          maxRunningTasks: minRunning,
          comparisonOperatorOverride: ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingDataOverride: TreatMissingData.BREACHING,
        },
      },
      addCpuUsageAlarm: { [this.severityKey('cpuUtilization')]: { ...cpu, maxUsagePercent: maxCpu } },
      addMemoryUsageAlarm: { [this.severityKey('memoryUtilization')]: { ...memory, maxUsagePercent: maxMemory } },
    });
  }

  /** 5xx rate and latency percentiles: signals the service monitoring does not cover. */
  private monitorLoadBalancer(props: EnvironmentMonitoringProps): void {
    const metrics = props.loadBalancer.metrics;
    const errorRate = new MathExpression({
      label: '5xx rate (%)',
      expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
      usingMetrics: {
        requests: metrics.requestCount({ statistic: 'Sum' }),
        target5xx: metrics.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum' }),
        elb5xx: metrics.httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum' }),
      },
      period: FIVE_MINUTES,
    });
    const latency = (statistic: 'p90' | 'p99') => new MathExpression({
      label: `${statistic} latency (ms)`,
      expression: `1000 * ${statistic}seconds`,
      usingMetrics: { [`${statistic}seconds`]: props.targetGroup.metrics.targetResponseTime({ statistic }) },
      period: FIVE_MINUTES,
    });
    this.facade.monitorCustom({
      humanReadableName: 'Load balancer: errors and latency',
      alarmFriendlyName: 'LoadBalancer',
      metricGroups: [
        { title: '5xx rate (%)', metrics: [this.customAlarm('http5xxRate', errorRate, ComparisonOperator.GREATER_THAN_THRESHOLD)] },
        {
          title: 'Latency (ms)',
          metrics: [
            this.customAlarm('latencyP90', latency('p90'), ComparisonOperator.GREATER_THAN_THRESHOLD),
            this.customAlarm('latencyP99', latency('p99'), ComparisonOperator.GREATER_THAN_THRESHOLD),
          ],
        },
      ],
    });
  }

  /** Lines logged at level error, counted by a metric filter on the service's log group. */
  private monitorLogs(props: EnvironmentMonitoringProps): void {
    const { teamId, environment: env } = props;
    const filter = new MetricFilter(this, 'AppLogErrors', {
      logGroup: props.logGroup,
      metricNamespace: metricNamespace(teamId, env.name),
      metricName: APP_LOG_ERRORS_METRIC,
      filterPattern: FilterPattern.any(FilterPattern.stringValue('$.level', '=', 'error'), FilterPattern.stringValue('$.level', '=', 'ERROR')),
      metricValue: '1',
    });
    const errors = filter.metric({ statistic: 'Sum', period: FIVE_MINUTES, label: 'error lines' });
    this.facade.monitorCustom({
      humanReadableName: 'Application log',
      alarmFriendlyName: 'AppLog',
      metricGroups: [{ title: 'Error lines per 5 minutes', metrics: [this.customAlarm('appLogErrors', errors, ComparisonOperator.GREATER_THAN_THRESHOLD, 1)] }],
    });
  }

  private monitorDatabase(database: IDatabaseInstance): void {
    const { value: maxCpu, ...cpu } = this.threshold('dbCpu');
    const { value: maxConnections, ...connections } = this.threshold('dbConnections');
    const { value: minFreeGiB, ...storage } = this.threshold('dbFreeStorage');
    this.facade.monitorRdsInstance({
      instance: database,
      humanReadableName: 'Database',
      alarmFriendlyName: 'Database',
      addCpuUsageAlarm: { [this.severityKey('dbCpu')]: { ...cpu, maxUsagePercent: maxCpu } },
      addMaxConnectionCountAlarm: { [this.severityKey('dbConnections')]: { ...connections, maxConnectionCount: maxConnections } },
      // FreeStorageSpace is in bytes; the catalogue's threshold is in GiB.
      addFreeStorageSpaceAlarm: { [this.severityKey('dbFreeStorage')]: { ...storage, minCount: minFreeGiB * 1024 ** 3 } },
    });
  }

  /** One composite per environment: in alarm while any critical signal is. */
  private addServiceHealth(props: EnvironmentMonitoringProps): void {
    const health = this.planned('serviceHealth');
    const composite = this.facade.createCompositeAlarmUsingTag(CRITICAL_SIGNAL_TAG, {
      alarmNameOverride: health.alarmName,
      alarmDescription: health.description,
      runbookLink: health.runbookUrl,
      disambiguator: health.severity,
    });
    if (!composite) throw new Error(`environment ${props.teamId} ${props.environment.name} has no critical signal to compose a service health alarm from`);
    this.facade.addWidget(new AlarmStatusWidget({
      title: 'Service health and its signals', alarms: [composite, ...this.facade.createdAlarms().map(a => a.alarm)], width: 24, height: 4,
    }));
  }

  private customAlarm(id: string, metric: MathExpression | ReturnType<MetricFilter['metric']>, comparisonOperator: ComparisonOperator, datapoints?: number) {
    const { value, ...rest } = this.threshold(id);
    return {
      metric,
      alarmFriendlyName: id,
      addAlarm: {
        [this.severityKey(id)]: {
          ...rest,
          threshold: value,
          comparisonOperator,
          treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
          ...(datapoints ? { datapointsToAlarm: datapoints, evaluationPeriods: datapoints } : {}),
        },
      },
    };
  }

  private severityKey(id: string): string {
    return this.planned(id).severity === 'critical' ? 'Critical' : 'Warning';
  }
}
