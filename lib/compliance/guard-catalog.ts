/**
 * The Control Tower proactive controls packaged with @cdklabs/cdk-validator-cfnguard, indexed from
 * the package's own rule metadata: which resource types each rule evaluates, its control id and
 * its NIST mapping. The index lets the runner pass cfn-guard only the rules that can apply.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Root of the installed validator package (its binary, rules and version). */
export const CFN_GUARD_PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const RULES_DIR = path.join(CFN_GUARD_PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');
const METADATA_DIR = path.join(CFN_GUARD_PACKAGE_DIR, 'rules', 'control-tower', 'metadata');

export interface GuardRule {
  /** Control Tower id, Springboard's rule id for this rule: `CT.S3.PR.1`. */
  readonly controlId: string;
  /** Rule name inside the guard file, as the validator reports it. */
  readonly ruleName: string;
  readonly file: string;
  /** Resource types the rule evaluates; empty means "always run it" (never skip what we cannot classify). */
  readonly resourceTypes: readonly string[];
  readonly title: string;
  readonly nistControls: readonly string[];
}

export interface GuardCatalog {
  readonly rules: readonly GuardRule[];
  byRuleName(ruleName: string): GuardRule | undefined;
  byControlId(controlId: string): GuardRule | undefined;
  /** Rule files that can apply to a template holding these resource types, sorted. */
  ruleFilesFor(resourceTypes: ReadonlySet<string>): string[];
}

let catalog: GuardCatalog | undefined;

/** The catalog, read once per process. */
export function guardCatalog(): GuardCatalog {
  catalog ??= buildCatalog(listGuardFiles(RULES_DIR).map(readRule));
  return catalog;
}

function listGuardFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listGuardFiles(full);
    return entry.name.endsWith('.guard') ? [full] : [];
  }).sort();
}

function readRule(file: string): GuardRule {
  const text = fs.readFileSync(file, 'utf8');
  const ruleName = /^rule\s+([A-Za-z0-9_]+)\s+when\s/m.exec(text)?.[1] ?? path.basename(file, '.guard');
  const metadataFile = path.join(METADATA_DIR, path.relative(RULES_DIR, file)).replace(/\.guard$/, '.metadata.json');
  const metadata = readMetadata(metadataFile);
  const controlId = metadata.Id ?? path.basename(file, '.guard').replace(/^ct-/, 'CT-').toUpperCase().replace(/-/g, '.');
  const nist = metadata.ComplianceFrameworkMappings?.find(m => m.ComplianceFramework === 'NIST 800-53 Rev 5');
  return {
    controlId,
    ruleName,
    file,
    resourceTypes: metadata.EvaluatedResourceTypes ?? [],
    title: metadata.DisplayName ?? ruleName,
    nistControls: nist?.Ids ?? [],
  };
}

interface RuleMetadata {
  readonly Id?: string;
  readonly DisplayName?: string;
  readonly EvaluatedResourceTypes?: string[];
  readonly ComplianceFrameworkMappings?: Array<{ ComplianceFramework: string; Ids: string[] }>;
}

function readMetadata(file: string): RuleMetadata {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RuleMetadata;
  } catch {
    return {};
  }
}

function buildCatalog(rules: GuardRule[]): GuardCatalog {
  const byName = new Map(rules.map(r => [r.ruleName, r]));
  const byId = new Map(rules.map(r => [r.controlId, r]));
  return {
    rules,
    byRuleName: name => byName.get(name),
    byControlId: id => byId.get(id),
    ruleFilesFor: types => rules
      .filter(r => r.resourceTypes.length === 0 || r.resourceTypes.some(t => types.has(t)))
      .map(r => r.file),
  };
}
