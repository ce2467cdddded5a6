/**
 * Springboard's programmatic entry: what a script or another CDK app needs to do what
 * `cdk synth` and `springboard` do. Load and validate a registry, build the platform into a CDK App,
 * apply the compliance gate (and the CloudFormation quota check), retire a team, audit an assembly:
 *
 *   const registry = loadRegistry('teams');
 *   const app = createApp();
 *   buildPlatform(app, registry);
 *   applyComplianceGate(app);
 *   app.synth();
 *   const { exitCode } = runAudit({ assembly: 'cdk.out', out: 'audit' });
 *
 * Everything else under lib/ is internal: import it from here or not at all.
 */

// The registry: teams/*.yaml -> typed, validated TeamSpec[].
export { loadRegistry, validateRegistry, RegistryError, InputError, formatDiagnostics } from './registry';
export type {
  ValidationResult, Diagnostic, Registry, TeamSpec, EnvironmentSpec, PlatformSettings, SourceRepository,
} from './registry';

// The one App factory: every App Springboard creates carries the same settings (feature flags).
export { createApp } from './construct-kit';

// The platform: every stack of the registry in one CDK App, and retiring a team.
export { buildPlatform, applyQuotaCheck, planRetirement } from './app';
export type { BuildPlatformOptions, BuiltPlatform, QuotaCheckOptions, RetirementPlan } from './app';

// The compliance gate, applied to an App before synth, and its verdict on a written assembly.
export { applyComplianceGate, evaluateAssembly, verdictOf, openFindings } from './compliance';
export type { ComplianceGateOptions, Verdict, Evaluation } from './compliance';

// The audit evidence of a synthesized assembly.
export { runAudit, REPORT_FILES } from './audit';
export type { AuditOptions, AuditResult } from './audit';

// Privilege-escalation analysis: which principals reach which, given an IAM policy evaluator.
export * as escalation from './escalation';

// The names AWS sees and the AWS addressing they are built with (the public contract).
export * from './contract';
