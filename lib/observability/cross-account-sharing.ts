/**
 * Lets the monitoring (tooling) account's dashboards show this account's alarms. CloudWatch
 * cross-account observability (OAM) shares metrics, logs and traces but not alarm states; alarm
 * widgets naming another account's alarm ARN are rendered through the role CloudWatch's
 * cross-account console assumes, `CloudWatch-CrossAccountSharingRole`. It may only read alarms
 * and metrics, and only the monitoring account may assume it.
 */
import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CROSS_ACCOUNT_SHARING_ROLE_NAME } from './names';
import { acknowledge } from '../compliance/acknowledgments';

/** What the monitoring account's dashboards read. */
export const ALARM_SHARING_ACTIONS: readonly string[] = [
  'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics',
];

export interface CrossAccountAlarmSharingProps {
  /** The account whose CloudWatch console may read this account's alarms. */
  readonly monitoringAccount: string;
}

export class CrossAccountAlarmSharing extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: CrossAccountAlarmSharingProps) {
    super(scope, id);
    if (!/^\d{12}$/.test(props.monitoringAccount)) throw new Error(`monitoring account must be 12 digits, received "${props.monitoringAccount}"`);
    this.role = new Role(this, 'Role', {
      roleName: CROSS_ACCOUNT_SHARING_ROLE_NAME,
      assumedBy: new AccountPrincipal(props.monitoringAccount),
      description: 'Springboard: the tooling account\'s dashboards read this account\'s alarms and metrics',
      inlinePolicies: { ReadAlarms: new PolicyDocument({ statements: [new PolicyStatement({ actions: [...ALARM_SHARING_ACTIONS], resources: ['*'] })] }) },
    });
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'Read-only CloudWatch actions for cross-account dashboards; ListMetrics and '
      + 'GetMetricData have no resource-level permissions and DescribeAlarms lists alarms of the account (AC-6).');
  }
}
