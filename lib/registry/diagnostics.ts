/** Problems found in the registry, reported like a compiler: `file:line:column: error: ...`. */
import { InvalidInputError } from '../contract/command';

export interface Diagnostic {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  readonly line: number;
  readonly column: number;
  /** Dotted field path, like `environments.prod.account`; empty for the whole file. */
  readonly field: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const field = d.field ? ` ${d.field}:` : '';
  return `${where}: ${d.severity}:${field} ${d.message}`;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const lines = sortDiagnostics(diagnostics).map(formatDiagnostic);
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n');
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** Thrown by `loadRegistry` when any error was found; `message` is the formatted list (exit 1). */
export class RegistryError extends InvalidInputError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(formatDiagnostics(diagnostics));
  }
}
