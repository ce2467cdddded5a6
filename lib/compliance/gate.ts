/**
 * The compliance gate: one validation plugin that, on every synth, evaluates every template of the
 * assembly with cdk-nag (NIST 800-53 rev 5, AWS Solutions) and the Control Tower proactive controls
 * (cfn-guard), judges each finding itself, writes the report into the assembly and fails synth on
 * any open finding. The packs are not registered as separate plugins: the framework's success flag
 * for a plugin flips to true once any of its rules is acknowledged, and the gate must not depend on it.
 */
import * as path from 'path';
import {
  App, CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, NestedStack,
  PolicyValidationPluginReport, PolicyViolation, Stack, Stage, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { NO_CACHE, cacheDirectory, directoryCache } from './cache';
import { TemplateInput, evaluateTemplates } from './evaluate';
import { Finding } from './findings';
import { ComplianceReport, emptyReport, reportOf, writeReport } from './report';
import { RulePolicy, loadRulePolicy } from './rule-policy';
import { describeFinding, failureMessage, openFindings } from './verdict';
import { COMPLIANCE_REPORT_FILE } from '../contract/naming';

/** Context key of the only switch: `-c springboard:gate=off`. */
export const GATE_CONTEXT_KEY = 'springboard:gate';
/** Name under which the gate appears in CDK's validation report. */
export const GATE_PLUGIN_NAME = 'springboard-compliance-gate';

/** The framework's switch that turns failed validations into printed reports only. */
const FAIL_SYNTH_CONTEXT = '@aws-cdk/core:failSynthOnValidationErrors';

export interface ComplianceGateOptions {
  /** Rules disabled platform-wide. @default - compliance/rule-policy.yaml */
  readonly policy?: RulePolicy;
  /** Findings cache directory, or `false` for none. @default - $SPRINGBOARD_CACHE_DIR, else '.springboard-cache/compliance' */
  readonly cacheDir?: string | false;
  /** Parallel cfn-guard processes. @default - the machine's available parallelism */
  readonly concurrency?: number;
  /** Where the gate's progress lines go. @default - standard error */
  readonly log?: (line: string) => void;
}

const gated = new WeakSet<App>();

/**
 * Registers the gate on `app`. It runs on every synth; the only way off is `-c springboard:gate=off`,
 * which is printed loudly and recorded as verdict "skipped" in the report.
 */
export function applyComplianceGate(app: App, options: ComplianceGateOptions = {}): void {
  if (gated.has(app)) throw new Error('applyComplianceGate: the gate is already applied to this app; apply it once, in bin/app.ts');
  const mode = gateMode(app.node.tryGetContext(GATE_CONTEXT_KEY));
  const policy = options.policy ?? loadRulePolicy();
  gated.add(app);
  Validations.of(app).addPlugins(new ComplianceGatePlugin(mode, policy, options));
}

function gateMode(value: unknown): 'on' | 'off' {
  if (value === undefined || value === 'on') return 'on';
  if (value === 'off') return 'off';
  // Anything else is a typo or a guess at a switch: refuse rather than silently run or skip.
  throw new Error(`context ${GATE_CONTEXT_KEY}: expected "off" (to skip the compliance gate) or nothing, received ${JSON.stringify(value)}`);
}

class ComplianceGatePlugin implements IPolicyValidationPlugin {
  public readonly name = GATE_PLUGIN_NAME;
  private readonly log: (line: string) => void;

  constructor(private readonly mode: 'on' | 'off', private readonly policy: RulePolicy, private readonly options: ComplianceGateOptions) {
    // eslint-disable-next-line no-console
    this.log = options.log ?? (line => console.error(line));
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = context.appConstruct as Stage;
    if (this.mode === 'off') return this.skip(app);
    try {
      return this.evaluate(app, context.templatePaths);
    } catch (e) {
      const message = `springboard compliance gate could not evaluate the assembly: ${(e as Error).message}`;
      writeReport(app.outdir, emptyReport('fail', { error: (e as Error).message }, this.policy.disabledRules));
      return { success: false, violations: [{ ruleName: 'Springboard-GateError', description: message, violatingResources: [], severity: 'fatal' }] };
    }
  }

  private skip(app: Stage): PolicyValidationPluginReport {
    const banner = '!'.repeat(78);
    this.log([banner,
      `!! SPRINGBOARD COMPLIANCE GATE SKIPPED (-c ${GATE_CONTEXT_KEY}=off): nothing in this assembly was checked.`,
      `!! ${COMPLIANCE_REPORT_FILE} records verdict "skipped"; \`springboard audit\` evaluates it before deploy.`,
      banner].join('\n'));
    writeReport(app.outdir, emptyReport('skipped', { skippedBecause: `-c ${GATE_CONTEXT_KEY}=off` }, this.policy.disabledRules));
    return { success: true, violations: [] };
  }

  private evaluate(app: Stage, templatePaths: readonly string[]): PolicyValidationPluginReport {
    const cacheDir = cacheDirectory(this.options.cacheDir);
    const evaluation = evaluateTemplates(templateInputs(app, templatePaths), {
      policy: this.policy,
      cache: cacheDir === false ? NO_CACHE : directoryCache(cacheDir),
      concurrency: this.options.concurrency,
    });
    const report = reportOf(evaluation, this.policy.source);
    const reportPath = writeReport(app.outdir, report);
    const { stats } = evaluation;
    this.log(`springboard compliance gate: ${report.verdict} (${summaryLine(report)}; ${stats.templates} templates, `
      + `${stats.distinctTemplates} distinct, ${stats.cacheHits} cached; ${stats.seconds.toFixed(1)} s) - ${reportPath}`);
    const open = openFindings(evaluation.findings);
    if (open.length === 0) return { success: true, violations: [] };
    // Listed here too: the CDK CLI does not always show the framework's own validation report.
    this.log(failureMessage(evaluation.findings, reportPath));
    if (app.node.tryGetContext(FAIL_SYNTH_CONTEXT) === false || app.node.tryGetContext(FAIL_SYNTH_CONTEXT) === 'false') {
      process.exitCode = 1; // the framework will only print; the gate still fails the process
    }
    return { success: false, violations: open.map(toViolation) };
  }
}

function summaryLine(report: ComplianceReport): string {
  const { open, acknowledged, disabled } = report.summary;
  return `${open} open, ${acknowledged} acknowledged, ${disabled} disabled platform-wide`;
}

/**
 * Severity "fatal" because the framework cannot suppress fatal violations: an acknowledgment aimed
 * at the gate's own namespace must not turn an open finding into a pass behind the report's back.
 */
function toViolation(f: Finding): PolicyViolation {
  return {
    ruleName: f.ruleId,
    description: describeFinding(f),
    severity: 'fatal',
    ruleMetadata: { acknowledge: `acknowledge(construct, '${f.ruleId}', reason) from lib/compliance` },
    violatingResources: [{ constructPath: f.constructPath, resourceLogicalId: f.logicalId, locations: ['Properties'] }],
  };
}

/** Every stack template in the app (nested stages and nested stacks too), with names and construct paths. */
function templateInputs(app: Stage, templatePaths: readonly string[]): TemplateInput[] {
  const stacks = app.node.findAll().filter(Stack.isStack);
  const inputs = stacks.map((stack): TemplateInput => ({
    templatePath: path.join(Stage.of(stack)?.outdir ?? app.outdir, stack.templateFile),
    stackName: NestedStack.isNestedStack(stack) ? undefined : stack.stackName,
    constructPaths: constructPathsOf(stack),
  }));
  const known = new Set(inputs.map(i => path.resolve(i.templatePath)));
  const others = templatePaths.filter(p => !known.has(path.resolve(p))).map(templatePath => ({ templatePath }));
  return [...inputs, ...others];
}

function constructPathsOf(stack: Stack): Map<string, string> {
  const paths = new Map<string, string>();
  const visit = (node: IConstruct) => {
    if (CfnResource.isCfnResource(node) && Stack.of(node) === stack) paths.set(stack.resolve(node.logicalId) as string, node.node.path);
    node.node.children.forEach(visit);
  };
  visit(stack);
  return paths;
}
