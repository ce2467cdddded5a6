/**
 * Dashboard widgets that name resources of other accounts by ARN or search expression, so a
 * dashboard in the tooling account needs no construct (and no lookup) per remote alarm.
 */
import { ConcreteWidget, GraphWidget, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';

export interface AlarmStateWidgetProps {
  readonly title: string;
  /** Alarm ARNs, in any account the dashboard's account may read. */
  readonly alarmArns: readonly string[];
  readonly width: number;
  readonly height: number;
}

/** An alarm status widget listing alarms by ARN. */
export class AlarmStateWidget extends ConcreteWidget {
  private readonly props: AlarmStateWidgetProps;

  constructor(props: AlarmStateWidgetProps) {
    super(props.width, props.height);
    if (props.alarmArns.length === 0 || props.alarmArns.length > 100) {
      throw new Error(`alarm status widget "${props.title}" takes 1 to 100 alarms, received ${props.alarmArns.length}`);
    }
    this.props = props;
  }

  public toJson(): any[] {
    return [{
      type: 'alarm',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: { title: this.props.title, alarms: [...this.props.alarmArns] },
    }];
  }
}

/** ARN of an alarm in another account, from its deterministic name. */
export function alarmArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`;
}

export interface ClusterTasksWidgetProps {
  readonly title: string;
  /** Label, account, region and ECS cluster name of each line. */
  readonly clusters: ReadonlyArray<{ readonly label: string; readonly account: string; readonly region: string; readonly clusterName: string }>;
  readonly width: number;
  readonly height: number;
}

/**
 * Running tasks of ECS clusters in linked accounts: a SEARCH over Container Insights metrics, which
 * CloudWatch cross-account observability makes visible in the monitoring account (per region).
 */
export function clusterTasksWidget(props: ClusterTasksWidgetProps): GraphWidget {
  return new GraphWidget({
    title: props.title,
    width: props.width,
    height: props.height,
    // One region per widget: the clusters' own when they share one (OAM is regional).
    region: new Set(props.clusters.map(c => c.region)).size === 1 ? props.clusters[0].region : undefined,
    left: props.clusters.map(c => new MathExpression({
      label: c.label,
      expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName} MetricName="RunningTaskCount" ClusterName="${c.clusterName}" :aws.AccountId="${c.account}"', 'Average', 300)`,
      usingMetrics: {},
      searchRegion: c.region,
    })),
  });
}
