/**
 * NIST 800-53 rev 5 control → evidence. cdk-nag's NIST pack names its controls in each rule's
 * text; the Control Tower rules carry a NIST mapping in the validator's metadata (with a curated
 * fallback by service for the few that do not); AwsSolutions rules and Springboard's own checks
 * use the curated tables below.
 */
import { SPRINGBOARD_CHECKS } from './checks';
import { Finding, baseRuleId } from '../compliance/findings';
import { guardCatalog } from '../compliance/guard-catalog';

/** Controls a FedRAMP Moderate reviewer looks for first, in report order. */
export const FOCUS_CONTROLS: readonly string[] = ['AC-2', 'AC-3', 'AC-4', 'AC-6', 'AU-2', 'AU-9', 'AU-11', 'AU-12', 'CM-2', 'CM-8', 'CP-9', 'CP-10', 'IA-5', 'SC-5', 'SC-7', 'SC-8', 'SC-12', 'SC-13', 'SC-28', 'SI-4'];

export const CONTROL_TITLES: Readonly<Record<string, string>> = {
  'AC-2': 'Account Management',
  'AC-3': 'Access Enforcement',
  'AC-4': 'Information Flow Enforcement',
  'AC-6': 'Least Privilege',
  'AC-17': 'Remote Access',
  'AC-21': 'Information Sharing',
  'AU-2': 'Event Logging',
  'AU-3': 'Content of Audit Records',
  'AU-6': 'Audit Record Review, Analysis, and Reporting',
  'AU-9': 'Protection of Audit Information',
  'AU-11': 'Audit Record Retention',
  'AU-12': 'Audit Record Generation',
  'CA-7': 'Continuous Monitoring',
  'CM-2': 'Baseline Configuration',
  'CM-3': 'Configuration Change Control',
  'CM-5': 'Access Restrictions for Change',
  'CM-6': 'Configuration Settings',
  'CM-7': 'Least Functionality',
  'CM-8': 'System Component Inventory',
  'CP-6': 'Alternate Storage Site',
  'CP-9': 'System Backup',
  'CP-10': 'System Recovery and Reconstitution',
  'IA-2': 'Identification and Authentication (Organizational Users)',
  'IA-5': 'Authenticator Management',
  'SA-8': 'Security and Privacy Engineering Principles',
  'SC-5': 'Denial-of-Service Protection',
  'SC-7': 'Boundary Protection',
  'SC-8': 'Transmission Confidentiality and Integrity',
  'SC-12': 'Cryptographic Key Establishment and Management',
  'SC-13': 'Cryptographic Protection',
  'SC-23': 'Session Authenticity',
  'SC-28': 'Protection of Information at Rest',
  'SI-2': 'Flaw Remediation',
  'SI-4': 'System Monitoring',
  'SI-7': 'Software, Firmware, and Information Integrity',
  'SI-12': 'Information Management and Retention',
};

/** AwsSolutions rule families (by id prefix) → controls. Longest prefix wins. */
const AWS_SOLUTIONS_CONTROLS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['AwsSolutions-IAM', ['AC-6', 'AC-2']],
  ['AwsSolutions-S', ['SC-28', 'AU-2', 'SC-8', 'AC-3']],
  ['AwsSolutions-SMG', ['IA-5', 'SC-28']],
  ['AwsSolutions-SNS', ['SC-8', 'SC-28']],
  ['AwsSolutions-SQS', ['SC-8', 'SC-28']],
  ['AwsSolutions-EC2', ['SC-7', 'CM-7']],
  ['AwsSolutions-EC23', ['SC-7', 'AC-4']],
  ['AwsSolutions-VPC', ['AU-2', 'AU-12', 'SC-7']],
  ['AwsSolutions-ELB', ['AU-2', 'SC-8', 'SC-7']],
  ['AwsSolutions-RDS', ['CP-9', 'CP-10', 'SC-28', 'SC-7']],
  ['AwsSolutions-ECS', ['AU-2', 'AU-12', 'CM-6']],
  ['AwsSolutions-ECR', ['RA-5', 'SC-28']],
  ['AwsSolutions-KMS', ['SC-12', 'SC-13']],
  ['AwsSolutions-L', ['SI-2', 'CM-6']],
  ['AwsSolutions-CB', ['SC-28', 'CM-6']],
  ['AwsSolutions-DDB', ['CP-9', 'SC-28']],
  ['AwsSolutions-EFS', ['SC-28']],
  ['AwsSolutions-CFR', ['SC-8', 'SC-7', 'AU-2']],
  ['AwsSolutions-APIG', ['AU-2', 'SC-7', 'IA-2']],
  ['AwsSolutions-COG', ['IA-2', 'IA-5']],
];

/** Fallback for Control Tower rules without a NIST mapping in their metadata, by service. */
const CONTROL_TOWER_FALLBACK: Readonly<Record<string, readonly string[]>> = {
  S3: ['SC-28', 'AC-3', 'AU-2'],
  IAM: ['AC-6', 'AC-2'],
  EC2: ['SC-7', 'CM-7'],
  RDS: ['CP-9', 'SC-28'],
  ELB: ['SC-8', 'AU-2'],
  ECS: ['CM-6', 'AC-6'],
  KMS: ['SC-12'],
  LAMBDA: ['CM-6', 'SC-7'],
  LOGS: ['AU-11', 'AU-9'],
  SNS: ['SC-28'],
  SQS: ['SC-28'],
};

/** `AU-2b` → `AU-2`, `SC-7(4)(b)` → `SC-7`: the base control a report groups by. */
export function baseControl(id: string): string {
  return /^([A-Z]{2}-\d+)/.exec(id.trim())?.[1] ?? id.trim();
}

/** Controls named in cdk-nag's NIST rule text: `... - (Control IDs: AC-2(4), AU-2b, ...)`. */
export function controlsInText(text: string): string[] {
  const at = text.indexOf('Control IDs:');
  if (at === -1) return [];
  return [...new Set(text.slice(at).match(/\b[A-Z]{2}-\d+/g) ?? [])];
}

const springboardControls = new Map(SPRINGBOARD_CHECKS.map(c => [c.id, c.controls.map(baseControl)]));

/** The base controls a rule evidences, whichever pack it belongs to. */
export function controlsOfRule(ruleId: string, description = ''): string[] {
  const base = baseRuleId(ruleId);
  if (base.startsWith('NIST.800.53.R5-')) return controlsInText(description);
  if (base.startsWith('Springboard-')) return [...new Set(springboardControls.get(base) ?? ['CM-6'])];
  if (base.startsWith('AwsSolutions-')) {
    const match = AWS_SOLUTIONS_CONTROLS.filter(([prefix]) => base.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
    return match ? [...match[1]] : ['CM-6'];
  }
  const rule = guardCatalog().byControlId(base);
  if (rule && rule.nistControls.length > 0) return [...new Set(rule.nistControls.map(baseControl))];
  const service = /^CT\.([A-Z0-9]+)\./.exec(base)?.[1] ?? '';
  return [...(CONTROL_TOWER_FALLBACK[service] ?? ['CM-6'])];
}

/** The controls a finding evidences (or fails). */
export function controlsOfFinding(finding: Pick<Finding, 'ruleId' | 'description'>): string[] {
  return controlsOfRule(finding.ruleId, finding.description);
}

/** Focus controls first, then the rest by family and number. */
export function compareControls(a: string, b: string): number {
  const fa = FOCUS_CONTROLS.indexOf(a);
  const fb = FOCUS_CONTROLS.indexOf(b);
  if (fa !== -1 || fb !== -1) return (fa === -1 ? 999 : fa) - (fb === -1 ? 999 : fb);
  const [fam1, n1] = a.split('-');
  const [fam2, n2] = b.split('-');
  return fam1.localeCompare(fam2) || Number(n1) - Number(n2);
}
