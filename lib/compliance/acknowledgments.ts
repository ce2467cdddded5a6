/**
 * Acknowledging a finding on one construct. One helper for every pack: it demands a specific
 * reason, tells the libraries (cdk-nag and the CDK validation framework honour
 * `Validations.acknowledge`), and writes the acknowledgment into the CloudFormation metadata of
 * every resource it covers, where the gate and the audit read it from the template.
 */
import { Aspects, CfnResource, IAspect, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AcknowledgmentRecord, WAIVABLE_PACKS, packOfRuleId } from './findings';
import { guardCatalog } from './guard-catalog';
import { reasonProblem } from './reasons';
import { ACKNOWLEDGMENT_METADATA_KEY } from '../contract/naming';

/** Namespace the CDK validation framework gives the cfn-guard validator's rules. */
const CFN_GUARD_NAMESPACE = 'cdk-validator-cfnguard';

const recorded = new WeakMap<IConstruct, AcknowledgmentRecord[]>();
const withRecorder = new WeakSet<IConstruct>();

/**
 * Acknowledges `ruleId` on `scope` and everything below it.
 *
 * @param ruleId a cdk-nag id (`AwsSolutions-S1`, `NIST.800.53.R5-IAMNoInlinePolicy`, or a granular
 *   `AwsSolutions-IAM5[Action::s3:*]`) or a Control Tower control (`CT.S3.PR.1`, also `ct-s3-pr-1`)
 * @param reason why the rule does not apply to this construct and what compensates (at least 20 characters)
 */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  const where = `acknowledge(${scope.node.path || '<app>'}, ${JSON.stringify(ruleId)})`;
  const problem = reasonProblem(reason);
  if (problem) throw new Error(`${where}: reason: ${problem}`);
  const canonical = canonicalRuleId(ruleId, where);
  const records = recorded.get(scope) ?? [];
  const record = { ruleId: canonical, reason: reason.trim(), acknowledgedAt: scope.node.path };
  recorded.set(scope, [...records.filter(r => r.ruleId !== canonical), record]);
  Validations.of(scope).acknowledge({ id: libraryRuleId(canonical), reason: reason.trim() });
  if (!withRecorder.has(scope)) {
    withRecorder.add(scope);
    Aspects.of(scope).add(new AcknowledgmentRecorder());
  }
}

/** The id Springboard stores: cdk-nag ids as they are, Control Tower rules by control id. */
function canonicalRuleId(ruleId: string, where: string): string {
  const trimmed = (ruleId ?? '').trim();
  const fromFileName = /^ct-([a-z0-9]+)-pr-(\d+)$/i.exec(trimmed);
  const candidate = fromFileName ? `CT.${fromFileName[1].toUpperCase()}.PR.${fromFileName[2]}` : trimmed;
  const guardRule = guardCatalog().byControlId(candidate) ?? guardCatalog().byRuleName(candidate);
  if (guardRule) return guardRule.controlId;
  const pack = packOfRuleId(candidate);
  if (pack === 'ControlTower') throw new Error(`${where}: no Control Tower control ${candidate} is packaged with the cfn-guard validator`);
  if (!pack || !WAIVABLE_PACKS.includes(pack) || !/^[A-Za-z0-9.]+-[A-Za-z0-9]+(\[.+\])?$/.test(candidate)) {
    throw new Error(`${where}: expected a rule id of ${WAIVABLE_PACKS.join(', ')} such as AwsSolutions-S1 or CT.S3.PR.1, received ${JSON.stringify(ruleId)}`);
  }
  return candidate;
}

/** The id under which the owning library looks the acknowledgment up. */
function libraryRuleId(canonical: string): string {
  const guardRule = guardCatalog().byControlId(canonical);
  return guardRule ? `${CFN_GUARD_NAMESPACE}::${guardRule.ruleName}` : canonical;
}

/** Acknowledgments that cover a construct: its own and its ancestors', nearest last. */
function acknowledgmentsCovering(node: IConstruct): AcknowledgmentRecord[] {
  const byRule = new Map<string, AcknowledgmentRecord>();
  for (const scope of node.node.scopes) {
    for (const record of recorded.get(scope) ?? []) byRule.set(record.ruleId, record);
  }
  return [...byRule.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

/** Writes the covering acknowledgments into each CloudFormation resource's metadata at synth. */
class AcknowledgmentRecorder implements IAspect {
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const records = acknowledgmentsCovering(node);
    if (records.length > 0) node.addMetadata(ACKNOWLEDGMENT_METADATA_KEY, records);
  }
}

/** Acknowledgments recorded in one template resource's metadata; entries without a valid reason do not count. */
export function acknowledgmentsInResource(resource: unknown): AcknowledgmentRecord[] {
  const metadata = (resource as { Metadata?: Record<string, unknown> } | null)?.Metadata;
  const entries = metadata?.[ACKNOWLEDGMENT_METADATA_KEY];
  if (!Array.isArray(entries)) return [];
  return entries.filter((e): e is AcknowledgmentRecord => {
    const r = e as Partial<AcknowledgmentRecord> | null;
    return typeof r?.ruleId === 'string' && typeof r.acknowledgedAt === 'string' && reasonProblem(r.reason) === undefined;
  });
}
