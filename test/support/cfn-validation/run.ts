/**
 * Runs the CloudFormation validation that ships with aws-cdk-lib (`CloudFormationValidatePlugin`:
 * the resource provider schemas plus cfn-lint-style rules) over written templates, outside synth,
 * and flattens its report into one finding per rule, resource and property path.
 *
 * The plugin is used as it runs in `cdk synth` with `CDK_VALIDATION=true`: its own rule set, its own
 * excluded rules, its own severity threshold (warnings and above) and its own severity mapping.
 */
import * as path from 'path';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { StackTemplate } from './templates';

/** The plugin's severities: `error` for its ERROR and FATAL diagnostics, `warning` for WARN. */
export type ValidationSeverity = 'error' | 'warning' | 'informational';

export interface ValidationFinding {
  /** The plugin's rule id, cfn-lint style: `E3002`, `W3030`, `W2508`. */
  readonly ruleId: string;
  readonly severity: ValidationSeverity;
  readonly stackName: string;
  /** Template file name (relative to its assembly, so findings compare across assemblies). */
  readonly template: string;
  /** Absolute path of the template that was validated. */
  readonly templatePath: string;
  /** Resource logical id, or undefined for a template-level finding. */
  readonly logicalId?: string;
  /** Where in the resource or template, like `Properties.SecurityGroupIngress.0.FromPort`. */
  readonly location?: string;
  readonly description: string;
  readonly fix?: string;
}

/** One engine for the process: loading the schemas and rules costs seconds, validating a template milliseconds. */
let sharedPlugin: CloudFormationValidatePlugin | undefined;

function plugin(): CloudFormationValidatePlugin {
  sharedPlugin ??= new CloudFormationValidatePlugin();
  return sharedPlugin;
}

/** The version of the validation engine (for reports and the docs' measurements). */
export function validationEngineVersion(): string {
  return plugin().version ?? 'unknown';
}

function severityOf(reported: string | undefined): ValidationSeverity {
  if (reported === 'error' || reported === 'fatal') return 'error';
  if (reported === 'warning') return 'warning';
  return 'informational';
}

/** Validates the templates in one call (one engine) and returns every finding, sorted. */
export function validateTemplates(templates: readonly StackTemplate[]): ValidationFinding[] {
  if (templates.length === 0) return [];
  const byPath = new Map(templates.map(t => [t.templatePath, t]));
  const report = plugin().validate({
    templatePaths: templates.map(t => t.templatePath),
    stackTemplates: templates.map(t => ({
      templatePath: t.templatePath,
      stackConstructPath: t.stackName,
      accountId: t.account,
      region: t.region,
    })),
    // The plugin reads only the templates; the construct tree is not needed after synth.
    appConstruct: new Construct(undefined as unknown as Construct, ''),
  });
  const findings = report.violations.flatMap(violation => violation.violatingResources.map((resource): ValidationFinding => {
    const stack = byPath.get(resource.templatePath ?? '');
    return {
      ruleId: violation.ruleName,
      severity: severityOf(violation.severity),
      stackName: stack?.stackName ?? 'unknown-stack',
      template: path.basename(resource.templatePath ?? 'unknown-template'),
      templatePath: resource.templatePath ?? 'unknown-template',
      logicalId: resource.resourceLogicalId,
      location: resource.locations[0],
      description: violation.description,
      fix: violation.fix,
    };
  }));
  return findings.sort(compareFindings);
}

function compareFindings(a: ValidationFinding, b: ValidationFinding): number {
  return a.stackName.localeCompare(b.stackName)
    || (a.logicalId ?? '').localeCompare(b.logicalId ?? '')
    || a.ruleId.localeCompare(b.ruleId)
    || (a.location ?? '').localeCompare(b.location ?? '');
}

/** One line per finding, for failure messages. */
export function formatFinding(f: ValidationFinding): string {
  const where = f.logicalId ? `${f.stackName}/${f.logicalId}` : f.stackName;
  return `${f.severity} ${f.ruleId} on ${where}${f.location ? ` (${f.location})` : ''}: ${f.description}`;
}
