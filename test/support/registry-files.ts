/** Temporary registry folders built from the example, for tests that exercise the YAML path. */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXAMPLE_REGISTRY = join(__dirname, '..', '..', 'teams');
export const EXAMPLE_TEAM_FILE = 'benefits-screener.yaml';

export function exampleTeamYaml(): string {
  return readFileSync(join(EXAMPLE_REGISTRY, EXAMPLE_TEAM_FILE), 'utf8');
}

/** A copy of the example registry with files replaced or added. */
export function registryWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'springboard-registry-'));
  cpSync(EXAMPLE_REGISTRY, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The example team file with one text replacement; fails loudly if the text is not there. */
export function exampleWith(find: string | RegExp, replace: string): string {
  const original = exampleTeamYaml();
  const changed = original.replace(find, replace);
  if (changed === original) throw new Error(`test setup: '${String(find)}' not found in the example team`);
  return changed;
}

/** Line (1-based) of the first occurrence of text in a file's content. */
export function lineOf(content: string, text: string): number {
  const index = content.indexOf(text);
  if (index < 0) throw new Error(`test setup: '${text}' not found`);
  return content.slice(0, index).split('\n').length;
}

/**
 * The example team under another id, owning everything it names: its own repository and its own
 * certificates and secrets (the example's ids with the first group derived from the new id).
 */
export function secondTeamYaml(id = 'second-team'): string {
  return exampleTeamYaml()
    .replace('id: benefits-screener', `id: ${id}`)
    .replace('name: example-state/benefits-screener', `name: example-state/${id}`)
    .replace(/: \/benefits-screener\//g, `: /${id}/`)
    .replace(/certificate\/([0-9a-f]{8})/g, (_m, head: string) => `certificate/${createHash('sha256').update(`${id}/${head}`).digest('hex').slice(0, 8)}`);
}
