/** The compliance gate and the evaluation it shares with `springboard audit`. */
export { acknowledge, acknowledgmentsInResource } from './acknowledgments';
export { templatesInAssembly, evaluateAssembly } from './assembly';
export { DEFAULT_CACHE_DIR, NO_CACHE, directoryCache } from './cache';
export type { FindingsCache } from './cache';
export { evaluateTemplates } from './evaluate';
export type { Evaluation, EvaluationOptions, EvaluationStats, TemplateInput } from './evaluate';
export * from './findings';
export { GATE_CONTEXT_KEY, GATE_PLUGIN_NAME, applyComplianceGate } from './gate';
export type { ComplianceGateOptions } from './gate';
export { guardCatalog } from './guard-catalog';
export { MIN_REASON_LENGTH, reasonProblem } from './reasons';
export { readReport, writeReport } from './report';
export type { ComplianceReport } from './report';
export { DEFAULT_RULE_POLICY_FILE, loadRulePolicy, parseRulePolicy } from './rule-policy';
export type { RulePolicy } from './rule-policy';
export { failureMessage, openFindings, verdictOf } from './verdict';
export type { Verdict } from './verdict';
