/**
 * The approvers role, in the tooling account: the only principal Springboard deploys that may
 * approve a platform pipeline's prod or tooling deploys (`codepipeline:PutApprovalResult`). It
 * trusts the tooling account, so who may assume it is the organisation's decision (an IAM Identity
 * Center permission set, and the SCP in docs/platform-pipeline.md that keeps everyone else from
 * approving); it may read the pipelines and their broadening reports, and approve.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { REPORTS_PREFIX } from './buildspec';
import { acknowledge } from '../compliance/acknowledgments';
import { PLATFORM_PIPELINE_NAME } from '../contract/naming';

export interface ApproversRoleProps {
  /** From `pipeline.approvers.roleName` (default DEFAULT_APPROVERS_ROLE_NAME). */
  readonly roleName: string;
}

/** What approving needs: read a pipeline and its broadening report, and approve. */
export const APPROVER_ACTIONS = [
  'codepipeline:PutApprovalResult',
  'codepipeline:GetPipeline', 'codepipeline:GetPipelineState', 'codepipeline:GetPipelineExecution',
  'codepipeline:ListPipelineExecutions', 'codepipeline:ListActionExecutions',
  's3:GetObject', 'kms:Decrypt',
] as const;

export class ApproversRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ApproversRoleProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    // Every platform pipeline (springboard--platform, springboard--platform--<team>) and its
    // stages' actions (<pipeline>/<stage>/<action>); no other pipeline's name starts so.
    const pipelines = [`arn:${partition}:codepipeline:${region}:${account}:${PLATFORM_PIPELINE_NAME}*`];
    const boundary = new iam.ManagedPolicy(this, 'Boundary', {
      description: 'Most the platform approvers role may ever do: read the platform pipelines and their reports, and approve',
      statements: [new iam.PolicyStatement({ sid: 'ApproverActions', actions: [...APPROVER_ACTIONS], resources: ['*'] })],
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Approves the Springboard platform pipelines\' prod and tooling deploys; held by people, never by a pipeline',
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary: boundary,
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ApprovePlatformPipelines', actions: ['codepipeline:PutApprovalResult'], resources: pipelines,
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadPlatformPipelines',
      actions: APPROVER_ACTIONS.filter(a => a.startsWith('codepipeline:') && a !== 'codepipeline:PutApprovalResult'),
      resources: pipelines,
    }));
    // Buckets are named by CloudFormation: any bucket of this account, only under the reports prefix.
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadBroadeningReports',
      actions: ['s3:GetObject'],
      resources: [`arn:${partition}:s3:::*/${REPORTS_PREFIX}/${PLATFORM_PIPELINE_NAME}*`],
      conditions: { StringEquals: { 'aws:ResourceAccount': account } },
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'DecryptBroadeningReports',
      actions: ['kms:Decrypt'],
      resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    }));
    acknowledge(this, 'AwsSolutions-IAM5', 'The approvers may approve and read every platform pipeline (springboard--platform*), read their '
      + 'broadening reports (reports/springboard--platform* of this account\'s buckets, whose names CloudFormation generates) and decrypt '
      + 'them only through S3 in this region.');
  }
}
