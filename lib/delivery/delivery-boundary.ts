/**
 * The permissions boundary of a team's roles in the tooling account (pipeline, build, events). The
 * team boundary allows no CodeBuild, CodePipeline, CodeConnections or STS, so these roles would be
 * unable to run the pipeline under it; this one keeps every isolation statement of the team
 * boundary (other teams' resources, the Team tag, the boundary itself) and adds only what a team
 * pipeline does.
 */
import { Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PermissionsBoundary, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { boundaryStatements } from '../baseline';
import { acknowledge } from '../compliance/acknowledgments';
import { PLATFORM_PREFIX } from '../contract';

/** What a team pipeline's roles may do beyond the team boundary's services. */
export const DELIVERY_ALLOWED_ACTIONS: readonly string[] = [
  'codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild', 'codebuild:CreateReportGroup', 'codebuild:CreateReport',
  'codebuild:UpdateReport', 'codebuild:BatchPutTestCases', 'codebuild:BatchPutCodeCoverages',
  'codeconnections:UseConnection', 'codestar-connections:UseConnection',
  'codecommit:GetBranch', 'codecommit:GetCommit', 'codecommit:GetRepository', 'codecommit:UploadArchive', 'codecommit:GetUploadArchiveStatus',
  'codecommit:CancelUploadArchive', 'codepipeline:StartPipelineExecution', 'sts:AssumeRole',
  // Pull-request checks: the source through the connection (or CodeCommit), and the verdict on a CodeCommit pull request.
  'codeconnections:GetConnection*', 'codestar-connections:GetConnection*', 'codecommit:GitPull', 'codecommit:PostCommentForPullRequest',
  // The Migrate step's function reports its job's result (PutJobSuccessResult, PutJobFailureResult).
  'codepipeline:PutJob*',
];

/** Name of a team's delivery boundary: `springboard-<team>-delivery-boundary`. */
export function deliveryBoundaryName(teamId: string): string {
  return `${PLATFORM_PREFIX}-${teamId}-delivery-boundary`;
}

export interface DeliveryBoundaryProps {
  readonly teamId: string;
}

export class DeliveryBoundary extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: DeliveryBoundaryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = deliveryBoundaryName(props.teamId);
    this.policy = new ManagedPolicy(this, 'Policy', {
      managedPolicyName: name,
      description: `Springboard delivery boundary of ${props.teamId}: the team boundary plus running its pipeline`,
      statements: [
        ...boundaryStatements(stack.partition),
        new PolicyStatement({ sid: 'AllowTeamPipeline', actions: [...DELIVERY_ALLOWED_ACTIONS], resources: ['*'] }),
      ],
    });
    const ceiling = 'A permissions boundary is a ceiling, not a grant: its service-wide actions limit what the team\'s pipeline roles may ever be granted, '
      + 'and each role\'s own policies grant least privilege within it (AC-6).';
    for (const rule of ['AwsSolutions-IAM5', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', 'CT.IAM.PR.3']) acknowledge(this.policy, rule, ceiling);
    acknowledge(this.policy, 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', 'Its statements on every action and resource are Deny statements '
      + '(the Team and ManagedBy tags cannot be changed by any action); the only Allow names services. A boundary grants nothing (AC-6).');
  }

  /** Attaches the boundary to every role in `scope`. */
  applyTo(scope: Construct): void {
    PermissionsBoundary.of(scope).apply(this.policy);
  }
}
