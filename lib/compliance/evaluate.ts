/**
 * Evaluation of synthesized templates: raw findings per distinct template content (cached), then
 * placed in their stacks and judged against acknowledgments (read from each template) and the rule
 * policy. The gate calls this at synth and `springboard audit` calls it on any assembly, so both
 * reach the same findings.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { PolicyViolationBeta1 } from 'aws-cdk-lib';
import { acknowledgmentsInResource } from './acknowledgments';
import { FindingsCache, NO_CACHE, findingsCacheKey } from './cache';
import {
  AcknowledgmentRecord, DisabledRule, Finding, FindingStatus, RawFinding, ResourceAcknowledgment,
  baseRuleId, compareFindings,
} from './findings';
import { guardCatalog } from './guard-catalog';
import { GuardData, locateViolations, startGuardJobs } from './guard-runner';
import { runNagPacks } from './nag-runner';
import { RulePolicy } from './rule-policy';

export interface TemplateInput {
  readonly templatePath: string;
  /** Stack name for messages. @default - the artifact id from the file name */
  readonly stackName?: string;
  /** Logical id → construct path, when the construct tree is at hand. @default - each resource's `aws:cdk:path` metadata */
  readonly constructPaths?: ReadonlyMap<string, string>;
}

export interface EvaluationOptions {
  /** Rules disabled platform-wide. @default - none */
  readonly policy?: RulePolicy;
  /** @default - no cache */
  readonly cache?: FindingsCache;
  /** Parallel cfn-guard processes. @default - the machine's available parallelism */
  readonly concurrency?: number;
  /**
   * What each cfn-guard rule file reads; `whole-template` is the reference path the default is
   * tested against (test/compliance/cold-gate.test.ts). @default 'scoped'
   */
  readonly guardData?: GuardData;
}

export interface EvaluationStats {
  readonly templates: number;
  readonly distinctTemplates: number;
  readonly cacheHits: number;
  readonly seconds: number;
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  readonly acknowledgments: readonly ResourceAcknowledgment[];
  readonly disabledRules: readonly DisabledRule[];
  readonly stats: EvaluationStats;
}

interface LoadedTemplate {
  readonly input: TemplateInput;
  readonly key: string;
  readonly resources: Record<string, { Type?: string; Metadata?: Record<string, unknown> }>;
}

/** Evaluates template files with every pack; acknowledgments come from the templates themselves. */
export function evaluateTemplates(inputs: readonly TemplateInput[], options: EvaluationOptions = {}): Evaluation {
  const started = Date.now();
  const cache = options.cache ?? NO_CACHE;
  const loaded = inputs.map(loadTemplate);
  const distinct = [...new Map(loaded.map(t => [t.key, t])).values()];
  const cached = new Map(distinct.flatMap(t => {
    const hit = cache.get(t.key);
    return hit ? [[t.key, hit] as const] : [];
  }));
  const fresh = evaluateRaw(distinct.filter(t => !cached.has(t.key)), options);
  fresh.forEach((findings, key) => { if (findings.every(f => f.pack !== 'Springboard')) cache.set(key, findings); });
  const rawByKey = new Map([...cached, ...fresh]);
  const disabledRules = options.policy?.disabledRules ?? [];
  return {
    findings: loaded.flatMap(t => judgeTemplate(t, rawByKey.get(t.key) ?? [], disabledRules)).sort(compareFindings),
    acknowledgments: loaded.flatMap(acknowledgmentsOf),
    disabledRules,
    stats: { templates: loaded.length, distinctTemplates: distinct.length, cacheHits: cached.size, seconds: (Date.now() - started) / 1000 },
  };
}

/**
 * Keeps only each resource's type and metadata (construct path, acknowledgments): the packs read
 * the file themselves, and holding every template's properties until the verdict grew the synth's
 * memory with the fleet.
 */
function loadTemplate(input: TemplateInput): LoadedTemplate {
  const text = fs.readFileSync(input.templatePath, 'utf8');
  const template = JSON.parse(text) as { Resources?: LoadedTemplate['resources'] };
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {})
    .map(([logicalId, r]) => [logicalId, { Type: r.Type, Metadata: r.Metadata }]));
  return { input, key: findingsCacheKey(text), resources };
}

/** Raw findings per template key: cfn-guard in workers while cdk-nag runs here. */
function evaluateRaw(templates: readonly LoadedTemplate[], options: EvaluationOptions): Map<string, RawFinding[]> {
  const catalog = guardCatalog();
  const guard = startGuardJobs(templates.map(t => ({
    templatePath: t.input.templatePath,
    ruleFiles: catalog.ruleFilesFor(new Set(Object.values(t.resources).map(r => r.Type ?? ''))),
  })), { concurrency: options.concurrency, data: options.guardData });
  const nag = templates.map(t => nagFindings(t));
  const guardViolations = guard.wait();
  return new Map(templates.map((t, i) => [t.key, sortRaw([...nag[i], ...guardFindings(t.input.templatePath, guardViolations[i])])]));
}

function nagFindings(template: LoadedTemplate): RawFinding[] {
  try {
    return runNagPacks(template.input.templatePath, Object.keys(template.resources));
  } catch (e) {
    // Fail closed: a template the packs cannot read is an open finding, never a pass (and never cached).
    return [{
      ruleId: 'Springboard-TemplateNotEvaluated',
      pack: 'Springboard',
      logicalId: '*',
      description: `cdk-nag could not evaluate this template: ${(e as Error).message}`,
      level: 'error',
    }];
  }
}

function guardFindings(templatePath: string, violations: readonly PolicyViolationBeta1[]): RawFinding[] {
  const catalog = guardCatalog();
  const seen = new Set<string>();
  return violations.flatMap(v => {
    const rule = catalog.byRuleName(v.ruleName);
    const ruleId = rule?.controlId ?? /^\[([^\]]+)\]/.exec(v.description)?.[1] ?? v.ruleName;
    return v.violatingResources.flatMap(r => logicalIdsOf(r.resourceLogicalId, templatePath, rule?.file)).flatMap((logicalId): RawFinding[] => {
      if (seen.has(`${ruleId} ${logicalId}`)) return [];
      seen.add(`${ruleId} ${logicalId}`);
      const description = rule?.title ?? v.description;
      return [{ ruleId, pack: 'ControlTower', logicalId, description, level: 'error' }];
    });
  });
}

/** The violation's resource; when the validator could not place it, cfn-guard's raw output does. Unplaceable: `*`, still open. */
function logicalIdsOf(reported: string | undefined, templatePath: string, ruleFile: string | undefined): string[] {
  if (reported) return [reported];
  const located = ruleFile ? locateViolations(templatePath, ruleFile) : [];
  return located.length > 0 ? located : ['*'];
}

function sortRaw(findings: RawFinding[]): RawFinding[] {
  return findings.sort((a, b) => a.logicalId.localeCompare(b.logicalId) || a.ruleId.localeCompare(b.ruleId));
}

function stackNameOf(input: TemplateInput): string {
  return input.stackName ?? path.basename(input.templatePath).replace(/\.template\.json$/, '');
}

function constructPathOf(t: LoadedTemplate, logicalId: string): string {
  const fromMetadata = t.resources[logicalId]?.Metadata?.['aws:cdk:path'];
  return t.input.constructPaths?.get(logicalId)
    ?? (typeof fromMetadata === 'string' ? fromMetadata : `${stackNameOf(t.input)}/${logicalId}`);
}

function judgeTemplate(t: LoadedTemplate, raw: readonly RawFinding[], disabled: readonly DisabledRule[]): Finding[] {
  return raw.map(f => ({
    ...f,
    stack: stackNameOf(t.input),
    template: path.basename(t.input.templatePath),
    constructPath: constructPathOf(t, f.logicalId),
    ...judge(f, acknowledgmentsInResource(t.resources[f.logicalId]), disabled),
  }));
}

/** A rule matches an exception for its own id or, for granular cdk-nag findings, for its base id. */
function covers(exceptionId: string, finding: RawFinding): boolean {
  return exceptionId === finding.ruleId || exceptionId === baseRuleId(finding.ruleId);
}

function judge(f: RawFinding, acks: readonly AcknowledgmentRecord[], disabled: readonly DisabledRule[]): { status: FindingStatus; reason?: string } {
  if (f.pack === 'Springboard') return { status: 'open' };
  const rule = disabled.find(d => covers(d.id, f));
  if (rule) return { status: 'disabled', reason: rule.reason };
  const ack = acks.find(a => covers(a.ruleId, f));
  if (ack) return { status: 'acknowledged', reason: ack.reason };
  return { status: 'open' };
}

function acknowledgmentsOf(t: LoadedTemplate): ResourceAcknowledgment[] {
  return Object.entries(t.resources).flatMap(([logicalId, resource]) =>
    acknowledgmentsInResource(resource).map(a => ({
      ...a,
      stack: stackNameOf(t.input),
      logicalId,
      constructPath: constructPathOf(t, logicalId),
    })));
}
