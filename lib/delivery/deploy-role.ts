/**
 * The deploy role of one team environment, in the environment's account: what the team's pipeline
 * assumes to roll out an image (CodePipeline's ECS action) and to verify and record a release.
 *
 * Trust: the tooling account, on condition that the caller is the team's pipeline role by ARN (and,
 * where the environment has a database, the team's Migrate step role, which runs the migration task).
 * Naming the pipeline role itself as principal would fail while that role does not exist yet
 * (environments deploy before the delivery stack) and break silently if it were recreated.
 * Permissions: this environment's service, task definition family and release record only, plus
 * reading pipeline artifacts from the tooling account (whose bucket and key policies name this
 * role); the team boundary applies as to every role.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AccountPrincipal, IRole, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DeployTarget, deployTarget, migrateStepRoleArn, pipelineRoleArn } from './targets';
import { acknowledge } from '../compliance/acknowledgments';
import { deployRoleName } from '../contract';
import type { EnvironmentSpec, PlatformSettings, TeamSpec } from '../registry/types';

export interface DeployRoleProps {
  readonly team: TeamSpec;
  /** One of `team.environments`, deployed in this stack's account and region. */
  readonly environment: EnvironmentSpec;
  readonly platform: PlatformSettings;
  /** Roles of the service's task definition, which a new revision passes to ECS. */
  readonly taskRole: IRole;
  readonly executionRole: IRole;
}

export class DeployRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const { team, environment: env, platform } = props;
    const stack = Stack.of(this);
    if (stack.account !== env.account || stack.region !== env.region) {
      throw new Error(`deploy role of ${team.id}/${env.name} belongs in ${env.account}/${env.region}, received a stack in ${stack.account}/${stack.region}`);
    }
    const target = deployTarget(team, env);
    const callers = [pipelineRoleArn(team.id, platform), ...(target.migratorTaskRoleArn ? [migrateStepRoleArn(team.id, platform)] : [])];
    this.role = new Role(this, 'Role', {
      roleName: deployRoleName(team.id, env.name),
      description: `Springboard deploy role of ${team.id} ${env.name}: assumed only by ${callers.join(' and ')}`,
      assumedBy: new AccountPrincipal(platform.tooling.account).withConditions({ ArnEquals: { 'aws:PrincipalArn': callers.length === 1 ? callers[0] : callers } }),
      maxSessionDuration: Duration.hours(1),
    });
    const add = (s: PolicyStatement) => this.role.addToPrincipalPolicy(s);
    add(new PolicyStatement({ sid: 'RollOutService', actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [target.serviceArn] }));
    add(new PolicyStatement({
      sid: 'RegisterTaskDefinitionRevision',
      actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition', 'ecs:ListTasks'],
      resources: ['*'],
    }));
    // Tasks of this environment's cluster only: the Deploy action's rollout and the Migrate step's one-off task.
    add(new PolicyStatement({
      sid: 'DescribeOwnTasks',
      actions: ['ecs:DescribeTasks'],
      resources: [`arn:${target.partition}:ecs:${env.region}:${env.account}:task/${target.clusterName}/*`],
    }));
    add(new PolicyStatement({
      sid: 'TagOwnTaskDefinitionRevisions',
      actions: ['ecs:TagResource'],
      resources: [stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${target.serviceName}:*` })],
      conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    }));
    add(new PolicyStatement({
      sid: 'PassServiceRolesToEcs',
      actions: ['iam:PassRole'],
      resources: [props.taskRole.roleArn, props.executionRole.roleArn, ...(target.migratorTaskRoleArn ? [target.migratorTaskRoleArn] : [])],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }));
    if (target.migratorTaskRoleArn) this.allowMigrationTask(target);
    add(new PolicyStatement({
      sid: 'ReadTargetHealth',
      actions: ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeLoadBalancers'],
      resources: ['*'],
    }));
    add(new PolicyStatement({ sid: 'WriteOwnReleaseRecord', actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [target.releaseParameterArn] }));
    this.allowArtifacts(platform.tooling.account);
    acknowledge(this.role, 'AwsSolutions-IAM5', 'RegisterTaskDefinition, DescribeTaskDefinition, ListTasks and the load balancer Describe '
      + 'actions have no resource-level permissions; artifacts are read only from buckets and keys of the tooling account whose own policies '
      + 'name this role; task definitions are tagged only in this environment\'s family, and migration tasks run only from that family on this '
      + 'environment\'s cluster, where alone tasks are described, stopped and tagged (AC-6).');
  }

  /**
   * The Migrate step (docs/migrations.md): a revision of this environment's family started once on
   * this environment's cluster, tagged as the boundary requires on create, followed and stopped.
   * Registering and describing the revision, describing the service and its tasks, are the Deploy action's statements.
   */
  private allowMigrationTask(target: DeployTarget): void {
    const ecs = `arn:${target.partition}:ecs:${target.environment.region}:${target.environment.account}`;
    const tasks = `${ecs}:task/${target.clusterName}/*`;
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'RunMigrationTask',
      actions: ['ecs:RunTask'],
      resources: [`${ecs}:task-definition/${target.serviceName}:*`],
      conditions: { ArnEquals: { 'ecs:cluster': `${ecs}:cluster/${target.clusterName}` } },
    }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ sid: 'StopMigrationTask', actions: ['ecs:StopTask'], resources: [tasks] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'TagMigrationTask',
      actions: ['ecs:TagResource'],
      resources: [tasks],
      conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
    }));
  }

  /** Pipeline artifacts in the tooling account, through S3 only; the bucket and key policies there name this role. */
  private allowArtifacts(toolingAccount: string): void {
    const stack = Stack.of(this);
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'ReadPipelineArtifacts',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [`arn:${stack.partition}:s3:::*/*`],
      conditions: { StringEquals: { 's3:ResourceAccount': toolingAccount } },
    }));
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'DecryptPipelineArtifacts',
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [`arn:${stack.partition}:kms:${stack.region}:${toolingAccount}:key/*`],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }));
  }
}
