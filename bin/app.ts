/**
 * The CDK entry: `cdk synth [-c registry=DIR] [-c teams=a,b | -c scope=platform]`. Validates the
 * registry before any construct is built; invalid input prints its diagnostics and exits 1 without
 * a stack trace or a template; a defect keeps its stack trace (exit 70). The compliance gate is
 * applied to every synth.
 */
import { App } from 'aws-cdk-lib';
import { buildPlatform, BuildScope } from '../lib/app';
import { applyQuotaCheck } from '../lib/app/quota-check';
import { commaList } from '../lib/cli/flags';
import { applyComplianceGate } from '../lib/compliance';
import { createApp } from '../lib/construct-kit/springboard-app';
import { failureReport } from '../lib/contract';
import { loadRegistry } from '../lib/registry';

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  return String(value);
}

function main(): void {
  // Feature flags and the opt-in CloudFormation validation (CDK_VALIDATION=true) come with the factory.
  const app = createApp();
  const registry = loadRegistry(contextString(app, 'registry') ?? 'teams');
  const filter = contextString(app, 'teams');
  const scope = contextString(app, 'scope') as BuildScope | undefined;
  const built = buildPlatform(app, registry, { teams: filter === undefined ? undefined : commaList(filter), scope });
  if (built.note) process.stderr.write(`springboard: ${built.note}\n`);
  applyComplianceGate(app);
  applyQuotaCheck(app);
  app.synth();
}

try {
  main();
} catch (error) {
  // A user's mistake (an invalid registry, a filter naming an unknown team) is one message; a defect keeps its trace.
  const failure = failureReport(error, 'springboard');
  process.stderr.write(failure.text);
  process.exit(failure.exitCode);
}
