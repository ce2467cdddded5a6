/**
 * The CDK entry: `cdk synth [-c registry=DIR] [-c teams=a,b | -c scope=platform]`. Validates the
 * registry before any construct is built; invalid input prints its diagnostics and exits 1 without a stack trace or a
 * template. The compliance gate is applied to every synth.
 */
import { App } from 'aws-cdk-lib';
import { buildPlatform, BuildScope } from '../lib/app';
import { applyQuotaCheck } from '../lib/app/quota-check';
import { applyComplianceGate } from '../lib/compliance';
import { createApp } from '../lib/construct-kit/springboard-app';
import { InputError, loadRegistry, Registry, RegistryError } from '../lib/registry';

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  return String(value);
}

function load(directory: string): Registry {
  try {
    return loadRegistry(directory);
  } catch (e) {
    if (e instanceof RegistryError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

function main(): void {
  // Feature flags and the opt-in CloudFormation validation (CDK_VALIDATION=true) come with the factory.
  const app = createApp();
  const registry = load(contextString(app, 'registry') ?? 'teams');
  const teams = contextString(app, 'teams')?.split(',').map(t => t.trim()).filter(t => t.length > 0);
  const scope = contextString(app, 'scope') as BuildScope | undefined;
  let built;
  try {
    built = buildPlatform(app, registry, { teams, scope });
  } catch (e) {
    // A mistake in the request (a filter naming an unknown team, an unknown scope) is the user's to fix: no stack trace.
    // Anything else is a defect in Springboard and keeps its stack trace.
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`springboard: ${e.message}\n`);
    process.exit(1);
  }
  if (built.note) process.stderr.write(`springboard: ${built.note}\n`);
  applyComplianceGate(app);
  applyQuotaCheck(app);
  app.synth();
}

main();
