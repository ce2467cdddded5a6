/**
 * The team's container service: Fargate tasks in private subnets (no public IP), read-only root
 * file system, image and task count from the release record, deployment circuit breaker with
 * rollback, registered behind the load balancer's listener.
 */
import { Duration } from 'aws-cdk-lib';
import { IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import {
  CfnService, Cluster, ContainerImage, ContainerInsights, FargateService, FargateTaskDefinition, LogDrivers, PropagatedTagSource,
} from 'aws-cdk-lib/aws-ecs';
import { ApplicationListener, ApplicationProtocol, ApplicationTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './log-groups';
import { ReleaseRecord } from './release';
import { addServiceSecrets } from './service-secrets';
import { acknowledge } from '../compliance/acknowledgments';
import { SERVICE_CONTAINER_NAME } from '../contract/repository';
import { serviceLimitProblems } from '../contract/service-limits';
import type { ServiceSecret, ServiceSpec } from '../registry/types';

export interface WebServiceProps {
  readonly vpc: IVpc;
  readonly listener: ApplicationListener;
  readonly release: ReleaseRecord;
  readonly service: ServiceSpec;
  /** Task definition family and cluster name. */
  readonly name: string;
  /** Name of the ECS service: the team pipeline deploys to it by this name (lib/delivery). */
  readonly serviceName: string;
  readonly logGroupName: string;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /**
   * Variables passed to the container.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets passed to the container as ECS `secrets` (by ARN; read by the execution role only).
   * @default - none
   */
  readonly secrets?: readonly ServiceSecret[];
}

/** Unprivileged uid:gid every container runs as. */
export const CONTAINER_USER = '1000:1000';


export class WebService extends Construct {
  readonly service: FargateService;
  readonly taskDefinition: FargateTaskDefinition;
  readonly securityGroup: SecurityGroup;
  /** The load balancer's target group of the service's tasks (for alarms and dashboards). */
  readonly targetGroup: ApplicationTargetGroup;
  /** The container's log group. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    validateService(props.service);
    const cluster = new Cluster(this, 'Cluster', { vpc: props.vpc, clusterName: props.name, containerInsightsV2: ContainerInsights.ENABLED });
    ({ task: this.taskDefinition, logGroup: this.logGroup } = this.task(props));
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: 'Service tasks: load balancer in, HTTPS out',
    });
    this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to AWS APIs and the image registry');
    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.service.desiredCount,
      assignPublicIp: false,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      enableECSManagedTags: true,
      propagateTags: PropagatedTagSource.SERVICE,
    });
    const cfnService = this.service.node.defaultChild as CfnService;
    cfnService.desiredCount = props.release.desiredCount(props.service.desiredCount);
    cfnService.serviceName = props.serviceName;
    this.targetGroup = props.listener.addTargets('Service', {
      protocol: ApplicationProtocol.HTTP,
      port: props.service.port,
      targets: [this.service],
      healthCheck: { path: props.service.healthCheckPath, healthyHttpCodes: '200-399' },
      deregistrationDelay: Duration.seconds(30),
    });
  }

  private task(props: WebServiceProps): { task: FargateTaskDefinition; logGroup: LogGroup } {
    const task = new FargateTaskDefinition(this, 'TaskDefinition', {
      family: props.name, cpu: props.service.cpu, memoryLimitMiB: props.service.memory,
    });
    task.addVolume({ name: 'tmp' });
    const logGroup = encryptedLogGroup(this, 'LogGroup', { logGroupName: props.logGroupName, key: props.key, retention: props.logRetention });
    // The construct id stays 'App' (logical ids do not move); ECS, the pipeline and the Migrate step know the container by the contract's name.
    const container = task.addContainer('App', {
      containerName: SERVICE_CONTAINER_NAME,
      image: ContainerImage.fromRegistry(props.release.imageUri),
      portMappings: [{ containerPort: props.service.port }],
      readonlyRootFilesystem: true,
      // Never root: the image must run as this uid (the team templates build images that way).
      user: CONTAINER_USER,
      memoryLimitMiB: props.service.memory,
      environment: { ...props.environment },
      logging: LogDrivers.awsLogs({ streamPrefix: 'app', logGroup }),
    });
    // Applications write scratch files to /tmp; everything else stays read-only.
    container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    addServiceSecrets({ container, executionRole: task.obtainExecutionRole(), key: props.key, secrets: props.secrets ?? [] });
    allowImagePull(task, props.release.repositoryArn);
    return { task, logGroup };
  }
}

/** The image lives in the tooling account; the execution role may pull from that one repository. */
function allowImagePull(task: FargateTaskDefinition, repositoryArn: string): void {
  const role = task.obtainExecutionRole();
  role.addToPrincipalPolicy(new PolicyStatement({
    actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    resources: [repositoryArn],
  }));
  // GetAuthorizationToken has no resource-level permissions.
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
  acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', 'ecr:GetAuthorizationToken has no resource-level permissions and can only be granted on "*"; '
    + 'image pulls themselves are limited to the team\'s repository by the statement above (AC-6).');
  acknowledge(task, 'AwsSolutions-ECS2', 'The container\'s environment holds only non-secret settings (team, environment, port, database host, port '
    + 'and user); the database is reached with IAM authentication, so no password is passed (IA-5).');
}

function validateService(spec: ServiceSpec): void {
  const problems = serviceLimitProblems(spec);
  if (problems.length > 0) throw new Error(`service ${problems.join('; ')}`);
  if (!spec.healthCheckPath.startsWith('/')) throw new Error(`service healthCheckPath must start with "/", received "${spec.healthCheckPath}"`);
}
