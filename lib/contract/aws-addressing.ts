/**
 * AWS addressing: which partition a region is in, where its console lives, what the CDK bootstrap
 * names its roles, how a build step takes on a role, and which source hosts a team may use. One
 * module, so an ARN, a console link or a role name is derived the same way in the constructs, the
 * CLI, the retirement procedure and the project templates.
 *
 * No aws-cdk-lib here: the templates package copies lib/contract as source. Where aws-cdk-lib's region
 * facts know the same value (partitions), test/contract/aws-addressing.test.ts checks they agree.
 */

/** AWS partitions, by the prefix of their region names; the first prefix that matches wins. */
const PARTITION_BY_REGION_PREFIX: ReadonlyArray<readonly [prefix: string, partition: string]> = [
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
  ['cn-', 'aws-cn'],
];

/** The shape of a region name: `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`. */
export const REGION_NAME_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/** The AWS partition of a region (`aws`, `aws-us-gov`, `aws-cn`, ...), so no ARN hard-codes `aws`. */
export function partitionOf(region: string): string {
  if (!REGION_NAME_PATTERN.test(region)) {
    throw new Error(`"${region}" is not an AWS region name; expected a region such as us-east-1 or us-gov-west-1`);
  }
  return PARTITION_BY_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** Console hosts of the partitions that have a public console. */
const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  'aws': 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};

/**
 * The console host of a region's partition. Partitions without a public console (the isolated
 * regions) get the commercial host: their operators reach the console by their own means.
 */
export function consoleHost(region: string): string {
  return CONSOLE_HOSTS[partitionOf(region)] ?? CONSOLE_HOSTS.aws;
}

/** The region's own console origin, `https://<region>.<host>` (opens in that region). */
export function regionalConsoleOrigin(region: string): string {
  return `https://${region}.${consoleHost(region)}`;
}

/** Console link of one execution of a pipeline (any partition). */
export function pipelineExecutionUrl(region: string, pipeline: string, executionId: string): string {
  return `https://${consoleHost(region)}/codesuite/codepipeline/pipelines/${pipeline}/executions/${executionId}/timeline?region=${region}`;
}

/** Console link of one commit of a CodeCommit repository. */
export function codeCommitCommitUrl(region: string, repository: string, commitId: string): string {
  return `https://${consoleHost(region)}/codesuite/codecommit/repositories/${repository}/commit/${commitId}?region=${region}`;
}

/** The CDK bootstrap's default qualifier (`cdk bootstrap` without `--qualifier`). */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** Roles the default CDK bootstrap template creates, by purpose. */
export type BootstrapRolePurpose = 'deploy' | 'cfn-exec' | 'file-publishing' | 'image-publishing' | 'lookup';

/** Name of a CDK bootstrap role: `cdk-<qualifier>-<purpose>-role-<account>-<region>`. */
export function bootstrapRoleName(purpose: BootstrapRolePurpose, account: string, region: string, qualifier = DEFAULT_BOOTSTRAP_QUALIFIER): string {
  return `cdk-${qualifier}-${purpose}-role-${account}-${region}`;
}

/** ARN of a CDK bootstrap role in the region's partition. */
export function bootstrapRoleArn(purpose: BootstrapRolePurpose, account: string, region: string, qualifier = DEFAULT_BOOTSTRAP_QUALIFIER): string {
  return `arn:${partitionOf(region)}:iam::${account}:role/${bootstrapRoleName(purpose, account, region, qualifier)}`;
}

/**
 * ARN pattern of every CDK bootstrap role of an account, in any region. `partition` may be a
 * CloudFormation expression (`${AWS::Partition}`) when the region is known only at deploy time.
 */
export function bootstrapRolesArnPattern(partition: string, account: string, qualifier = DEFAULT_BOOTSTRAP_QUALIFIER): string {
  return `arn:${partition}:iam::${account}:role/cdk-${qualifier}-*`;
}

/**
 * Shell lines (bash, `jq` installed) that take on the role whose ARN is in `$DEPLOY_ROLE_ARN` and
 * point the AWS CLI at `$TARGET_REGION`: what a build step runs before it acts in a team's account.
 * `sessionName` may use shell variables; it names the session in CloudTrail.
 */
export function assumeDeployRoleLines(sessionName: string): string[] {
  return [
    `creds=$(aws sts assume-role --role-arn "$DEPLOY_ROLE_ARN" --role-session-name "${sessionName}" --query Credentials --output json)`,
    'export AWS_ACCESS_KEY_ID=$(jq -r .AccessKeyId <<<"$creds") AWS_SECRET_ACCESS_KEY=$(jq -r .SecretAccessKey <<<"$creds") AWS_SESSION_TOKEN=$(jq -r .SessionToken <<<"$creds")',
    'export AWS_REGION="$TARGET_REGION" AWS_DEFAULT_REGION="$TARGET_REGION"',
  ];
}

/** Hosts a team's source repository may live on, the default first. */
export const SOURCE_PROVIDERS = ['github', 'gitlab', 'bitbucket', 'codecommit'] as const;
export type SourceProvider = (typeof SOURCE_PROVIDERS)[number];
/** The host a repository is on when nothing says otherwise. */
export const DEFAULT_SOURCE_PROVIDER: SourceProvider = SOURCE_PROVIDERS[0];

/** Is `value` one of SOURCE_PROVIDERS? */
export function isSourceProvider(value: string): value is SourceProvider {
  return (SOURCE_PROVIDERS as readonly string[]).includes(value);
}

/** Where a repository is: enough to link to its files and commits. */
export interface RepositoryLocation {
  readonly provider: SourceProvider;
  /** `owner/name` for GitHub, GitLab and Bitbucket; the repository name for CodeCommit. */
  readonly name: string;
  readonly branch: string;
}
