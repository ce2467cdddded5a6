/**
 * The prod deploy step the platform's own pipeline places before each prod wave (Delivery II):
 * for one stack it creates the change set from the synthesized assembly (`cdk deploy
 * --method=prepare-change-set`, which publishes assets and uploads the template), inspects it with
 * `springboard changeset inspect` (the prod data guard, which honours the registry's
 * acknowledgedChanges), deletes it and stops when a stateful resource would be replaced or
 * deleted, and otherwise executes it. Last, it turns termination protection on, because
 * CloudFormation deploy actions and CDK Pipelines ignore the manifest's flag.
 *
 * The team pipelines deploy images (ECS), never CloudFormation, so this step has no place there.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BuildSpec, ComputeType, LinuxBuildImage, PipelineProject } from 'aws-cdk-lib/aws-codebuild';
import { Artifact } from 'aws-cdk-lib/aws-codepipeline';
import { CodeBuildAction } from 'aws-cdk-lib/aws-codepipeline-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { partitionOf } from './targets';
import { NODE_MAJOR_VERSION, PLATFORM_PREFIX } from '../contract';

/** The CDK bootstrap's default qualifier. */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

export interface ChangeSetStepProps {
  /** Encrypts the project's artifacts and logs. */
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /**
   * Accounts the step deploys to; it may assume only their CDK bootstrap deploy roles (bootstrapped
   * with `--trust <tooling account>`).
   */
  readonly targetAccounts: readonly string[];
  /**
   * Qualifier of the target accounts' CDK bootstrap.
   * @default DEFAULT_BOOTSTRAP_QUALIFIER
   */
  readonly bootstrapQualifier?: string;
  /**
   * Folder of the registry in the input artifact (acknowledged changes are read from it).
   * @default 'teams'
   */
  readonly registryDirectory?: string;
  /**
   * Folder of the synthesized cloud assembly in the input artifact.
   * @default 'cdk.out'
   */
  readonly assemblyDirectory?: string;
  /**
   * Name of the CodeBuild project.
   * @default 'springboard-prod-change-set'
   */
  readonly projectName?: string;
}

export interface ChangeSetActionOptions {
  /** Construct id of the stack in the assembly, which is also its CloudFormation name. */
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** The Springboard repository checkout with the synthesized assembly. */
  readonly input: Artifact;
  /**
   * @default `Deploy-<stackName>` shortened to CodePipeline's 100 characters
   */
  readonly actionName?: string;
  /** @default 1 */
  readonly runOrder?: number;
}

export class ChangeSetStep extends Construct {
  readonly project: PipelineProject;
  readonly role: Role;
  private readonly accounts: ReadonlySet<string>;
  private readonly qualifier: string;

  constructor(scope: Construct, id: string, props: ChangeSetStepProps) {
    super(scope, id);
    const accounts = [...new Set(props.targetAccounts)].sort();
    const bad = accounts.filter(a => !/^\d{12}$/.test(a));
    if (accounts.length === 0 || bad.length > 0) throw new Error(`change-set step targetAccounts must be 12-digit accounts, received ${JSON.stringify(props.targetAccounts)}`);
    this.qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    if (!/^[a-z0-9]{1,10}$/.test(this.qualifier)) throw new Error(`bootstrapQualifier must be 1-10 lower-case letters or digits, received "${this.qualifier}"`);
    this.accounts = new Set(accounts);
    const name = props.projectName ?? `${PLATFORM_PREFIX}-prod-change-set`;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Springboard prod change-set step: assumes the target accounts\' CDK bootstrap deploy and publishing roles only',
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'AssumeBootstrapRoles',
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      // The CLI deploys through the deploy role and publishes assets through the publishing roles.
      resources: accounts.flatMap(a => ['deploy', 'file-publishing', 'image-publishing']
        .map(kind => `arn:${Stack.of(this).partition}:iam::${a}:role/cdk-${this.qualifier}-${kind}-role-${a}-*`)),
    }));
    this.project = new PipelineProject(this, 'Project', {
      projectName: name,
      description: 'Springboard prod deploy: change set, data guard, execute, termination protection',
      role: this.role,
      encryptionKey: props.key,
      timeout: Duration.minutes(120),
      environment: { buildImage: LinuxBuildImage.STANDARD_7_0, computeType: ComputeType.SMALL },
      environmentVariables: {
        REGISTRY_DIRECTORY: { value: props.registryDirectory ?? 'teams' },
        ASSEMBLY_DIRECTORY: { value: props.assemblyDirectory ?? 'cdk.out' },
      },
      buildSpec: BuildSpec.fromObject(changeSetBuildSpec()),
      logging: {
        cloudWatch: {
          logGroup: new LogGroup(this, 'Logs', {
            logGroupName: `/${PLATFORM_PREFIX}/platform/${name}`, encryptionKey: props.key, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN,
          }),
        },
      },
    });
  }

  /** The CodeBuild action that deploys one stack through the guard. */
  action(options: ChangeSetActionOptions): CodeBuildAction {
    if (!this.accounts.has(options.account)) {
      throw new Error(`change-set step cannot deploy ${options.stackName} to ${options.account}: expected one of its targetAccounts ${[...this.accounts].join(', ')}`);
    }
    const partition = partitionOf(options.region);
    return new CodeBuildAction({
      actionName: options.actionName ?? `Deploy-${options.stackName}`.slice(0, 100),
      runOrder: options.runOrder ?? 1,
      project: this.project,
      input: options.input,
      environmentVariables: {
        STACK_NAME: { value: options.stackName },
        TARGET_REGION: { value: options.region },
        DEPLOY_ROLE_ARN: { value: `arn:${partition}:iam::${options.account}:role/cdk-${this.qualifier}-deploy-role-${options.account}-${options.region}` },
      },
    });
  }
}

/** The step's commands. Exported for tests that check the order: inspect before execute, protect last. */
export function changeSetBuildSpec(): Record<string, unknown> {
  const script = [
    '(',
    'set -euo pipefail',
    'change_set="springboard-${CODEBUILD_BUILD_NUMBER}"',
    'npx cdk deploy "$STACK_NAME" --app "$ASSEMBLY_DIRECTORY" --method=prepare-change-set --change-set-name "$change_set"'
      + ' --require-approval never --exclusively --force --progress events',
    'creds=$(aws sts assume-role --role-arn "$DEPLOY_ROLE_ARN" --role-session-name "springboard-$CODEBUILD_BUILD_NUMBER" --query Credentials --output json)',
    'export AWS_ACCESS_KEY_ID=$(jq -r .AccessKeyId <<<"$creds") AWS_SECRET_ACCESS_KEY=$(jq -r .SecretAccessKey <<<"$creds") AWS_SESSION_TOKEN=$(jq -r .SessionToken <<<"$creds")',
    'export AWS_REGION="$TARGET_REGION" AWS_DEFAULT_REGION="$TARGET_REGION"',
    'if aws cloudformation describe-change-set --stack-name "$STACK_NAME" --change-set-name "$change_set" >/dev/null 2>&1; then',
    '  if ! npx springboard changeset inspect --stack "$STACK_NAME" --change-set "$change_set" --registry "$REGISTRY_DIRECTORY"; then',
    '    aws cloudformation delete-change-set --stack-name "$STACK_NAME" --change-set-name "$change_set"',
    '    echo "stopped: the change set of $STACK_NAME was deleted, nothing was changed"; exit 1',
    '  fi',
    '  status=$(aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query "Stacks[0].StackStatus" --output text)',
    '  aws cloudformation execute-change-set --stack-name "$STACK_NAME" --change-set-name "$change_set"',
    '  if [ "$status" = REVIEW_IN_PROGRESS ]; then aws cloudformation wait stack-create-complete --stack-name "$STACK_NAME";',
    '  else aws cloudformation wait stack-update-complete --stack-name "$STACK_NAME"; fi',
    'else',
    '  echo "$STACK_NAME: no changes to deploy"',
    'fi',
    'aws cloudformation update-termination-protection --enable-termination-protection --stack-name "$STACK_NAME"',
    'echo "$STACK_NAME: termination protection on"',
    ')',
  ].join('\n');
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: NODE_MAJOR_VERSION }, 'commands': ['npm ci'] },
      build: { commands: [script] },
    },
  };
}
