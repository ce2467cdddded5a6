/** The CDK bootstrap of the platform's accounts, for the CLI (lib/platform-pipeline/bootstrap.ts builds it from the registry). */
export { BOOTSTRAP_BASE_TEMPLATE, BOOTSTRAP_TEMPLATES, bootstrapCommands, customiseBootstrapTemplate } from '../platform-pipeline/bootstrap';
export type { BootstrapCommand } from '../platform-pipeline/bootstrap';
