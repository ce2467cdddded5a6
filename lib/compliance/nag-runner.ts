/**
 * cdk-nag on a synthesized template: the template is loaded with CfnInclude into a fresh App and
 * the packs walk that tree. The gate and the audit both evaluate templates this way, so they judge
 * what is deployed, identically, and the result can be cached by template content.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { RawFinding, RulePack } from './findings';
import { createApp } from '../construct-kit/springboard-app';

/** The cdk-nag packs the gate runs, in report order. */
const PACKS: ReadonlyArray<{ pack: RulePack; create: () => NagPack }> = [
  { pack: 'NIST.800.53.R5', create: () => new NIST80053R5Checks() },
  { pack: 'AwsSolutions', create: () => new AwsSolutionsChecks() },
];

/** Every cdk-nag finding on one template file, by logical id. Acknowledgments are not applied here. */
export function runNagPacks(templatePath: string, logicalIdsInTemplate: readonly string[]): RawFinding[] {
  // autoSynth off: under `cdk synth` an App would otherwise write itself into the real assembly at exit.
  const stack = new Stack(createApp({ autoSynth: false }), 'Evaluated');
  const included = new CfnInclude(stack, 'Template', { templateFile: templatePath, allowCyclicalReferences: true });
  const logicalIds = new Map(logicalIdsInTemplate.map(id => [included.getResource(id).node.path, id]));
  return PACKS.flatMap(({ pack, create }) => create().validateScope(stack).violations.flatMap(violation =>
    violation.violatingResources.map((resource): RawFinding => ({
      ruleId: violation.ruleName,
      pack,
      logicalId: logicalIds.get(resource.constructPath ?? '') ?? resource.constructPath ?? 'unknown',
      description: violation.description,
      level: violation.severity === 'warning' ? 'warning' : 'error',
    })),
  ));
}
