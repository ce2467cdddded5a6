/**
 * Loads `teams/`: every file is read, validated and cross-checked before anything is built, and
 * every problem in every file is reported at once.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import type { z } from 'zod';
import { crossCheck } from './cross-checks';
import { resolvePlatform, resolveTeam } from './defaults';
import { Diagnostic, RegistryError } from './diagnostics';
import { didYouMean } from './did-you-mean';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, platformSchema, PlatformInput, teamSchema } from './schema';
import type { PlatformSettings, Registry, TeamSpec } from './types';
import { describeReceived, locate, readYamlFile, YamlSource } from './yaml-source';
import { issuesToDiagnostics } from './zod-issues';

/** A registry holds at most this many files; more is a mistake in the path given. */
export const MAX_REGISTRY_FILES = 2000;

export interface ValidationResult {
  /** Present when there were no errors (warnings allowed). */
  readonly registry?: Registry;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: number;
}

/** Loads and validates a registry; throws RegistryError listing every error. */
export function loadRegistry(directory: string): Registry {
  const result = validateRegistry(directory);
  if (!result.registry) throw new RegistryError(result.diagnostics);
  return result.registry;
}

export function validateRegistry(directory: string): ValidationResult {
  const display = (file: string) => relative(process.cwd(), file) || file;
  const listing = listRegistryFiles(directory);
  if ('error' in listing) return { diagnostics: [fileDiagnostic(display(directory), listing.error)], files: 0 };

  const diagnostics: Diagnostic[] = [];
  const platformFiles = listing.files.filter((f) => basename(f).startsWith('_'));
  const teamFiles = listing.files.filter((f) => !basename(f).startsWith('_'));

  const platform = loadPlatform(platformFiles, display, diagnostics);
  const sources = new Map<string, YamlSource>();
  const teams: TeamSpec[] = [];
  for (const file of teamFiles) {
    const team = loadTeam(file, display(file), platform, diagnostics, sources);
    if (team) teams.push(team);
  }
  if (!platform && platformFiles.length === 0) {
    diagnostics.push(fileDiagnostic(display(join(directory, '_platform.yaml')), 'no platform settings: add _platform.yaml with schemaVersion, organization and tooling (account, region)'));
  }
  diagnostics.push(...crossCheck(teams, (team, path) => locate(sources.get(team.sourceFile)!, path), platform));

  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const registry = !hasErrors && platform ? { directory, platform, teams: teams.sort((a, b) => a.id.localeCompare(b.id)) } : undefined;
  return { registry, diagnostics, files: listing.files.length };
}

function listRegistryFiles(directory: string): { files: string[] } | { error: string } {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    return { error: 'registry directory not found: pass --registry DIR (or -c registry=DIR) pointing at the folder of team YAML files' };
  }
  const files = readdirSync(directory)
    .filter((name) => ['.yaml', '.yml'].includes(extname(name)))
    .sort()
    .map((name) => join(directory, name))
    .filter((path) => statSync(path).isFile());
  if (files.length > MAX_REGISTRY_FILES) return { error: `${files.length} YAML files; a registry holds at most ${MAX_REGISTRY_FILES}` };
  return { files };
}

function fileDiagnostic(file: string, message: string): Diagnostic {
  return { file, line: 0, column: 0, field: '', message, severity: 'error' };
}

/** Reads a file and checks its schemaVersion; returns the source only when the schema can be applied. */
function readVersioned(file: string, displayName: string, diagnostics: Diagnostic[]): YamlSource | undefined {
  const read = readYamlFile(file, displayName);
  diagnostics.push(...read.diagnostics);
  if (!read.source) return undefined;
  const value = read.source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.push(fileDiagnostic(displayName, 'expected a YAML mapping of fields at the top level'));
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  const misspelt = fields.schemaVersion === undefined ? Object.keys(fields).find((k) => didYouMean(k, ['schemaVersion'])) : undefined;
  if (misspelt) {
    const at = locate(read.source, [], misspelt);
    diagnostics.push({ file: displayName, line: at.line, column: at.column, field: misspelt, message: `unknown key '${misspelt}'; did you mean 'schemaVersion'?`, severity: 'error' });
    return undefined;
  }
  const problem = schemaVersionProblem(fields.schemaVersion);
  if (problem) {
    const at = locate(read.source, ['schemaVersion']);
    diagnostics.push({ file: displayName, line: at.line, column: at.column, field: 'schemaVersion', message: problem, severity: 'error' });
    return undefined;
  }
  return read.source;
}

export function schemaVersionProblem(version: unknown): string | undefined {
  if (version === undefined) return `required field is missing: expected schemaVersion: ${CURRENT_SCHEMA_VERSION}`;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return `expected a whole number, received ${describeReceived(version)}; this springboard reads schemaVersion ${CURRENT_SCHEMA_VERSION}`;
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return `schemaVersion ${version} is newer than this springboard reads (${CURRENT_SCHEMA_VERSION}): upgrade springboard`;
  }
  if (version < CURRENT_SCHEMA_VERSION) {
    const steps = Object.entries(MIGRATIONS).filter(([v]) => Number(v) > version).map(([v, note]) => `to ${v}: ${note}`);
    return `schemaVersion ${version} is older than ${CURRENT_SCHEMA_VERSION}; migrate the file (${steps.join('; ')}), see docs/registry.md#migrations`;
  }
  return undefined;
}

function parseWith<S extends z.ZodType>(schema: S, source: YamlSource, diagnostics: Diagnostic[]): z.infer<S> | undefined {
  const parsed = schema.safeParse(source.value);
  if (parsed.success) return parsed.data;
  diagnostics.push(...issuesToDiagnostics(source, schema, parsed.error.issues));
  return undefined;
}

function loadPlatform(files: readonly string[], display: (f: string) => string, diagnostics: Diagnostic[]): PlatformSettings | undefined {
  const merged: Record<string, unknown> = {};
  const sources: YamlSource[] = [];
  for (const file of files) {
    const source = readVersioned(file, display(file), diagnostics);
    if (!source) continue;
    sources.push(source);
    for (const [key, value] of Object.entries(source.value as Record<string, unknown>)) {
      if (key in merged && key !== 'schemaVersion') {
        const at = locate(source, [key], undefined);
        diagnostics.push({ file: source.file, line: at.line, column: at.column, field: key, message: `platform setting '${key}' is also set in another _ file; set it once`, severity: 'error' });
      }
      merged[key] = value;
    }
  }
  if (sources.length === 0) return undefined;
  // Problems are reported against the file that holds the field (or the first file when missing).
  const holds = (source: YamlSource, key: PropertyKey) => (source.value as Record<string, unknown>)[String(key)] !== undefined;
  const owner = (path: readonly PropertyKey[]) => sources.find((s) => holds(s, path[0])) ?? sources[0];
  const parsed = platformSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const source = owner(issue.path);
      diagnostics.push(...issuesToDiagnostics({ ...source, value: merged }, platformSchema, [issue]));
    }
    return undefined;
  }
  return resolvePlatform(parsed.data as PlatformInput, sources.map((s) => s.file).join(', '));
}

function loadTeam(
  file: string,
  displayName: string,
  platform: PlatformSettings | undefined,
  diagnostics: Diagnostic[],
  sources: Map<string, YamlSource>,
): TeamSpec | undefined {
  const source = readVersioned(file, displayName, diagnostics);
  if (!source) return undefined;
  const input = parseWith(teamSchema, source, diagnostics);
  if (!input) return undefined;
  const expectedId = basename(file, extname(file));
  if (input.id !== expectedId) {
    const at = locate(source, ['id']);
    const message = `id '${input.id}' does not match the file name: expected '${expectedId}' (rename the file or the id)`;
    diagnostics.push({ file: displayName, line: at.line, column: at.column, field: 'id', message, severity: 'error' });
    return undefined;
  }
  if (!platform) return undefined;
  sources.set(displayName, source);
  return resolveTeam(input, platform, displayName);
}
