/**
 * The baseline of one account and region, shared by every team there. Nothing is exported: other
 * stacks find the vault, the archive and the boundary by their deterministic names.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { baselineStackName, platformOwnerTags } from '../contract';
import { BackupBaseline, BackupCopyTarget } from './backup';
import { LogArchive } from './log-archive';
import { ObservabilityLink, ObservabilitySink } from './observability';
import { applyPermissionsBoundary, TeamPermissionsBoundary } from './permissions-boundary';
import { PLATFORM_BOUNDARY_NAME, PlatformPermissionsBoundary } from './platform-boundary';
import { ReaderRole } from './reader-role';
import { ReleaseRecords, ReleaseRecordSpec } from './release-records';
import { applyTags } from '../construct-kit/tags';
import { CrossAccountAlarmSharing } from '../observability/cross-account-sharing';
import { LogArchiveDelivery } from '../observability/log-archive';

export interface BaselineStackProps extends StackProps {
  readonly account: string;
  readonly region: string;
  /** Name of the permissions boundary every role carries. */
  readonly permissionsBoundaryName: string;
  /**
   * Whether this stack creates the boundary. IAM is global, so exactly one baseline per account
   * (its home region) creates it; the others reference it by name.
   * @default true
   */
  readonly createsBoundary?: boolean;
  /** Days logs are kept in all, archive included. */
  readonly logTotalDays: number;
  /**
   * Accounts that may link to this stack's observability sink; set only in the tooling account.
   * @default - no sink
   */
  readonly observabilitySourceAccounts?: readonly string[];
  /**
   * The tooling account's sink in this region, to link to (known once the sink exists).
   * @default - no link
   */
  readonly observabilitySinkArn?: string;
  /**
   * Team environments in this account and region whose release records this baseline creates
   * (as `unreleased`, never overwriting), so their first deploy needs no manual step.
   * @default - none
   */
  readonly releaseRecords?: readonly ReleaseRecordSpec[];
  /**
   * The monitoring (tooling) account whose dashboards show this account's alarms; set in the other
   * accounts' home-region baseline (the sharing role is global).
   * @default - no sharing role
   */
  readonly monitoringAccount?: string;
  /**
   * Platform-wide tags added to every resource, after ManagedBy.
   * @default - none
   */
  readonly extraTags?: Readonly<Record<string, string>>;
  /**
   * The only role that may disable or schedule deletion of the vault and archive keys.
   * @default DEFAULT_BREAK_GLASS_ROLE_NAME
   */
  readonly breakGlassRoleName?: string;
  /**
   * The tooling account, whose reader role is the command principal. The account's home baseline
   * (the one that creates the boundary; IAM is global) creates the reader role.
   * @default - no reader role
   */
  readonly toolingAccount?: string;
  /**
   * Where this account's recovery points are copied (set where the account holds prod).
   * @default - no copy
   */
  readonly backupCopyTo?: BackupCopyTarget;
}

export class BaselineStack extends Stack {
  readonly backup: BackupBaseline;
  readonly logArchive: LogArchive;
  readonly boundary?: TeamPermissionsBoundary;
  readonly platformBoundary?: PlatformPermissionsBoundary;
  readonly logArchiveDelivery: LogArchiveDelivery;
  readonly releaseRecords?: ReleaseRecords;
  readonly reader?: ReaderRole;

  constructor(scope: App | Construct, id: string, props: BaselineStackProps) {
    super(scope, id, {
      ...props,
      stackName: baselineStackName(props.account, props.region),
      env: { account: props.account, region: props.region },
      description: `Springboard baseline for ${props.account} in ${props.region}: boundary, backup vault, log archive, observability`,
      analyticsReporting: false,
      terminationProtection: true,
    });
    if (props.observabilitySourceAccounts && props.observabilitySinkArn) {
      throw new Error(`baseline ${props.account}/${props.region}: an account holds either the observability sink (tooling) or a link, received both`);
    }
    if (props.createsBoundary ?? true) {
      this.boundary = new TeamPermissionsBoundary(this, 'TeamBoundary', { policyName: props.permissionsBoundaryName });
      this.platformBoundary = new PlatformPermissionsBoundary(this, 'PlatformBoundary');
    }
    // Before the platform boundary is applied: the reader carries its own, narrower one.
    if ((props.createsBoundary ?? true) && props.toolingAccount) {
      this.reader = new ReaderRole(this, 'Reader', { toolingAccount: props.toolingAccount, account: props.account });
    }
    // The baseline's roles are the platform's: they act on every team's resources, under the platform boundary.
    applyPermissionsBoundary(this, this.platformBoundary?.policy ?? PLATFORM_BOUNDARY_NAME);
    this.backup = new BackupBaseline(this, 'Backup', { copyTo: props.backupCopyTo, breakGlassRoleName: props.breakGlassRoleName });
    this.logArchive = new LogArchive(this, 'LogArchive', { totalDays: props.logTotalDays, breakGlassRoleName: props.breakGlassRoleName });
    this.logArchiveDelivery = new LogArchiveDelivery(this, 'LogArchiveDelivery', { bucket: this.logArchive.bucket, key: this.logArchive.key });
    if (props.monitoringAccount) new CrossAccountAlarmSharing(this, 'AlarmSharing', { monitoringAccount: props.monitoringAccount });
    if (props.observabilitySourceAccounts) {
      new ObservabilitySink(this, 'ObservabilitySink', { sourceAccounts: props.observabilitySourceAccounts });
    }
    if (props.observabilitySinkArn) {
      new ObservabilityLink(this, 'ObservabilityLink', { sinkArn: props.observabilitySinkArn });
    }
    if (props.releaseRecords && props.releaseRecords.length > 0) {
      this.releaseRecords = new ReleaseRecords(this, 'ReleaseRecords', { records: props.releaseRecords });
    }
    applyTags(this, platformOwnerTags(), props.extraTags);
  }
}
