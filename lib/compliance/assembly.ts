/**
 * Finding the templates of an already-synthesized cloud assembly (nested stage assemblies and
 * nested stack templates included), so `springboard audit` evaluates exactly what the gate would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Evaluation, EvaluationOptions, TemplateInput, evaluateTemplates } from './evaluate';

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

/** A written template of an assembly: a stack's (with its artifact id, name and environment) or a nested stack's. */
export interface AssemblyTemplate {
  readonly templatePath: string;
  /** Undefined for a nested stack template. */
  readonly stack?: { readonly artifactId: string; readonly stackName?: string; readonly environment?: string };
}

/** Every written template of the assembly at `dir`: its stacks, its nested stack templates (by name), then its nested stage assemblies'. */
export function assemblyTemplates(dir: string): AssemblyTemplate[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: expected ${manifestFile} (run \`npx cdk synth\` first)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const stacks = artifacts
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([artifactId, a]) => ({
      templatePath: path.join(dir, a.properties!.templateFile!),
      stack: { artifactId, stackName: a.properties!.stackName, environment: a.environment },
    }));
  const nested = fs.readdirSync(dir).filter(f => f.endsWith('.nested.template.json')).sort()
    .map(f => ({ templatePath: path.join(dir, f) }));
  const inner = artifacts
    .filter(([, a]) => a.type === 'cdk:cloud-assembly' && a.properties?.directoryName)
    .flatMap(([, a]) => assemblyTemplates(path.join(dir, a.properties!.directoryName!)));
  return [...stacks, ...nested, ...inner];
}

/** Every stack template in the assembly at `dir`, with stack names from its manifest. */
export function templatesInAssembly(dir: string): TemplateInput[] {
  return assemblyTemplates(dir).map(t => (t.stack
    ? { templatePath: t.templatePath, stackName: t.stack.stackName }
    : { templatePath: t.templatePath }));
}

/** Evaluates a synthesized assembly with the gate's packs, policy semantics and acknowledgments. */
export function evaluateAssembly(dir: string, options: EvaluationOptions = {}): Evaluation {
  return evaluateTemplates(templatesInAssembly(dir), options);
}
