/** Turns schema issues into diagnostics that say where, what was received and what was expected. */
import type { z } from 'zod';
import type { Diagnostic } from './diagnostics';
import { didYouMean, suggestion } from './did-you-mean';
import { describeReceived, locate, valueAt, YamlSource } from './yaml-source';

export function issuesToDiagnostics(source: YamlSource, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Diagnostic[] {
  const misspelt = misspeltFields(source, schema, issues);
  // A misspelt key also leaves the real field missing (and cross-field rules unmet):
  // report the misspelling alone, once.
  const relevant = issues.filter(
    (issue) => !(misspelt.size > 0 && issue.code === 'custom') && !(valueAt(source.value, issue.path) === undefined && misspelt.has(issue.path.map(String).join('.'))),
  );
  return relevant.flatMap((issue) => issueToDiagnostics(source, schema, issue));
}

/** Dotted paths of the fields that an unknown key most likely meant. */
function misspeltFields(source: YamlSource, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Set<string> {
  const fields = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = Object.keys(objectShapeAt(schema, issue.path) ?? {});
    for (const key of issue.keys) {
      const meant = didYouMean(key, known);
      if (meant && valueAt(source.value, [...issue.path, meant]) === undefined) fields.add([...issue.path, meant].map(String).join('.'));
    }
  }
  return fields;
}

function issueToDiagnostics(source: YamlSource, schema: z.ZodType, issue: z.core.$ZodIssue): Diagnostic[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(objectShapeAt(schema, path) ?? {});
    return issue.keys.map((key) => {
      const at = locate(source, path, key);
      const expected = known.length > 0 ? `; expected one of ${known.join(', ')}` : '';
      return diagnostic(source, at, [...path, key], `unknown key '${key}'${suggestion(key, known) || expected}`);
    });
  }
  if (issue.code === 'invalid_key') {
    // The key itself is wrong (a record's key schema): say what a key must be, and show the key.
    const expected = issue.issues.map((inner) => inner.message).filter(Boolean).join('; ') || 'a valid key';
    return [diagnostic(source, locate(source, path), path, `expected ${expected}, received key ${JSON.stringify(String(path[path.length - 1]))}`)];
  }
  const received = valueAt(source.value, path);
  const at = locate(source, path);
  const expected = expectedText(issue, received);
  const missing = received === undefined && !expected.startsWith('required') ? 'required field is missing: ' : '';
  return [diagnostic(source, at, path, `${missing}${expected}, received ${describeReceived(received)}${hint(issue, received)}`)];
}

function diagnostic(source: YamlSource, at: { line: number; column: number }, path: readonly PropertyKey[], message: string): Diagnostic {
  return { file: source.file, line: at.line, column: at.column, field: path.map(String).join('.'), message, severity: 'error' };
}

function expectedText(issue: z.core.$ZodIssue, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return received === undefined ? 'required field is missing: expected ' + article(issue.expected) : `expected ${article(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `expected ${JSON.stringify(issue.values[0])}` : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'expected ' + unionValues(issue).join(' or ');
    case 'too_small':
      return `expected ${issue.origin === 'string' ? `at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}` : `at least ${issue.minimum}${issue.origin === 'array' ? ' items' : ''}`}`;
    case 'too_big':
      return `expected ${issue.origin === 'string' ? `at most ${issue.maximum} characters` : `at most ${issue.maximum}${issue.origin === 'array' ? ' items' : ''}`}`;
    case 'invalid_key':
      return 'expected a valid key';
    default:
      return `expected ${issue.message}`;
  }
}

function unionValues(issue: z.core.$ZodIssueInvalidUnion): string[] {
  const values = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values.map((v) => JSON.stringify(v)) : [e.code === 'invalid_type' ? e.expected : '']));
  return [...new Set(values.filter(Boolean))];
}

function hint(issue: z.core.$ZodIssue, received: unknown): string {
  if (issue.code === 'invalid_value' && typeof received === 'string') {
    return suggestion(received, issue.values.map(String));
  }
  if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof received === 'number') {
    return '; put it in quotes (YAML reads unquoted digits as a number and drops leading zeros)';
  }
  return '';
}

function article(expectedType: string): string {
  const words: Record<string, string> = { object: 'mapping', array: 'list', int: 'whole number' };
  const expected = words[expectedType] ?? expectedType;
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** The shape of the object schema found at a path, unwrapping optionals, defaults and records. */
function objectShapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let current: any = schema;
  for (const segment of [...path, undefined]) {
    current = unwrap(current);
    if (segment === undefined) break;
    const def = current?._zod?.def;
    if (def?.type === 'object') current = def.shape[segment as string];
    else if (def?.type === 'record') current = def.valueType;
    else if (def?.type === 'array') current = def.element;
    else return undefined;
  }
  return current?._zod?.def?.type === 'object' ? current._zod.def.shape : undefined;
}

function unwrap(schema: any): any {
  let current = schema;
  while (current?._zod?.def && ['optional', 'default', 'prefault', 'nullable', 'pipe', 'readonly'].includes(current._zod.def.type)) {
    const def = current._zod.def;
    current = def.type === 'pipe' ? def.in : def.innerType;
  }
  return current;
}
