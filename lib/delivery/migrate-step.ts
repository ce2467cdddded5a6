/**
 * The function behind each environment's Migrate action (docs/migrations.md): the tested handler in
 * ./migrate-handler, run by CodePipeline as a Lambda invoke action in the tooling account. Its role
 * reaches an environment only by assuming that environment's deploy role, which trusts it by exact
 * ARN, and only for the environments that have a database; it may report its job's result to
 * CodePipeline and write its own logs, nothing else.
 */
import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DeployTarget } from './targets';
import { acknowledge } from '../compliance/acknowledgments';
import { DATABASE_IDENTITIES, PLATFORM_PREFIX, migrateStepRoleName } from '../contract';

/** The handler's directory: plain JavaScript on the runtime's own AWS SDK, so the asset needs no build step. */
export const MIGRATE_HANDLER_DIR = path.join(__dirname, 'migrate-handler');

/** The database user migrations sign in as (docs/migrations.md). */
export const MIGRATOR_DATABASE_USER = DATABASE_IDENTITIES.migratorUser;

export interface MigrateStepProps {
  readonly teamId: string;
  /** The environments whose stages run the step: those with a database. */
  readonly targets: readonly DeployTarget[];
  /** Encrypts the function's logs (the delivery key). */
  readonly key: IKey;
  readonly logRetention: RetentionDays;
}

export class MigrateStep extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: MigrateStepProps) {
    super(scope, id);
    if (props.targets.length === 0 || props.targets.some(t => !t.migratorTaskRoleArn)) {
      throw new Error(`the Migrate step of ${props.teamId} runs only in environments with a database; received `
        + `${props.targets.map(t => t.environment.name).join(', ') || 'none'}`);
    }
    const stack = Stack.of(this);
    this.role = new Role(this, 'Role', {
      roleName: migrateStepRoleName(props.teamId),
      assumedBy: new ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      description: `Springboard Migrate step of ${props.teamId}: assumes its environments' deploy roles to run the migration task`,
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'AssumeDeployRolesOfDatabaseEnvironments',
      actions: ['sts:AssumeRole'],
      resources: props.targets.map(t => t.deployRoleArn),
    }));
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/${PLATFORM_PREFIX}/${props.teamId}/delivery/migrate`,
      encryptionKey: props.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(this.role);
    this.function = new LambdaFunction(this, 'Function', {
      functionName: migrateStepRoleName(props.teamId),
      description: `Springboard Migrate step of ${props.teamId}: runs the released image's migrate command once before each deploy`,
      runtime: Runtime.NODEJS_22_X, // NODE_MAJOR_VERSION in lib/contract/runtime.ts
      code: Code.fromAsset(MIGRATE_HANDLER_DIR),
      handler: 'index.handler',
      role: this.role,
      logGroup,
      // One call starts or checks the task; CodePipeline calls again with the continuation token.
      timeout: Duration.minutes(1),
      memorySize: 256,
    });
    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    const shortCalls = 'The function runs only when the team\'s pipeline invokes it, for a few seconds per call; it reaches only the STS, '
      + 'ECS and CodePipeline APIs (the task itself runs in the environment\'s VPC), holds no data, and CodePipeline records a failed call '
      + 'as a failed action (SC-7, SI-13).';
    for (const rule of ['NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'NIST.800.53.R5-LambdaInsideVPC', 'CT.LAMBDA.PR.3']) {
      acknowledge(this.function, rule, shortCalls);
    }
    acknowledge(this.function, 'AwsSolutions-L1', 'The function runs on the Node.js major the platform pins everywhere (lib/contract/runtime.ts) and '
      + 'moves with it; it uses only the AWS SDK the runtime ships (SI-2).');
    acknowledge(this.role, 'AwsSolutions-IAM5', 'codepipeline:PutJobSuccessResult and PutJobFailureResult have no resource-level permissions '
      + '(CDK\'s grant of the invoke action); the log grant covers only the streams of the function\'s own log group (AC-6).');
  }
}
