/**
 * Finding the templates of an already-synthesized cloud assembly (nested stage assemblies and
 * nested stack templates included), so `springboard audit` evaluates exactly what the gate would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Evaluation, EvaluationOptions, TemplateInput, evaluateTemplates } from './evaluate';

interface ManifestArtifact {
  readonly type: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

/** Every stack template in the assembly at `dir`, with stack names from its manifest. */
export function templatesInAssembly(dir: string): TemplateInput[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: expected ${manifestFile} (run \`npx cdk synth\` first)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = Object.values(manifest.artifacts ?? {});
  const stacks = artifacts
    .filter(a => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(a => ({ templatePath: path.join(dir, a.properties!.templateFile!), stackName: a.properties!.stackName }));
  const nested = fs.readdirSync(dir).filter(f => f.endsWith('.nested.template.json')).sort()
    .map(f => ({ templatePath: path.join(dir, f) }));
  const inner = artifacts
    .filter(a => a.type === 'cdk:cloud-assembly' && a.properties?.directoryName)
    .flatMap(a => templatesInAssembly(path.join(dir, a.properties!.directoryName!)));
  return [...stacks, ...nested, ...inner];
}

/** Evaluates a synthesized assembly with the gate's packs, policy semantics and acknowledgments. */
export function evaluateAssembly(dir: string, options: EvaluationOptions = {}): Evaluation {
  return evaluateTemplates(templatesInAssembly(dir), options);
}
