/** The audit report: one model, rendered as HTML, Markdown and JSON. */
import type { AcknowledgedChangeEntry } from './acknowledged-changes';
import type { BaselineDiff } from './baseline-diff';
import type { LogDestination } from './checks/logging';
import type { CheckStatus, EvidenceSection } from './checks/types';
import type { DiagramEdge, DiagramNode } from './diagram';
import type { StackKind } from './template';
import type { DisabledRule, Finding, RulePack } from '../compliance/findings';
import type { TeamClosureEvidence } from '../escalation/team-closures';

export const AUDIT_REPORT_SCHEMA_VERSION = 1;

/** A finding with the NIST controls it bears on. */
export interface AuditFinding extends Finding {
  readonly controls: readonly string[];
}

/** One applicable Springboard check result on one resource (or stack). */
export interface EvidenceRow {
  readonly stack: string;
  readonly resourcePath: string;
  readonly logicalId?: string;
  readonly resourceType?: string;
  readonly check: string;
  readonly status: Exclude<CheckStatus, 'not-applicable'>;
  readonly detail: string;
  readonly facts: Readonly<Record<string, string>>;
}

export interface AccessLogRow {
  readonly stack: string;
  readonly resourcePath: string;
  readonly kind: LogDestination['kind'];
  readonly destination: string;
}

export interface EnvironmentSection {
  /** HTML id (unique in the report). */
  readonly id: string;
  readonly team: string;
  readonly environment: string;
  readonly strict: boolean;
  readonly stacks: readonly string[];
  readonly accounts: readonly string[];
  readonly inventory: ReadonlyArray<{ readonly type: string; readonly count: number }>;
  readonly evidence: Readonly<Record<EvidenceSection, readonly EvidenceRow[]>>;
  readonly accessLogs: readonly AccessLogRow[];
  readonly findings: readonly AuditFinding[];
  readonly diagram: { readonly svg: string; readonly nodes: readonly DiagramNode[]; readonly edges: readonly DiagramEdge[] };
}

export interface TeamSection {
  readonly id: string;
  readonly team: string;
  readonly environments: readonly EnvironmentSection[];
}

export type RuleState = 'passed' | 'failed' | 'acknowledged' | 'disabled';

export interface RuleOutcome {
  readonly id: string;
  readonly state: RuleState;
  readonly open: number;
  readonly acknowledged: number;
  readonly reasons: readonly string[];
}

export interface PackSummary {
  readonly pack: RulePack;
  readonly label: string;
  readonly evaluated: number;
  readonly passed: number;
  readonly failed: number;
  readonly acknowledged: number;
  readonly disabled: number;
  /** Rules that did not simply pass, with their reasons. */
  readonly rules: readonly RuleOutcome[];
}

export interface ControlEvidence {
  readonly control: string;
  readonly title: string;
  readonly focus: boolean;
  /** Rules and checks evaluated that bear on the control. */
  readonly rulesEvaluated: number;
  /** Springboard checks that evidence it, by title. */
  readonly checks: readonly string[];
  /** Resources Springboard's checks found compliant for it. */
  readonly compliantResults: number;
  readonly open: number;
  readonly acknowledged: number;
  readonly disabled: number;
}

export interface QuotaRow {
  readonly stack: string;
  readonly team?: string;
  readonly environment?: string;
  readonly kind: StackKind;
  readonly resources: number;
  readonly outputs: number;
  readonly parameters: number;
  readonly templateBytes: number;
  readonly maxRatio: number;
  readonly flagged: boolean;
  readonly terminationProtection: boolean;
}

export interface AcknowledgmentEntry {
  readonly rule: string;
  readonly resourcePath: string;
  readonly reason: string;
  readonly stack: string;
  readonly acknowledgedAt: string;
}

export interface DisabledRuleEntry extends DisabledRule {
  readonly rule: string;
}

export interface AuditReport {
  readonly schemaVersion: number;
  readonly assembly: {
    readonly directory: string;
    readonly schemaVersion: string;
    readonly stacks: number;
    readonly resources: number;
    /** What the gate recorded at synth (for context only: the audit judges for itself). */
    readonly gateVerdict?: string;
  };
  readonly policy: { readonly source?: string; readonly note?: string };
  /** Each team's escalation closure (IAM section), or why it was not computed. */
  readonly iamClosures: TeamClosureEvidence;
  readonly verdict: 'pass' | 'fail';
  readonly reasons: readonly string[];
  readonly summary: {
    readonly open: number;
    readonly acknowledged: number;
    readonly disabled: number;
    readonly baselineFlagged: number;
    readonly teams: number;
    readonly environments: number;
  };
  readonly inventory: ReadonlyArray<{ readonly type: string; readonly count: number }>;
  readonly packs: readonly PackSummary[];
  readonly controls: readonly ControlEvidence[];
  readonly findings: readonly AuditFinding[];
  readonly acknowledgments: readonly AcknowledgmentEntry[];
  readonly disabledRules: readonly DisabledRuleEntry[];
  /** The prod data guard's acknowledged destructive changes, with team, environment, reason, reviewer; stale ones flagged. */
  readonly acknowledgedChanges: readonly AcknowledgedChangeEntry[];
  readonly quotas: readonly QuotaRow[];
  readonly teams: readonly TeamSection[];
  readonly baseline?: BaselineDiff;
  readonly timings: {
    readonly readSeconds: number;
    readonly rulePacksSeconds: number;
    readonly checksSeconds: number;
    readonly totalSeconds: number;
  };
}
