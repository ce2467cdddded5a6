/**
 * The reviewed list of CloudFormation validation warnings Springboard accepts, each with its reason
 * (`compliance/validation-accepted.yaml`). Errors are never accepted: an entry only ever waives
 * warnings. Loading fails, with file and line, on an entry that is incomplete or unjustified.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isNode, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { reasonProblem } from '../../../lib/compliance';

/** The reviewed file shipped with Springboard. */
export const DEFAULT_ACCEPTED_WARNINGS_FILE = path.join(__dirname, '..', '..', '..', 'compliance', 'validation-accepted.yaml');

/** A rule id of the validation engine: a letter and four digits, like W3005. */
const RULE_ID_PATTERN = /^[A-Z]\d{4}$/;
/** Stack names, logical ids and property paths, with `*` for any run of characters. */
const GLOB_PATTERN = /^[A-Za-z0-9*._:/-]+$/;

export interface AcceptedWarning {
  readonly rule: string;
  /** Stack names it covers (glob, `*` matches any run), like `springboard-env-*`. */
  readonly stacks: string;
  /** Logical ids it covers (glob); every resource of those stacks when absent. */
  readonly logicalId?: string;
  /** Property path it covers (glob), like `Properties.Tags*`; any when absent. */
  readonly location?: string;
  readonly reason: string;
  /** `file:line` of the entry, for messages. */
  readonly source: string;
}

/** Reads and validates the file; throws with every problem, one per line. */
export function loadAcceptedWarnings(file: string = DEFAULT_ACCEPTED_WARNINGS_FILE): AcceptedWarning[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the accepted validation warnings ${file}: ${(e as Error).message}`);
  }
  return parseAcceptedWarnings(text, path.relative(process.cwd(), file) || file);
}

/** Validates the YAML text (a top-level `accepted` list, possibly empty). */
export function parseAcceptedWarnings(text: string, source: string): AcceptedWarning[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const [error] = doc.errors;
    throw new Error(`${source}:${error.linePos?.[0].line ?? 1}: not valid YAML: ${error.message}`);
  }
  const list = isMap(doc.contents) ? doc.contents.get('accepted', true) : undefined;
  if (!isSeq(list)) {
    throw new Error(`${source}:1: expected a top-level \`accepted:\` list of warnings (write \`accepted: []\` when nothing is accepted)`);
  }
  const problems: string[] = [];
  const entries = list.items.flatMap((item, index) => {
    const line = isNode(item) && item.range ? lineCounter.linePos(item.range[0]).line : 1;
    const where = `${source}:${line}: accepted[${index}]`;
    if (!isMap(item)) {
      problems.push(`${where}: expected an entry with rule, stacks and reason`);
      return [];
    }
    const entry = validateEntry(item, where, problems);
    return entry ? [{ ...entry, source: `${source}:${line}` }] : [];
  });
  if (problems.length > 0) throw new Error(`invalid accepted validation warnings:\n  ${problems.join('\n  ')}`);
  return entries;
}

const KNOWN_KEYS = ['rule', 'stacks', 'logicalId', 'location', 'reason'];

function validateEntry(item: YAMLMap, where: string, problems: string[]): Omit<AcceptedWarning, 'source'> | undefined {
  const e = item.toJSON() as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(e).filter(k => !KNOWN_KEYS.includes(k))) {
    problems.push(`${where}: ${key}: not a field; expected ${KNOWN_KEYS.join(', ')}`);
  }
  if (typeof e.rule !== 'string' || !RULE_ID_PATTERN.test(e.rule)) {
    problems.push(`${where}: rule: expected a validation rule id such as W3005, received ${JSON.stringify(e.rule)}`);
  }
  for (const key of ['stacks', 'logicalId', 'location'] as const) {
    const value = e[key];
    if ((key === 'stacks' || value !== undefined) && (typeof value !== 'string' || !GLOB_PATTERN.test(value))) {
      problems.push(`${where}: ${key}: expected a name or a pattern with *, like springboard-env-*, received ${JSON.stringify(value)}`);
    }
  }
  const reason = reasonProblem(e.reason);
  if (reason) problems.push(`${where}: reason: ${reason}`);
  if (problems.length > before) return undefined;
  return {
    rule: e.rule as string,
    stacks: e.stacks as string,
    logicalId: e.logicalId as string | undefined,
    location: e.location as string | undefined,
    reason: (e.reason as string).trim(),
  };
}

/** A glob with `*` as its only wildcard, matched against the whole text. */
export function globMatches(glob: string, text: string): boolean {
  const pattern = glob.split('*').map(part => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(text);
}
