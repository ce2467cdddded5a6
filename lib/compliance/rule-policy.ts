/**
 * The rule policy: the one reviewed file of rules disabled platform-wide. Everything else a pack
 * reports is fixed or acknowledged on its construct. Loading fails on any entry without a real
 * reason, a NIST control, or a pack that owns its id, so an unjustified exemption never ships.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DisabledRule, RulePack, WAIVABLE_PACKS, packOfRuleId } from './findings';
import { reasonProblem } from './reasons';

/** The reviewed policy file shipped with Springboard. */
export const DEFAULT_RULE_POLICY_FILE = path.join(__dirname, '..', '..', 'compliance', 'rule-policy.yaml');

/** A NIST 800-53 rev 5 control or enhancement: `SC-28`, `AC-6(9)`. */
const NIST_CONTROL_PATTERN = /^[A-Z]{2}-\d+(\(\d+\))?$/;

export interface RulePolicy {
  /** Where the policy was read from (for messages and the report). */
  readonly source: string;
  readonly disabledRules: readonly DisabledRule[];
}

/** Reads and validates a policy file; throws with every problem found, one per line. */
export function loadRulePolicy(file: string = DEFAULT_RULE_POLICY_FILE): RulePolicy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the rule policy ${file}: ${(e as Error).message}`);
  }
  return parseRulePolicy(text, file);
}

/** Validates policy text (YAML with a top-level `disabledRules` list). */
export function parseRulePolicy(text: string, source: string): RulePolicy {
  const doc = YAML.parse(text) as unknown;
  const entries = (doc as { disabledRules?: unknown } | null)?.disabledRules ?? [];
  if (!Array.isArray(entries)) {
    throw new Error(`${source}: disabledRules: expected a list of rules, received ${typeof entries}`);
  }
  const problems: string[] = [];
  const rules = entries.flatMap((entry, index) => {
    const rule = validateEntry(entry, `${source}: disabledRules[${index}]`, problems);
    return rule ? [rule] : [];
  });
  findDuplicates(rules).forEach(id => problems.push(`${source}: rule ${id} is listed more than once; keep one entry`));
  if (problems.length > 0) throw new Error(`invalid rule policy:\n  ${problems.join('\n  ')}`);
  return { source, disabledRules: rules };
}

/** Validates one entry; pushes problems and returns the rule only when it is complete. */
function validateEntry(entry: unknown, where: string, problems: string[]): DisabledRule | undefined {
  const e = (entry ?? {}) as Record<string, unknown>;
  const before = problems.length;
  const id = typeof e.id === 'string' ? e.id.trim() : '';
  const label = `${where}${id ? ` (${id})` : ''}`;
  if (!id) problems.push(`${label}: id: expected a rule id such as AwsSolutions-S1 or CT.S3.PR.1, received ${JSON.stringify(e.id)}`);
  const owner = packOfRuleId(id);
  if (id && (!owner || !WAIVABLE_PACKS.includes(owner))) {
    problems.push(`${label}: id: no waivable pack owns "${id}"; expected a prefix of ${WAIVABLE_PACKS.join(', ')}`);
  }
  if (e.pack !== owner) problems.push(`${label}: pack: expected ${owner ?? 'the pack that owns the id'}, received ${JSON.stringify(e.pack)}`);
  const reason = reasonProblem(e.reason);
  if (reason) problems.push(`${label}: reason: ${reason}`);
  if (typeof e.control !== 'string' || !NIST_CONTROL_PATTERN.test(e.control)) {
    problems.push(`${label}: control: expected a NIST 800-53 rev 5 control such as SC-28 or AC-6(9), received ${JSON.stringify(e.control)}`);
  }
  if (problems.length > before) return undefined;
  return { id, pack: owner as RulePack, reason: (e.reason as string).trim(), control: e.control as string };
}

function findDuplicates(rules: readonly DisabledRule[]): string[] {
  const seen = new Set<string>();
  return rules.map(r => r.id).filter(id => seen.has(id) || !seen.add(id));
}
