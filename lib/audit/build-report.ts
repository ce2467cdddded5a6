/** Assembles the audit report from the assembly, the rule-pack evaluation and Springboard's checks. */
import { AcknowledgedChangeEntry } from './acknowledged-changes';
import { AssemblyStack, CloudAssemblyModel } from './assembly';
import { BaselineDiff } from './baseline-diff';
import { CheckOutcome, SPRINGBOARD_CHECKS, runChecks } from './checks';
import { accessLogDestinations } from './checks/logging';
import { QUOTA_FLAG_RATIO, quotaUse } from './checks/quotas';
import { EvidenceSection } from './checks/types';
import { environmentGraph, renderDiagram } from './diagram';
import {
  AUDIT_REPORT_SCHEMA_VERSION, AuditFinding, AuditReport, ControlEvidence, EnvironmentSection, EvidenceRow, PackSummary,
  QuotaRow, RuleOutcome, TeamSection,
} from './model';
import { CONTROL_TITLES, FOCUS_CONTROLS, compareControls, controlsOfFinding, controlsOfRule } from './nist';
import { PackRule, controlTowerRulesFor, nagPackRules } from './pack-rules';
import type { Evaluation } from '../compliance/evaluate';
import { Finding, RulePack, baseRuleId, compareFindings } from '../compliance/findings';
import { DEFAULT_ENVIRONMENTS } from '../contract/naming';
import { NOT_COMPUTED_HOW_TO, TeamClosureEvidence, flaggedClosures } from '../escalation/team-closures';

const NOT_COMPUTED: TeamClosureEvidence = { computed: false, reason: 'no IAM evaluator was given to the audit', howTo: NOT_COMPUTED_HOW_TO };

export interface ReportInputs {
  readonly assembly: CloudAssemblyModel;
  /** The prod data guard's acknowledged changes, stale ones flagged. @default none */
  readonly acknowledgedChanges?: readonly AcknowledgedChangeEntry[];
  readonly evaluation: Evaluation;
  readonly policy: { readonly source?: string; readonly note?: string };
  readonly baseline?: BaselineDiff;
  /** Each team's escalation closure. @default not computed (no evaluator given) */
  readonly iamClosures?: TeamClosureEvidence;
  readonly timings: { readonly readSeconds: number; readonly rulePacksSeconds: number };
}

const SECTIONS: readonly EvidenceSection[] = ['encryption', 'reachability', 'iam', 'logging', 'resilience', 'tags', 'quotas'];
export const SHARED_GROUP = 'Shared platform stacks';
export const UNASSIGNED_GROUP = 'Stacks outside the naming contract';

/** Springboard's check results that failed, as findings in the gate's shape (they cannot be waived). */
export function checkFindings(outcomes: readonly CheckOutcome[]): Finding[] {
  return outcomes.filter(o => o.result.status === 'non-compliant').map(o => ({
    ruleId: o.check.id,
    pack: 'Springboard' as const,
    logicalId: o.resource?.logicalId ?? '*',
    description: o.result.detail,
    level: 'error' as const,
    stack: o.stack.stackName,
    template: o.stack.templateFile,
    constructPath: o.resource?.constructPath ?? o.stack.stackName,
    status: 'open' as const,
  }));
}

export function buildReport(inputs: ReportInputs): AuditReport {
  const started = Date.now();
  const { assembly, evaluation } = inputs;
  const outcomes = assembly.stacks.flatMap(s => runChecks(s));
  const findings: AuditFinding[] = [...evaluation.findings, ...checkFindings(outcomes)]
    .sort(compareFindings).map(f => ({ ...f, controls: controlsOfFinding(f) }));
  const checksSeconds = (Date.now() - started) / 1000;
  const packRules = evaluatedRules(assembly.stacks);
  const teams = teamSections(assembly.stacks, outcomes, findings);
  const count = (status: Finding['status']) => findings.filter(f => f.status === status).length;
  const baselineFlagged = inputs.baseline?.flaggedCount ?? 0;
  const acknowledgedChanges = inputs.acknowledgedChanges ?? [];
  const stale = acknowledgedChanges.filter(a => a.stale);
  const iamClosures = inputs.iamClosures ?? NOT_COMPUTED;
  const escalations = flaggedClosures(iamClosures);
  const reasons = [
    escalations ? `${escalations} team principal${escalations === 1 ? '' : 's'} whose escalation closure reaches another team's, a platform-owned or an administrator principal` : '',
    count('open') ? `${count('open')} open finding${count('open') === 1 ? '' : 's'} (neither acknowledged nor disabled)` : '',
    baselineFlagged ? `${baselineFlagged} flagged change${baselineFlagged === 1 ? '' : 's'} since the baseline` : '',
    stale.length ? `${stale.length} acknowledged change${stale.length === 1 ? '' : 's'} that no longer match anything (remove them from the registry)` : '',
  ].filter(Boolean);
  return {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    assembly: {
      directory: assembly.directory,
      schemaVersion: assembly.schemaVersion,
      stacks: assembly.stacks.length,
      resources: assembly.stacks.reduce((n, s) => n + s.resources.length, 0),
      gateVerdict: assembly.gateReport?.verdict,
    },
    policy: inputs.policy,
    iamClosures,
    verdict: reasons.length ? 'fail' : 'pass',
    reasons,
    summary: {
      open: count('open'),
      acknowledged: count('acknowledged'),
      disabled: count('disabled'),
      baselineFlagged,
      teams: teams.filter(t => t.team !== SHARED_GROUP && t.team !== UNASSIGNED_GROUP).length,
      environments: teams.reduce((n, t) => n + t.environments.length, 0),
    },
    inventory: inventoryOf(assembly.stacks),
    packs: packSummaries(packRules, findings, evaluation),
    controls: controlEvidence(packRules, outcomes, findings),
    findings,
    acknowledgments: evaluation.acknowledgments.map(a => ({
      rule: a.ruleId, resourcePath: a.constructPath, reason: a.reason, stack: a.stack, acknowledgedAt: a.acknowledgedAt,
    })),
    disabledRules: evaluation.disabledRules.map(d => ({ rule: d.id, ...d })),
    acknowledgedChanges,
    quotas: assembly.stacks.map(quotaRow),
    teams,
    baseline: inputs.baseline,
    timings: { ...inputs.timings, checksSeconds, totalSeconds: 0 },
  };
}

function inventoryOf(stacks: readonly AssemblyStack[]): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  stacks.forEach(s => s.resources.forEach(r => counts.set(r.type, (counts.get(r.type) ?? 0) + 1)));
  return [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

function quotaRow(stack: AssemblyStack): QuotaRow {
  const uses = quotaUse(stack);
  const maxRatio = Math.max(...uses.map(u => u.ratio));
  return {
    stack: stack.stackName,
    team: stack.team,
    environment: stack.environment,
    kind: stack.kind,
    resources: stack.resources.length,
    outputs: stack.outputCount,
    parameters: stack.parameterCount,
    templateBytes: stack.templateBytes,
    maxRatio,
    flagged: maxRatio >= QUOTA_FLAG_RATIO,
    terminationProtection: stack.terminationProtection,
  };
}

/** Every rule each pack evaluated over these templates. */
function evaluatedRules(stacks: readonly AssemblyStack[]): Map<RulePack, PackRule[]> {
  const types = new Set(stacks.flatMap(s => s.resources.map(r => r.type)));
  const nag = nagPackRules();
  return new Map<RulePack, PackRule[]>([
    ['NIST.800.53.R5', nag.filter(r => r.pack === 'NIST.800.53.R5')],
    ['AwsSolutions', nag.filter(r => r.pack === 'AwsSolutions')],
    ['ControlTower', controlTowerRulesFor(types)],
    ['Springboard', SPRINGBOARD_CHECKS.map(c => ({ id: c.id, pack: 'Springboard' as const, description: c.title }))],
  ]);
}

const PACK_LABELS: Readonly<Record<RulePack, string>> = {
  'NIST.800.53.R5': 'cdk-nag NIST 800-53 rev 5',
  'AwsSolutions': 'cdk-nag AWS Solutions',
  'ControlTower': 'Control Tower proactive controls (cfn-guard)',
  'Springboard': 'Springboard checks',
};

function packSummaries(rules: Map<RulePack, PackRule[]>, findings: readonly AuditFinding[], evaluation: Evaluation): PackSummary[] {
  return [...rules].map(([pack, packRules]) => {
    const ofPack = findings.filter(f => f.pack === pack);
    const ids = new Set([...packRules.map(r => r.id), ...ofPack.map(f => baseRuleId(f.ruleId))]);
    const disabled = evaluation.disabledRules.filter(d => d.pack === pack);
    const outcomes = [...ids].sort().map((id): RuleOutcome => {
      const mine = ofPack.filter(f => baseRuleId(f.ruleId) === id);
      const open = mine.filter(f => f.status === 'open').length;
      const acknowledged = mine.filter(f => f.status === 'acknowledged').length;
      const policy = disabled.find(d => d.id === id);
      const state = open ? 'failed' : acknowledged ? 'acknowledged' : policy || mine.some(f => f.status === 'disabled') ? 'disabled' : 'passed';
      const reasons = [...new Set([...(policy ? [policy.reason] : []), ...mine.filter(f => f.reason).map(f => f.reason!)])];
      return { id, state, open, acknowledged, reasons };
    });
    const n = (state: RuleOutcome['state']) => outcomes.filter(o => o.state === state).length;
    return {
      pack,
      label: PACK_LABELS[pack],
      evaluated: outcomes.length,
      passed: n('passed'),
      failed: n('failed'),
      acknowledged: n('acknowledged'),
      disabled: n('disabled'),
      rules: outcomes.filter(o => o.state !== 'passed'),
    };
  });
}

function controlEvidence(rules: Map<RulePack, PackRule[]>, outcomes: readonly CheckOutcome[], findings: readonly AuditFinding[]): ControlEvidence[] {
  type Tally = { rules: Set<string>; checks: Set<string>; compliant: number; open: number; acknowledged: number; disabled: number };
  const byControl = new Map<string, Tally>();
  const entry = (c: string) => {
    if (!byControl.has(c)) byControl.set(c, { rules: new Set(), checks: new Set(), compliant: 0, open: 0, acknowledged: 0, disabled: 0 });
    return byControl.get(c)!;
  };
  FOCUS_CONTROLS.forEach(entry);
  [...rules.values()].flat().forEach(r => controlsOfRule(r.id, r.description).forEach(c => entry(c).rules.add(r.id)));
  SPRINGBOARD_CHECKS.forEach(check => controlsOfRule(check.id).forEach(c => entry(c).checks.add(check.title)));
  outcomes.filter(o => o.result.status === 'compliant').forEach(o => controlsOfRule(o.check.id).forEach(c => { entry(c).compliant++; }));
  findings.forEach(f => f.controls.forEach(c => { entry(c)[f.status]++; }));
  return [...byControl].map(([control, e]) => ({
    control,
    title: CONTROL_TITLES[control] ?? '',
    focus: FOCUS_CONTROLS.includes(control),
    rulesEvaluated: e.rules.size + e.checks.size,
    checks: [...e.checks],
    compliantResults: e.compliant,
    open: e.open,
    acknowledged: e.acknowledged,
    disabled: e.disabled,
  })).sort((a, b) => compareControls(a.control, b.control));
}

function groupOf(stack: AssemblyStack): { team: string; environment: string } {
  if (stack.kind === 'baseline' || stack.kind === 'platform') return { team: SHARED_GROUP, environment: stack.parentStack ?? stack.stackName };
  if (stack.team) return { team: stack.team, environment: stack.environment ?? 'unnamed' };
  return { team: UNASSIGNED_GROUP, environment: stack.parentStack ?? stack.stackName };
}

function environmentRank(name: string): number {
  const i = (DEFAULT_ENVIRONMENTS as readonly string[]).indexOf(name);
  return i === -1 ? (name === 'delivery' ? 99 : 50) : i;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function teamSections(stacks: readonly AssemblyStack[], outcomes: readonly CheckOutcome[], findings: readonly AuditFinding[]): TeamSection[] {
  const groups = new Map<string, Map<string, AssemblyStack[]>>();
  stacks.forEach(s => {
    const { team, environment } = groupOf(s);
    const envs = groups.get(team) ?? new Map<string, AssemblyStack[]>();
    envs.set(environment, [...(envs.get(environment) ?? []), s]);
    groups.set(team, envs);
  });
  const teamRank = (t: string) => (t === SHARED_GROUP ? 1 : t === UNASSIGNED_GROUP ? 2 : 0);
  return [...groups].sort(([a], [b]) => teamRank(a) - teamRank(b) || a.localeCompare(b)).map(([team, envs]) => ({
    id: `team-${slug(team)}`,
    team,
    environments: [...envs].sort(([a], [b]) => environmentRank(a) - environmentRank(b) || a.localeCompare(b))
      .map(([environment, envStacks]) => environmentSection(team, environment, envStacks, outcomes, findings)),
  }));
}

function environmentSection(
  team: string, environment: string, stacks: AssemblyStack[], outcomes: readonly CheckOutcome[], findings: readonly AuditFinding[],
): EnvironmentSection {
  const names = new Set(stacks.map(s => s.stackName));
  const mine = outcomes.filter(o => names.has(o.stack.stackName));
  const id = `env-${slug(team)}-${slug(environment)}`;
  const evidence = Object.fromEntries(SECTIONS.map(section => [section, mine.filter(o => o.check.section === section).map(evidenceRow)]));
  const diagram = renderDiagram(`${id}-diagram`, `Architecture of ${team} ${environment}`, environmentGraph(stacks));
  return {
    id,
    team,
    environment,
    strict: stacks.some(s => s.strict),
    stacks: [...names],
    accounts: [...new Set(stacks.map(s => [s.account, s.region].filter(Boolean).join(' / ')).filter(Boolean))],
    inventory: inventoryOf(stacks),
    evidence: evidence as Record<EvidenceSection, EvidenceRow[]>,
    accessLogs: stacks.flatMap(s => accessLogDestinations(s).map(d => ({
      stack: s.stackName, resourcePath: d.resource.constructPath, kind: d.kind, destination: d.destination,
    }))),
    findings: findings.filter(f => names.has(f.stack)),
    diagram: { svg: diagram.svg, nodes: diagram.nodes, edges: diagram.edges },
  };
}

function evidenceRow(o: CheckOutcome): EvidenceRow {
  return {
    stack: o.stack.stackName,
    resourcePath: o.resource?.constructPath ?? o.stack.stackName,
    logicalId: o.resource?.logicalId,
    resourceType: o.resource?.type,
    check: o.check.id,
    status: o.result.status as EvidenceRow['status'],
    detail: o.result.detail,
    facts: o.result.facts ?? {},
  };
}
