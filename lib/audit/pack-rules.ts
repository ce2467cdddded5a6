/**
 * The rules each pack evaluates, so the report can say "evaluated, passed, failed" and not only
 * list failures. cdk-nag applies every rule of a pack to every resource (rules that do not apply
 * answer "not applicable"), so offering one resource to a pack whose applyRule only records the
 * call lists all of its rules with their descriptions. Control Tower rules come from the
 * validator's catalog, limited to the resource types the templates hold.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import type { RulePack } from '../compliance/findings';
import { guardCatalog } from '../compliance/guard-catalog';
import { createApp } from '../construct-kit/springboard-app';

export interface PackRule {
  readonly id: string;
  readonly pack: RulePack;
  readonly description: string;
}

interface RecordedRule { readonly ruleSuffixOverride?: string; readonly info: string; readonly rule: { name: string } }

function recordRules(pack: NagPack, packId: RulePack): PackRule[] {
  const rules = new Map<string, PackRule>();
  const recorder = pack as unknown as { applyRule: (p: RecordedRule) => void; checkResource: (n: CfnResource) => void };
  recorder.applyRule = (p: RecordedRule) => {
    const id = `${pack.readPackName}-${p.ruleSuffixOverride ?? p.rule.name}`;
    rules.set(id, { id, pack: packId, description: p.info });
  };
  recorder.checkResource(new CfnResource(new Stack(createApp(), 'Probe'), 'Probe', { type: 'AWS::S3::Bucket' }));
  return [...rules.values()].sort((a, b) => a.id.localeCompare(b.id));
}

let nagRules: PackRule[] | undefined;

/** Every rule of the cdk-nag packs the gate runs. */
export function nagPackRules(): readonly PackRule[] {
  nagRules ??= [
    ...recordRules(new NIST80053R5Checks(), 'NIST.800.53.R5'),
    ...recordRules(new AwsSolutionsChecks(), 'AwsSolutions'),
  ];
  return nagRules;
}

/** Control Tower rules that apply to templates holding these resource types. */
export function controlTowerRulesFor(resourceTypes: ReadonlySet<string>): PackRule[] {
  const files = new Set(guardCatalog().ruleFilesFor(resourceTypes));
  return guardCatalog().rules
    .filter(r => files.has(r.file))
    .map(r => ({ id: r.controlId, pack: 'ControlTower' as const, description: r.title }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
