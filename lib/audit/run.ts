/** `springboard audit` as a library call: read, evaluate, compare, write the three files. */
import * as fs from 'fs';
import * as path from 'path';
import { acknowledgedChanges } from './acknowledged-changes';
import { readAssembly } from './assembly';
import { diffAssemblies } from './baseline-diff';
import { buildReport } from './build-report';
import { AuditError } from './errors';
import { AuditReport } from './model';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { DEFAULT_CACHE_DIR, NO_CACHE, directoryCache } from '../compliance/cache';
import { Evaluation, TemplateInput, evaluateTemplates } from '../compliance/evaluate';
import { DEFAULT_RULE_POLICY_FILE, RulePolicy, loadRulePolicy } from '../compliance/rule-policy';
import { Evaluate, TeamClosureEvidence, loadSimulator, teamClosureEvidence } from '../escalation';

export interface AuditOptions {
  /** Cloud assembly folder. @default 'cdk.out' */
  readonly assembly?: string;
  /** Folder the report files are written to; nothing is written when undefined. */
  readonly out?: string;
  /** Approved assembly to compare with. @default - no comparison */
  readonly baseline?: string;
  /** Rule policy file. @default - Springboard's reviewed policy (compliance/rule-policy.yaml) */
  readonly policyFile?: string;
  /** Reuse rule-pack results cached by template content (a cache cannot change a verdict). @default true */
  readonly cache?: boolean;
  /** Each team's escalation closure (see `runAuditWithClosures`). @default not computed */
  readonly iamClosures?: TeamClosureEvidence;
  /** Replaces the rule-pack evaluation (tests that only exercise Springboard's checks). */
  readonly evaluate?: (inputs: readonly TemplateInput[], policy?: RulePolicy) => Evaluation;
}

export interface AuditResult {
  readonly report: AuditReport;
  /** 0 when clean, 1 on an open finding or a flagged baseline change. */
  readonly exitCode: number;
  readonly files: { readonly html?: string; readonly markdown?: string; readonly json?: string };
}

export const REPORT_FILES = { html: 'index.html', markdown: 'report.md', json: 'findings.json' } as const;

export function runAudit(options: AuditOptions = {}): AuditResult {
  const started = Date.now();
  const assembly = readAssembly(options.assembly ?? 'cdk.out');
  const baselineAssembly = options.baseline !== undefined ? readAssembly(options.baseline, 'baseline') : undefined;
  const readSeconds = (Date.now() - started) / 1000;
  const { policy, note } = policyFor(options.policyFile);
  const packsStarted = Date.now();
  const inputs = assembly.stacks.map(s => ({ templatePath: s.templatePath, stackName: s.stackName }));
  const evaluation = options.evaluate
    ? options.evaluate(inputs, policy)
    : evaluateTemplates(inputs, { policy, cache: options.cache === false ? NO_CACHE : directoryCache(DEFAULT_CACHE_DIR) });
  const rulePacksSeconds = (Date.now() - packsStarted) / 1000;
  const baseline = baselineAssembly ? diffAssemblies(baselineAssembly, assembly) : undefined;
  const policyInfo = { source: policy ? relative(policy.source) : undefined, note };
  const changes = acknowledgedChanges(assembly, baselineAssembly);
  const built = buildReport({
    assembly,
    evaluation,
    policy: policyInfo,
    baseline,
    acknowledgedChanges: changes,
    iamClosures: options.iamClosures,
    timings: { readSeconds, rulePacksSeconds },
  });
  const report: AuditReport = { ...built, timings: { ...built.timings, totalSeconds: (Date.now() - started) / 1000 } };
  return { report, exitCode: report.verdict === 'pass' ? 0 : 1, files: options.out ? writeReport(report, options.out) : {} };
}

/**
 * `runAudit` with each team's escalation closure in the IAM section, evaluated with the IAM simulator
 * where it is installed (a development dependency); elsewhere the section says it was not computed.
 */
export async function runAuditWithClosures(
  options: AuditOptions = {},
  evaluator: Promise<Evaluate | undefined> = loadSimulator(),
): Promise<AuditResult> {
  const directory = options.assembly ?? 'cdk.out';
  readAssembly(directory);
  const iamClosures = await teamClosureEvidence(directory, await evaluator);
  return runAudit({ ...options, iamClosures });
}

function policyFor(file: string | undefined): { policy?: RulePolicy; note?: string } {
  const source = file ?? DEFAULT_RULE_POLICY_FILE;
  if (!fs.existsSync(source)) {
    if (file) throw new AuditError(`rule policy ${file}: file not found; expected a YAML file with a disabledRules list`);
    return { note: `no rule policy at ${relative(source)}: no rule is disabled platform-wide` };
  }
  try {
    return { policy: loadRulePolicy(source) };
  } catch (e) {
    throw new AuditError((e as Error).message);
  }
}

function writeReport(report: AuditReport, out: string): AuditResult['files'] {
  fs.mkdirSync(out, { recursive: true });
  const files = {
    html: path.join(out, REPORT_FILES.html),
    markdown: path.join(out, REPORT_FILES.markdown),
    json: path.join(out, REPORT_FILES.json),
  };
  fs.writeFileSync(files.html, renderHtml(report));
  fs.writeFileSync(files.markdown, renderMarkdown(report));
  fs.writeFileSync(files.json, renderJson(report));
  return files;
}

function relative(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r.startsWith('..') ? file : r;
}
