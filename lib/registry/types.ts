/**
 * The typed registry every other module consumes. Produced by `loadRegistry` after validation and
 * defaults; constructs read these types and never YAML.
 */
import type { PortfolioThresholds } from './schema';
import type { RepositoryLocation, SourceProvider } from '../contract/aws-addressing';

export type { SourceProvider } from '../contract/aws-addressing';
export type DataClassification = 'low' | 'moderate' | 'high';

export interface Contact {
  readonly name: string;
  readonly email: string;
}

/** Optional chat routing through AWS Chatbot. */
export interface ChatChannel {
  readonly kind: 'slack' | 'teams';
  /** Slack workspace id or Microsoft Teams tenant id. */
  readonly workspaceId: string;
  /** Slack channel id or Microsoft Teams channel id. */
  readonly channelId: string;
  /** Microsoft Teams team id (Teams only). */
  readonly teamId?: string;
}

export interface TeamContacts {
  readonly owner: Contact;
  readonly onCall: Contact;
  readonly chat?: ChatChannel;
}

export interface SourceRepository extends RepositoryLocation {
  readonly provider: SourceProvider;
  /** CodeConnections connection ARN; required unless provider is codecommit. */
  readonly connectionArn?: string;
}

export interface ServiceSpec {
  readonly port: number;
  /** Fargate CPU units (256, 512, 1024, 2048, 4096). */
  readonly cpu: number;
  /** MiB, valid for the chosen cpu. */
  readonly memory: number;
  readonly desiredCount: number;
  readonly healthCheckPath: string;
  /** Environment variable name → secret reference, as written (team-level, with the environment's entries over it). */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** Where a service secret's value lives (docs/secrets.md). */
export type SecretSource = 'ssm-parameter' | 'secrets-manager';

/** One secret a service receives, resolved for its environment. */
export interface ServiceSecret {
  /** Environment variable the container receives it as. */
  readonly variable: string;
  readonly source: SecretSource;
  /** The parameter's or secret's ARN in the environment's account and region (never its value). */
  readonly arn: string;
  /** Where it was written in the team file, for errors: `['service', 'secrets', VAR]` or the environment's. */
  readonly path: readonly string[];
}

export interface DatabaseSpec {
  readonly engine: 'postgres';
  /** PostgreSQL major version, e.g. "16". */
  readonly version: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
}

/** Alarm thresholds a team may override per environment; keys are alarm catalogue ids. */
export type AlarmOverrides = Readonly<Record<string, number>>;

/** What an acknowledgment allows: a replacement, a deletion, or a destructive change of one property. */
export type AcknowledgedAction = 'Replace' | 'Delete' | 'Modify';

/** A destructive change to a stateful resource the team has accepted, for the prod data guard. */
export interface AcknowledgedChange {
  /** Logical id of the resource in the environment's template. */
  readonly logicalId: string;
  readonly action: AcknowledgedAction;
  /**
   * With `Modify`: the property (top-level name, like `BackupRetentionPeriod`) or policy attribute
   * (`DeletionPolicy`, `UpdateReplacePolicy`) whose destructive change is accepted.
   */
  readonly property?: string;
  readonly reason: string;
  /** Who reviewed and accepted the change (name or e-mail). */
  readonly reviewer: string;
}

/** Who can reach an environment's load balancer. */
export interface LoadBalancerExposure {
  /** Internal: in private subnets, reachable only from the VPC and the networks connected to it. */
  readonly internal: boolean;
  /** The only IPv4 ranges that may connect; undefined means anywhere (internet-facing) or the VPC (internal). */
  readonly allowedCidrs?: readonly string[];
}

export interface EnvironmentSpec {
  readonly name: string;
  /** True for the production environment; it is always last in promotion order. */
  readonly isProd: boolean;
  readonly account: string;
  readonly region: string;
  /** VPC range: from the file, or derived deterministically from team id and environment. */
  readonly cidr: string;
  /**
   * ACM certificate for the load balancer's HTTPS listener; required in prod, and in every
   * internet-facing environment of moderate and high data.
   */
  readonly certificateArn?: string;
  readonly loadBalancer: LoadBalancerExposure;
  /** Requests one client IP may send in any 5-minute window before the web ACL blocks it (moderate and high). */
  readonly rateLimit: number;
  /** The team's service settings with this environment's overrides applied. */
  readonly service: ServiceSpec;
  /** The team's database with this environment's overrides applied, when the team has one. */
  readonly database?: DatabaseSpec;
  /** Secrets the service receives in this environment, by variable name (sorted). */
  readonly secrets: readonly ServiceSecret[];
  readonly alarms: AlarmOverrides;
  readonly acknowledgedChanges: readonly AcknowledgedChange[];
}

export interface TeamSpec {
  readonly id: string;
  readonly displayName: string;
  readonly programOffice: string;
  readonly costCenter: string;
  readonly contacts: TeamContacts;
  readonly dataClassification: DataClassification;
  readonly repository: SourceRepository;
  readonly service: ServiceSpec;
  readonly database?: DatabaseSpec;
  readonly budget: { readonly monthlyUsd: number };
  /** In promotion order; the last one is prod. */
  readonly environments: readonly EnvironmentSpec[];
  /** Path of the file the team came from, relative to the working directory. */
  readonly sourceFile: string;
}

export interface LogRetention {
  /** Days logs stay searchable in CloudWatch Logs (prod never below 365). */
  readonly searchableDays: number;
  /** Days in all, including the archive (OMB M-21-31: 30 months, 913 days). */
  readonly totalDays: number;
}

/** The pipelines that deploy Springboard itself (docs/platform-pipeline.md). */
export interface PlatformPipelineSettings {
  /** The Springboard repository: the pipelines build from it, triggered by a push to its branch. */
  readonly repository: SourceRepository;
  /** Stacks deployed in parallel in one wave of the platform pipeline (1 to 25). */
  readonly waveWidth: number;
  /** Who approves prod and tooling deploys, and where approval requests go; defaults apply when undefined. */
  readonly approvers?: ApproverSettings;
}

/** The approvers of the platform pipelines (docs/platform-pipeline.md, "Approvals"). */
export interface ApproverSettings {
  /** @default DEFAULT_APPROVERS_ROLE_NAME ('springboard-platform-approvers') */
  readonly roleName?: string;
  /** Receives every approval request by e-mail. @default - no e-mail subscription */
  readonly contact?: Contact;
  /** Chat channel that receives every approval request. @default - none */
  readonly chat?: ChatChannel;
}

/** A vault in a separate backup account (same region as the copied recovery point). */
export interface BackupCopySettings {
  readonly account: string;
  readonly vaultName: string;
}

export interface PlatformSettings {
  readonly organization: string;
  /** The account and region holding pipelines, artifact stores and the portfolio dashboard. */
  readonly tooling: { readonly account: string; readonly region: string };
  readonly defaultRegion: string;
  readonly permissionsBoundaryName: string;
  /** The only role that may disable or schedule deletion of the keys of prod data, backups and the log archive. */
  readonly breakGlassRoleName: string;
  /** Where prod recovery points are copied, out of their account; undefined when no copy is made. */
  readonly backupCopy?: BackupCopySettings;
  readonly logRetention: LogRetention;
  /** Extra tags applied to every resource, next to the contract's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** The platform pipelines; undefined when the registry configures none. */
  readonly pipeline?: PlatformPipelineSettings;
  /**
   * The tooling account's observability sink per region (its id is generated by AWS, so it is
   * recorded here after the tooling baseline is deployed); other accounts link to it.
   */
  readonly observabilitySinkArns?: Readonly<Record<string, string>>;
  /**
   * The organization's management (payer) account. When it is the tooling account, each team's
   * budget lives there and sees every account's spend; otherwise each account holding the team
   * gets a budget of its own.
   */
  readonly payerAccount?: string;
  /**
   * How the tooling account's registry scans team images: `basic` (ECR, operating-system packages
   * only) or `enhanced` (Amazon Inspector: operating-system and language packages). The build's
   * scan gate fails closed either way (docs/delivery.md).
   * @default 'basic'
   */
  readonly imageScanning?: 'basic' | 'enhanced';
  /** Thresholds of the portfolio scorecard (`springboard fleet scorecard`); defaults when omitted. */
  readonly portfolio?: PortfolioThresholds;
  /** Path of the settings file(s), or undefined when defaults were used. */
  readonly sourceFile?: string;
}

export interface Registry {
  readonly directory: string;
  readonly platform: PlatformSettings;
  /** Sorted by id. */
  readonly teams: readonly TeamSpec[];
}
