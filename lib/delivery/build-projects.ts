/**
 * The pipeline's two CodeBuild projects. Build runs the team's tests and builds the image under a
 * role that can push to the team's repository and nothing else; Verify runs only platform commands
 * under the pipeline role, the one role the environments' deploy roles trust.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  BuildSpec, ComputeType, LinuxBuildImage, PipelineProject, ReportGroup, ReportGroupType,
} from 'aws-cdk-lib/aws-codebuild';
import { IRepository } from 'aws-cdk-lib/aws-ecr';
import { IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceBuildSpec, verifyBuildSpec } from './buildspecs';
import { DEFAULT_TEST_IMAGE, PINNED_IMAGE, SHA256_HEX, SYFT_PIN, ToolPin } from './pins';
import { acknowledge } from '../compliance/acknowledgments';
import { PLATFORM_PREFIX, deliveryProjectName, teamRoleName } from '../contract';

/** Severities that stop a release unless the registry says otherwise. */
export const DEFAULT_BLOCKING_SEVERITIES = ['CRITICAL', 'HIGH'] as const;
/** How the tooling account's registry scans images: ECR basic scanning, or enhanced scanning (Amazon Inspector). */
export type ImageScanType = 'BASIC' | 'ENHANCED';

export interface ServiceBuildProps {
  readonly teamId: string;
  readonly repository: IRepository;
  /** Encrypts the build's artifacts and logs. */
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /**
   * Image in which `npm ci` and `npm test` run, pinned by digest (`<repository>[:<tag>]@sha256:<digest>`).
   * @default DEFAULT_TEST_IMAGE
   */
  readonly testImage?: string;
  /**
   * The scan type the registry must use; the scan gate refuses a registry configured otherwise.
   * @default 'BASIC'
   */
  readonly scanType?: ImageScanType;
  /**
   * Scan severities that fail the build.
   * @default DEFAULT_BLOCKING_SEVERITIES
   */
  readonly blockingSeverities?: readonly string[];
  /**
   * How long to wait for ECR's scan result.
   * @default Duration.minutes(20)
   */
  readonly scanTimeout?: Duration;
  /**
   * syft release for the SBOM: its version and the SHA-256 of its linux/amd64 archive (checked before it is installed).
   * @default SYFT_PIN
   */
  readonly syft?: ToolPin;
}

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

export class ServiceBuild extends Construct {
  readonly project: PipelineProject;
  readonly role: Role;
  readonly reportGroup: ReportGroup;

  constructor(scope: Construct, id: string, props: ServiceBuildProps) {
    super(scope, id);
    const severities = props.blockingSeverities ?? DEFAULT_BLOCKING_SEVERITIES;
    const syft = props.syft ?? SYFT_PIN;
    const testImage = props.testImage ?? DEFAULT_TEST_IMAGE;
    validateBuild(severities, syft, testImage);
    const name = deliveryProjectName(props.teamId, 'build');
    this.role = new Role(this, 'Role', {
      roleName: teamRoleName(props.teamId, 'build'),
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
      description: `Springboard build of ${props.teamId}: push to its image repository, write its artifacts and test reports`,
    });
    this.reportGroup = new ReportGroup(this, 'Tests', {
      reportGroupName: `${name}-tests`,
      type: ReportGroupType.TEST,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.project = new PipelineProject(this, 'Project', {
      projectName: name,
      description: `Springboard build of ${props.teamId}: tests, image, scan gate, SBOM, deploy artifact (platform buildspec)`,
      role: this.role,
      encryptionKey: props.key,
      timeout: Duration.minutes(60),
      environment: {
        buildImage: LinuxBuildImage.STANDARD_7_0,
        computeType: ComputeType.MEDIUM,
        // Docker builds need the daemon; the team's code itself runs in nested containers.
        privileged: true,
      },
      environmentVariables: {
        TEAM_ID: { value: props.teamId },
        REPOSITORY_URI: { value: props.repository.repositoryUri },
        REPOSITORY_NAME: { value: props.repository.repositoryName },
        TEST_IMAGE: { value: testImage },
        BLOCKING_SEVERITIES: { value: severities.join(',') },
        SCAN_TIMEOUT_SECONDS: { value: String((props.scanTimeout ?? Duration.minutes(20)).toSeconds()) },
        SYFT_VERSION: { value: syft.version },
        SYFT_SHA256: { value: syft.sha256 },
        EXPECTED_SCAN_TYPE: { value: props.scanType ?? 'BASIC' },
      },
      buildSpec: BuildSpec.fromObject(serviceBuildSpec({ reportGroupArn: this.reportGroup.reportGroupArn })),
      logging: { cloudWatch: { logGroup: projectLogGroup(this, props.teamId, 'build', props.key, props.logRetention) } },
    });
    this.grantBuild(props.repository);
    const privileged = 'Building a container image needs the Docker daemon, which CodeBuild runs only in privileged mode; the buildspec is the '
      + 'platform\'s, and the team\'s tests and Dockerfile steps run in nested containers that cannot reach the credentials endpoints (CM-7).';
    for (const rule of ['AwsSolutions-CB3', 'CT.CODEBUILD.PR.4']) acknowledge(this.project, rule, privileged);
  }

  private grantBuild(repository: IRepository): void {
    repository.grantPullPush(this.role);
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'ReadScanOfOwnImages',
      actions: ['ecr:DescribeImages', 'ecr:DescribeImageScanFindings'],
      resources: [repository.repositoryArn],
    }));
    // The scan gate checks the registry scans the way the platform says; this action has no resource-level permissions.
    this.role.addToPrincipalPolicy(new PolicyStatement({
      sid: 'ReadRegistryScanType',
      actions: ['ecr:GetRegistryScanningConfiguration'],
      resources: ['*'],
    }));
    this.reportGroup.grantWrite(this.role);
    acknowledge(this.role, 'AwsSolutions-IAM5', 'Wildcards come from CDK\'s grants and are each bounded to this team: objects of its own artifact '
      + 'bucket, its delivery key (GenerateDataKey*, ReEncrypt*), its build project\'s log streams and report groups; ecr:GetAuthorizationToken '
      + 'and ecr:GetRegistryScanningConfiguration (read-only) have no resource-level permissions, and pushes go only to the team\'s repository (AC-6).');
  }
}

export interface VerifyProjectProps {
  readonly teamId: string;
  /** The pipeline role: the deploy roles trust it and nothing else. */
  readonly role: IRole;
  readonly repositoryUri: string;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /**
   * How long the health path may take to answer after the rollout.
   * @default Duration.minutes(5)
   */
  readonly smokeTimeout?: Duration;
}

/** One Verify project for every environment; each Verify action passes its environment's target. */
export class VerifyProject extends Construct {
  readonly project: PipelineProject;

  constructor(scope: Construct, id: string, props: VerifyProjectProps) {
    super(scope, id);
    this.project = new PipelineProject(this, 'Project', {
      projectName: deliveryProjectName(props.teamId, 'verify'),
      description: `Springboard verify of ${props.teamId}: smoke check of the health path, then the release record (platform buildspec)`,
      role: props.role,
      encryptionKey: props.key,
      timeout: Duration.minutes(30),
      environment: { buildImage: LinuxBuildImage.STANDARD_7_0, computeType: ComputeType.SMALL },
      environmentVariables: {
        REPOSITORY_URI: { value: props.repositoryUri },
        SMOKE_TIMEOUT_SECONDS: { value: String((props.smokeTimeout ?? Duration.minutes(5)).toSeconds()) },
      },
      buildSpec: BuildSpec.fromObject(verifyBuildSpec()),
      logging: { cloudWatch: { logGroup: projectLogGroup(this, props.teamId, 'verify', props.key, props.logRetention) } },
    });
  }
}

/** Build logs: named (so nothing creates them unencrypted first), encrypted, retained. */
function projectLogGroup(scope: Construct, teamId: string, purpose: string, key: IKey, retention: RetentionDays): LogGroup {
  return new LogGroup(scope, 'Logs', {
    logGroupName: `/${PLATFORM_PREFIX}/${teamId}/delivery/${purpose}`,
    encryptionKey: key,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

function validateBuild(severities: readonly string[], syft: ToolPin, testImage: string): void {
  const unknown = severities.filter(s => !SEVERITIES.includes(s));
  if (severities.length === 0 || unknown.length > 0) {
    throw new Error(`blockingSeverities must be a non-empty list of ${SEVERITIES.join(', ')}, received ${JSON.stringify(severities)}`);
  }
  if (!/^\d+\.\d+\.\d+$/.test(syft.version)) throw new Error(`syft.version must look like ${SYFT_PIN.version}, received "${syft.version}"`);
  if (!SHA256_HEX.test(syft.sha256)) throw new Error(`syft.sha256 must be the archive's SHA-256 as 64 lower-case hex digits, received "${syft.sha256}"`);
  if (!PINNED_IMAGE.test(testImage)) {
    throw new Error(`testImage must be pinned by digest, like ${DEFAULT_TEST_IMAGE}; received "${testImage}" (a tag can be moved to another image)`);
  }
}

/** Used by tests and docs: the stack-relative ARN of a project by name. */
export function projectArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'codebuild', resource: 'project', resourceName: name });
}
