/**
 * CloudFormation quota headroom, checked on every synth: a stack that passes half of a per-stack
 * quota is reported as a warning (time to split it), one past 80% fails synth, because the next
 * few teams or features would make it undeployable and splitting a live stack replaces resources.
 * The check reads the written templates, so it sees exactly what CloudFormation will receive.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Validations,
} from 'aws-cdk-lib';

/** Per-stack CloudFormation quotas (template body: the 1 MB limit of a template uploaded to S3). */
export const CLOUDFORMATION_QUOTAS = {
  resources: 500,
  outputs: 200,
  parameters: 200,
  mappings: 200,
  templateBytes: 1_048_576,
} as const;

export type QuotaName = keyof typeof CLOUDFORMATION_QUOTAS;

/**
 * Per-account and per-region quotas of the tooling account that grow with the team count:
 * CodeBuild build projects (each team has three: build, verify, pull-requests).
 */
export const TOOLING_QUOTAS = { codeBuildProjects: 5000 } as const;

/** Above this share of a quota synth warns. */
export const QUOTA_WARN_FRACTION = 0.5;
/** Above this share of a quota synth fails. */
export const QUOTA_FAIL_FRACTION = 0.8;

export const QUOTA_PLUGIN_NAME = 'springboard-quota-check';

export interface TemplateUsage {
  readonly stack: string;
  readonly resources: number;
  readonly outputs: number;
  readonly parameters: number;
  readonly mappings: number;
  readonly templateBytes: number;
}

export interface QuotaFinding {
  readonly stack: string;
  readonly quota: QuotaName;
  readonly used: number;
  readonly limit: number;
  readonly level: 'warning' | 'error';
}

/** What one synthesized template uses of each quota. */
export function templateUsage(templatePath: string): TemplateUsage {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  const count = (section: string) => Object.keys(template[section] ?? {}).length;
  return {
    stack: basename(templatePath).replace(/(\.nested)?\.template\.json$/, ''),
    resources: count('Resources'),
    outputs: count('Outputs'),
    parameters: count('Parameters'),
    mappings: count('Mappings'),
    templateBytes: statSync(templatePath).size,
  };
}

/** The quotas a template has passed the warning or failure share of. */
export function quotaFindings(usage: TemplateUsage): QuotaFinding[] {
  return (Object.keys(CLOUDFORMATION_QUOTAS) as QuotaName[]).flatMap((quota): QuotaFinding[] => {
    const limit = CLOUDFORMATION_QUOTAS[quota];
    const used = usage[quota];
    if (used > limit * QUOTA_FAIL_FRACTION) return [{ stack: usage.stack, quota, used, limit, level: 'error' }];
    if (used > limit * QUOTA_WARN_FRACTION) return [{ stack: usage.stack, quota, used, limit, level: 'warning' }];
    return [];
  });
}

export function describeQuotaFinding(f: QuotaFinding): string {
  const share = Math.round((f.used / f.limit) * 1000) / 10;
  const threshold = f.level === 'error' ? QUOTA_FAIL_FRACTION : QUOTA_WARN_FRACTION;
  return `stack ${f.stack} uses ${f.used} of ${f.limit} ${f.quota} (${share}%, over ${threshold * 100}%): `
    + 'split the stack (for example move a feature into its own stack) before it reaches the CloudFormation quota';
}

export interface QuotaCheckOptions {
  /** Where warnings go. @default - standard error */
  readonly log?: (line: string) => void;
}

/** Registers the quota check on `app`; it runs on every synth, with or without the compliance gate. */
export function applyQuotaCheck(app: App, options: QuotaCheckOptions = {}): void {
  Validations.of(app).addPlugins(new QuotaCheckPlugin(options));
}

class QuotaCheckPlugin implements IPolicyValidationPlugin {
  public readonly name = QUOTA_PLUGIN_NAME;

  constructor(private readonly options: QuotaCheckOptions) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // eslint-disable-next-line no-console
    const log = this.options.log ?? (line => console.error(line));
    const findings = context.templatePaths.flatMap(p => quotaFindings(templateUsage(p)));
    findings.filter(f => f.level === 'warning').forEach(f => log(`springboard quota check: warning: ${describeQuotaFinding(f)}`));
    const errors = findings.filter(f => f.level === 'error');
    errors.forEach(f => log(`springboard quota check: error: ${describeQuotaFinding(f)}`));
    return { success: errors.length === 0, violations: errors.map(toViolation) };
  }
}

function toViolation(f: QuotaFinding): PolicyViolation {
  return {
    ruleName: `Springboard-Quota-${f.quota}`,
    description: describeQuotaFinding(f),
    // Fatal: a quota cannot be acknowledged away, the deploy would fail.
    severity: 'fatal',
    violatingResources: [{ constructPath: f.stack, resourceLogicalId: f.stack, locations: [f.quota] }],
  };
}
