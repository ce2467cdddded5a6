/**
 * What Springboard's read-only commands call in an account, and so all the reader role may do: one
 * list, the single source of the role's policy and of its boundary (lib/baseline/reader-role.ts).
 * A command that needs another read adds an entry here (additive); the reader's tests prove every
 * entry is allowed, every write is denied, and the team boundary reaches none of the platform-only
 * services below (test/baseline/reader-role.test.ts).
 */
import { PLATFORM_PREFIX } from './naming';

/** Which command needs a read. */
export type ReaderConsumer = 'doctor' | 'fleet';

export interface ReaderAction {
  /** The IAM action, service prefix and name exactly as IAM spells it (no wildcard). */
  readonly action: string;
  readonly usedBy: readonly ReaderConsumer[];
  /**
   * Resources the action is limited to, as ARN patterns with `{partition}` for the partition;
   * `*` when the action takes no resource or the check reads resources it cannot name in advance.
   */
  readonly resources: readonly string[];
  /** What the command reads with it, for reviewers. */
  readonly why: string;
}

const ANY = ['*'] as const;

/** Every read of `springboard doctor` and `springboard fleet`, grouped by service. */
export const READER_ACTIONS: readonly ReaderAction[] = [
  // fleet: pipeline history (lib/fleet)
  { action: 'codepipeline:ListPipelines', usedBy: ['fleet'], resources: ANY, why: 'fleet --discover lists the platform\'s pipelines' },
  { action: 'codepipeline:GetPipeline', usedBy: ['fleet'], resources: [`arn:{partition}:codepipeline:*:*:${PLATFORM_PREFIX}-*`], why: 'stage names of a team pipeline' },
  { action: 'codepipeline:GetPipelineState', usedBy: ['fleet'], resources: [`arn:{partition}:codepipeline:*:*:${PLATFORM_PREFIX}-*`], why: 'latest status per stage' },
  { action: 'codepipeline:ListPipelineExecutions', usedBy: ['fleet'], resources: [`arn:{partition}:codepipeline:*:*:${PLATFORM_PREFIX}-*`], why: 'execution history (DORA)' },
  { action: 'codepipeline:ListActionExecutions', usedBy: ['fleet'], resources: [`arn:{partition}:codepipeline:*:*:${PLATFORM_PREFIX}-*`], why: 'deploy actions of each execution (DORA)' },
  // fleet scorecard and vulns: the image each environment runs and its scan (lib/fleet/vulns)
  { action: 'ecs:DescribeServices', usedBy: ['fleet'], resources: [`arn:{partition}:ecs:*:*:service/${PLATFORM_PREFIX}-*/${PLATFORM_PREFIX}-*`], why: 'the task definition a team environment\'s service runs' },
  { action: 'ecs:DescribeTaskDefinition', usedBy: ['fleet'], resources: ANY, why: 'the image digest of the service container (the action takes no resource)' },
  { action: 'ecr:DescribeImageScanFindings', usedBy: ['fleet'], resources: [`arn:{partition}:ecr:*:*:repository/${PLATFORM_PREFIX}/*`], why: 'scan findings of the digest running' },
  // fleet scorecard: release record, alarms, budget (lib/fleet/scorecard)
  { action: 'ssm:DescribeParameters', usedBy: ['fleet'], resources: ANY, why: 'when the prod release record was written and the template it recorded (the action takes no resource)' },
  { action: 'cloudwatch:DescribeAlarms', usedBy: ['fleet'], resources: ANY, why: 'a team\'s alarms in ALARM, by name prefix' },
  { action: 'budgets:ViewBudget', usedBy: ['fleet'], resources: [`arn:{partition}:budgets::*:budget/${PLATFORM_PREFIX}-*`], why: 'a team budget\'s actual spend this month' },
  // fleet cost: in the payer account (lib/fleet/cost)
  { action: 'ce:GetCostAndUsage', usedBy: ['fleet'], resources: ANY, why: 'cost grouped by the Team and Environment tags, one request per period' },
  // doctor: CDK bootstrap (lib/doctor/bootstrap.ts)
  { action: 'cloudformation:DescribeStacks', usedBy: ['doctor'], resources: ['arn:{partition}:cloudformation:*:*:stack/CDKToolkit/*'], why: 'the bootstrap stack and its version output' },
  { action: 'ssm:GetParameter', usedBy: ['doctor'], resources: ['arn:{partition}:ssm:*:*:parameter/cdk-bootstrap/*'], why: 'the bootstrap version parameter CDK deploys check' },
  { action: 'iam:GetRole', usedBy: ['doctor'], resources: ['arn:{partition}:iam::*:role/cdk-*'], why: 'trust policy of the bootstrap deploy role' },
  // doctor: source connections (lib/doctor/connections.ts); ARNs of either service name are in use
  { action: 'codeconnections:GetConnection', usedBy: ['doctor'], resources: ['arn:{partition}:codeconnections:*:*:connection/*'], why: 'status of a source connection' },
  { action: 'codestar-connections:GetConnection', usedBy: ['doctor'], resources: ['arn:{partition}:codestar-connections:*:*:connection/*'], why: 'status of a source connection (older ARN form)' },
  // doctor: alert routing (lib/doctor/notifications.ts)
  { action: 'sns:ListSubscriptionsByTopic', usedBy: ['doctor'], resources: [`arn:{partition}:sns:*:*:${PLATFORM_PREFIX}-*`], why: 'pending e-mail confirmations on the platform\'s topics' },
  { action: 'chatbot:DescribeSlackWorkspaces', usedBy: ['doctor'], resources: ANY, why: 'the Slack workspaces AWS Chatbot is authorised for' },
  { action: 'chatbot:ListMicrosoftTeamsConfiguredTeams', usedBy: ['doctor'], resources: ANY, why: 'the Microsoft Teams tenants AWS Chatbot is authorised for' },
  // doctor: cost-allocation tags in the payer account (lib/doctor/cost-tags.ts)
  { action: 'ce:ListCostAllocationTags', usedBy: ['doctor'], resources: ANY, why: 'which of the contract\'s tag keys are active for cost allocation' },
  // doctor: cross-account observability (lib/doctor/observability.ts)
  { action: 'oam:GetSink', usedBy: ['doctor'], resources: ['arn:{partition}:oam:*:*:sink/*'], why: 'the tooling account\'s sink recorded in the registry exists' },
  { action: 'oam:ListLinks', usedBy: ['doctor'], resources: ANY, why: 'a source account\'s links to the sink' },
  // doctor: organisation controls the rule policy relies on (lib/doctor/org-controls.ts)
  { action: 'cloudtrail:DescribeTrails', usedBy: ['doctor'], resources: ANY, why: 'trails covering the region, organisation trails included' },
  { action: 'cloudtrail:GetTrailStatus', usedBy: ['doctor'], resources: ['arn:{partition}:cloudtrail:*:*:trail/*'], why: 'whether a trail is logging' },
  { action: 'cloudtrail:GetEventSelectors', usedBy: ['doctor'], resources: ['arn:{partition}:cloudtrail:*:*:trail/*'], why: 'whether a trail records management events' },
  { action: 'guardduty:ListDetectors', usedBy: ['doctor'], resources: ANY, why: 'the region\'s GuardDuty detector' },
  { action: 'guardduty:GetDetector', usedBy: ['doctor'], resources: ['arn:{partition}:guardduty:*:*:detector/*'], why: 'whether the detector is enabled' },
  { action: 'securityhub:DescribeHub', usedBy: ['doctor'], resources: ['arn:{partition}:securityhub:*:*:hub/default'], why: 'whether Security Hub is enabled' },
  { action: 'config:DescribeConfigurationRecorderStatus', usedBy: ['doctor'], resources: ANY, why: 'whether AWS Config is recording' },
  // doctor: service quotas (lib/doctor/quotas.ts)
  { action: 'servicequotas:ListServiceQuotas', usedBy: ['doctor'], resources: ANY, why: 'the applied quotas for pipelines, VPCs, Elastic IPs and ECS clusters' },
];

/** The services the reader reads, by IAM prefix. */
export function readerServices(): string[] {
  return [...new Set(READER_ACTIONS.map(a => a.action.split(':')[0]))].sort();
}
