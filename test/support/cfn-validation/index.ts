/** AWS's CloudFormation template validation (shipped with aws-cdk-lib) over written templates, judged against the reviewed warnings. */
export { DEFAULT_ACCEPTED_WARNINGS_FILE, globMatches, loadAcceptedWarnings, parseAcceptedWarnings } from './accepted';
export type { AcceptedWarning } from './accepted';
export { judgeFindings, judgementProblems } from './judge';
export type { AcceptedFinding, ValidationJudgement } from './judge';
export { formatFinding, validateTemplates, validationEngineVersion } from './run';
export type { ValidationFinding, ValidationSeverity } from './run';
export { stackTemplatesOf } from './templates';
export type { StackTemplate } from './templates';
