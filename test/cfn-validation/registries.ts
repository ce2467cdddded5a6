/**
 * The four registries whose written templates AWS's CloudFormation validation must pass: the
 * example, the GovCloud variant, ten generated teams and the fixture that sets every optional field.
 * Each is synthesized once, to disk, the way `cdk synth` writes it (the compliance gate is left out:
 * it only reads the templates).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { buildPlatform } from '../../lib/app';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';
import type { Registry } from '../../lib/registry/types';
import { stackTemplatesOf, type StackTemplate } from '../support/cfn-validation';
import { EXAMPLE_REGISTRY } from '../support/registry-files';
import { govCloudRegistry } from '../support/registry-fixtures';

export const EVERY_OPTION_REGISTRY = path.join(__dirname, '..', 'fixtures', 'every-option-registry');
export const GENERATED_TEAMS = 10;

export type RegistryName = 'example' | 'govcloud' | 'generated-10' | 'every-option';

const REGISTRIES: Record<RegistryName, () => Registry> = {
  'example': () => loadRegistry(EXAMPLE_REGISTRY),
  'govcloud': govCloudRegistry,
  'generated-10': () => {
    const dir = temporaryFolder('springboard-cfn-validation-registry-');
    writeGeneratedRegistry(dir, GENERATED_TEAMS);
    return loadRegistry(dir);
  },
  'every-option': () => loadRegistry(EVERY_OPTION_REGISTRY),
};

export const REGISTRY_NAMES = Object.keys(REGISTRIES) as RegistryName[];

/** Folders this module wrote (assemblies, the generated registry), for `removeWrittenFolders`. */
const written: string[] = [];

/** A fresh temporary folder, removed by `removeWrittenFolders`. */
export function temporaryFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  written.push(dir);
  return dir;
}

export function removeWrittenFolders(): void {
  for (const dir of written.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Synthesizes the named registry to a fresh assembly directory and returns its written templates. */
export function synthesizedTemplates(name: RegistryName): StackTemplate[] {
  const outdir = temporaryFolder(`springboard-cfn-validation-${name}-`);
  const app = createApp({ outdir, builtinCloudFormationValidation: false });
  buildPlatform(app, REGISTRIES[name]());
  app.synth();
  return stackTemplatesOf(outdir);
}
