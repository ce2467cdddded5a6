/**
 * Observability of a team's delivery, in the tooling account next to its pipeline: failed pipeline
 * executions routed by EventBridge to the team's delivery topic, the build project's signals and
 * its `buildFailures` alarm, and the team overview dashboard (each environment's health alarm and
 * running tasks, read from the environment accounts, plus the build and the pipeline).
 *
 * Why the delivery topic and not the environments' topics: the pipeline and its build project live
 * in the tooling account, and CloudWatch alarm actions and EventBridge SNS targets stay in their
 * own account and region. Publishing there needs no cross-account bus or topic policy, and the
 * same topic carries the pipeline's approval and release notifications.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, GraphWidget, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { IProject } from 'aws-cdk-lib/aws-codebuild';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { PlannedAlarm, planDeliveryAlarms, planned } from './alarm-plan';
import { ChatChannelConfiguration } from './chat-channel';
import { environmentClusterName, healthAlarmName, pipelineFailedRuleName, teamDashboardName } from './names';
import { AlarmStateWidget, alarmArn, clusterTasksWidget } from './widgets';
import { pipelineExecutionUrl, pipelineName } from '../contract';
import type { TeamSpec } from '../registry/types';

export interface DeliveryMonitoringProps {
  readonly team: TeamSpec;
  /** The team's delivery topic (tooling account), owned by the delivery stack. */
  readonly topic: ITopic;
  /**
   * Key the topic is encrypted with; its policy is extended so CloudWatch and EventBridge can publish.
   * @default - the topic is not encrypted with a key of this stack
   */
  readonly topicKey?: IKey;
  /**
   * Subscribe the owner's e-mail to the topic (leave false when the topic's owner already does).
   * The registry's chat channel, if any, is always connected.
   * @default true
   */
  readonly subscribeOwner?: boolean;
}

export class DeliveryMonitoring extends Construct {
  readonly facade: MonitoringFacade;
  readonly dashboards: DefaultDashboardFactory;
  readonly pipelineFailed: Rule;
  readonly plan: readonly PlannedAlarm[];
  private readonly props: DeliveryMonitoringProps;
  private buildMonitored = false;

  constructor(scope: Construct, id: string, props: DeliveryMonitoringProps) {
    super(scope, id);
    this.props = props;
    const { team, topic } = props;
    this.plan = planDeliveryAlarms(team.id, team.repository);
    this.allowPublishers(['cloudwatch.amazonaws.com', 'events.amazonaws.com']);
    this.subscribeContacts(props.subscribeOwner ?? true);
    this.pipelineFailed = new Rule(this, 'PipelineFailed', {
      ruleName: pipelineFailedRuleName(team.id),
      description: `Failed executions of ${pipelineName(team.id)} to the team's delivery topic (alarm catalogue: pipelineFailed)`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Pipeline Execution State Change'],
        detail: { pipeline: [pipelineName(team.id)], state: ['FAILED'] },
      },
      targets: [new SnsTopic(topic, { message: failureMessage(Stack.of(this), pipelineName(team.id)) })],
    });
    this.dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: teamDashboardName(team.id), createDashboard: true, createSummaryDashboard: false, createAlarmDashboard: false,
    });
    this.facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: teamDashboardName(team.id),
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: topic, onOkTopic: topic }),
      },
      metricFactoryDefaults: { period: Duration.minutes(5) },
      dashboardFactory: this.dashboards,
    });
    this.addOverview();
  }

  /**
   * Adds the build project's signals (duration, failures) and its `buildFailures` alarm to the team
   * overview. Called once by the delivery stack when it creates the project.
   */
  addBuildMonitoring(project: IProject): void {
    if (this.buildMonitored) throw new Error(`the build project of ${this.props.team.id} is already monitored; addBuildMonitoring takes one project`);
    this.buildMonitored = true;
    const failures = planned(this.plan, 'buildFailures');
    this.facade.monitorCodeBuildProject({
      project,
      humanReadableName: 'Build project',
      alarmFriendlyName: 'Build',
      addFailedBuildCountAlarm: {
        Warning: {
          maxErrorCount: failures.threshold!,
          // The catalogue counts "at least N failed builds in an hour"; the library's default is "more than".
          comparisonOperatorOverride: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmNameOverride: failures.alarmName,
          alarmDescriptionOverride: failures.description,
          runbookLink: failures.runbookUrl,
          customTags: ['buildFailures'],
          period: Duration.hours(1),
          datapointsToAlarm: 1,
          evaluationPeriods: 1,
        },
      },
    });
  }

  private allowPublishers(services: readonly string[]): void {
    const account = Stack.of(this).account;
    for (const service of services) {
      const principal = new ServicePrincipal(service);
      const sameAccount = { StringEquals: { 'aws:SourceAccount': account } };
      this.props.topic.addToResourcePolicy(new PolicyStatement({ actions: ['sns:Publish'], principals: [principal], resources: [this.props.topic.topicArn], conditions: sameAccount }));
      this.props.topicKey?.addToResourcePolicy(new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], principals: [principal], resources: ['*'], conditions: sameAccount }));
    }
  }

  private subscribeContacts(owner: boolean): void {
    const { team, topic } = this.props;
    if (owner) topic.addSubscription(new EmailSubscription(team.contacts.owner.email));
    if (team.contacts.chat) {
      new ChatChannelConfiguration(this, 'Chat', { channel: team.contacts.chat, configurationName: `${pipelineName(team.id)}-delivery`, topics: [topic] });
    }
  }

  /** One row per environment: its health alarm (by ARN, in its account) and its running tasks (through OAM). */
  private addOverview(): void {
    const { team } = this.props;
    const partition = Stack.of(this).partition;
    this.facade.addLargeHeader(`Springboard ${team.id}: ${team.displayName}`);
    this.facade.addWidget(new TextWidget({
      markdown: `Owner ${team.contacts.owner.name} (${team.contacts.owner.email}); on call ${team.contacts.onCall.name} (${team.contacts.onCall.email}). `
        + `Pipeline \`${pipelineName(team.id)}\`. Environment dashboards are in each environment's account, named \`springboard-${team.id}-<environment>\`.`,
      width: 24,
      height: 2,
    }));
    this.facade.addWidget(new AlarmStateWidget({
      title: 'Service health per environment',
      alarmArns: team.environments.map(e => alarmArn(partition, e.region, e.account, healthAlarmName(team.id, e.name, e.isProd))),
      width: 12,
      height: 4,
    }));
    this.facade.addWidget(clusterTasksWidget({
      title: 'Running tasks per environment',
      clusters: team.environments.map(e => ({
        label: e.name, account: e.account, region: e.region, clusterName: environmentClusterName(team.id, e.name),
      })),
      width: 12,
      height: 4,
    }));
    this.facade.addWidget(new GraphWidget({
      title: 'Failed pipeline executions',
      left: [pipelineFailuresMetric(team.id)],
      width: 24,
      height: 4,
    }));
  }
}

/** Failed executions of a team's pipeline: how often its EventBridge rule matched. */
export function pipelineFailuresMetric(teamId: string, period: Duration = Duration.hours(1)): Metric {
  return new Metric({
    namespace: 'AWS/Events',
    metricName: 'TriggeredRules',
    dimensionsMap: { RuleName: pipelineFailedRuleName(teamId) },
    statistic: 'Sum',
    period,
    label: 'failed executions',
  });
}

/** What the team reads when an execution fails: which pipeline, which execution, and where to look. */
function failureMessage(stack: Stack, pipeline: string): RuleTargetInput {
  const execution = EventField.fromPath('$.detail.execution-id');
  return RuleTargetInput.fromText(`FAILED: pipeline ${pipeline} execution ${execution} failed. ${pipelineExecutionUrl(stack.region, pipeline, execution)}`);
}
