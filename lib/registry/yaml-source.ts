/**
 * Reads one registry file defensively (size, binary content, alias bombs, several documents) and
 * keeps its syntax tree so that every problem can be reported at its line and column.
 */
import { readFileSync, statSync } from 'node:fs';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import type { Diagnostic } from './diagnostics';

/** Registry files are short; anything larger is a mistake (or an attack), refused before parsing. */
export const MAX_FILE_BYTES = 256 * 1024;
/** Aliases expand on conversion; a bounded count stops a "billion laughs" file in constant memory. */
export const MAX_ALIAS_COUNT = 50;

export interface YamlSource {
  readonly file: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain value, or undefined when the file could not be read. */
  readonly value: unknown;
}

export interface ReadResult {
  /** Present when the file was read and parsed. */
  readonly source?: YamlSource;
  readonly diagnostics: Diagnostic[];
}

export function readYamlFile(file: string, displayName = file): ReadResult {
  const fileError = (message: string): ReadResult => ({ diagnostics: [{ file: displayName, line: 0, column: 0, field: '', message, severity: 'error' }] });
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) return fileError(`file is ${size} bytes; registry files are at most ${MAX_FILE_BYTES} bytes`);
  const bytes = readFileSync(file);
  const text = decodeText(bytes);
  if (text === undefined) return fileError('file is binary or not UTF-8 text; a registry file is YAML text');
  return parseYaml(text, displayName);
}

function decodeText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function parseYaml(text: string, file: string): ReadResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  const fileError = (message: string): ReadResult => ({ diagnostics: [{ file, line: 0, column: 0, field: '', message, severity: 'error' }] });
  if (documents.length === 0) return fileError('file is empty; a registry file holds one YAML mapping');
  if (documents.length > 1) return fileError(`file holds ${documents.length} YAML documents; a registry file holds one`);
  const document = documents[0];
  const diagnostics: Diagnostic[] = document.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return { file, line, column: col, field: '', message: `YAML syntax: ${firstLine(e.message)}`, severity: 'error' as const };
  });
  if (diagnostics.length > 0) return { diagnostics };
  try {
    const value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { source: { file, document, lineCounter, value }, diagnostics: [] };
  } catch (e) {
    return fileError(`refused: ${firstLine((e as Error).message)} (at most ${MAX_ALIAS_COUNT} alias expansions)`);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

export interface Location {
  readonly line: number;
  readonly column: number;
  /** The node at the path, when it exists. */
  readonly node?: Node;
}

/**
 * Line and column of a field. With `key`, the position of the key itself (for unknown keys);
 * a missing field is reported at its nearest existing parent.
 */
export function locate(source: YamlSource, path: readonly PropertyKey[], key?: string): Location {
  let node: unknown = source.document.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  const segments = key === undefined ? path : [...path, key];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const isKeyWanted = key !== undefined && i === segments.length - 1;
      const target = isKeyWanted ? pair.key : (pair.value ?? pair.key);
      offset = (target as Node).range?.[0] ?? offset;
      node = isKeyWanted ? undefined : pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      node = undefined;
      break;
    }
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col, node: node as Node | undefined };
}

/** A short description of what a file holds at a path, for "received ..." in messages. */
export function describeReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 60 ? shown.slice(0, 57) + '..."' : shown}`;
}

export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
