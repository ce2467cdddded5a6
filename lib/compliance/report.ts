/**
 * The compliance report in the cloud assembly (`<outdir>/springboard-compliance.json`, see the
 * naming contract): verdict, every finding, every acknowledgment and every disabled rule with its
 * reason. Deterministic (no timings, no absolute paths) so identical inputs give identical reports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Evaluation } from './evaluate';
import { DisabledRule, Finding, FindingStatus, ResourceAcknowledgment } from './findings';
import { Verdict, verdictOf } from './verdict';
import { COMPLIANCE_REPORT_FILE } from '../contract/naming';

export const REPORT_SCHEMA_VERSION = 1;

/** The packs the gate runs, as named in the report. */
export const GATE_PACKS = ['cdk-nag NIST.800.53.R5', 'cdk-nag AwsSolutions', 'Control Tower proactive controls (cfn-guard)'] as const;

export interface ComplianceReport {
  readonly schemaVersion: number;
  readonly verdict: Verdict;
  /** Why the gate did not run, when skipped. */
  readonly skippedBecause?: string;
  /** Why evaluation itself failed, when it did. */
  readonly error?: string;
  readonly packs: readonly string[];
  readonly policy?: string;
  readonly summary: { readonly templates: number } & Record<FindingStatus, number>;
  readonly findings: readonly Finding[];
  readonly acknowledgments: readonly ResourceAcknowledgment[];
  readonly disabledRules: readonly DisabledRule[];
}

/** The report of a completed evaluation. */
export function reportOf(evaluation: Evaluation, policySource?: string): ComplianceReport {
  const count = (status: FindingStatus) => evaluation.findings.filter(f => f.status === status).length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict: verdictOf(evaluation.findings),
    packs: GATE_PACKS,
    policy: policySource ? relativeToCwd(policySource) : undefined,
    summary: { templates: evaluation.stats.templates, open: count('open'), acknowledged: count('acknowledged'), disabled: count('disabled') },
    findings: evaluation.findings,
    acknowledgments: evaluation.acknowledgments,
    disabledRules: evaluation.disabledRules,
  };
}

/** The report when the gate was switched off or could not evaluate. */
export function emptyReport(
  verdict: Verdict,
  detail: { skippedBecause?: string; error?: string },
  disabledRules: readonly DisabledRule[] = [],
): ComplianceReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict,
    ...detail,
    packs: GATE_PACKS,
    summary: { templates: 0, open: 0, acknowledged: 0, disabled: 0 },
    findings: [],
    acknowledgments: [],
    disabledRules,
  };
}

/** Writes the report at the assembly root and returns its path. */
export function writeReport(assemblyDir: string, report: ComplianceReport): string {
  const file = path.join(assemblyDir, COMPLIANCE_REPORT_FILE);
  fs.mkdirSync(assemblyDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, undefined, 2)}\n`);
  return file;
}

/** Reads a report back (for the audit and tests). */
export function readReport(assemblyDir: string): ComplianceReport {
  return JSON.parse(fs.readFileSync(path.join(assemblyDir, COMPLIANCE_REPORT_FILE), 'utf8')) as ComplianceReport;
}

function relativeToCwd(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? path.basename(file) : relative;
}
