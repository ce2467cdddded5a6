import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files shipped in the package under assets/: service code and configuration kept as real files. */
const ASSET_ROOT = join(__dirname, '..', 'assets');

/** The templates package's own name and version, recorded in every generated repository. */
export function templatesPackage(): { readonly name: string; readonly version: string } {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: manifest.name, version: manifest.version };
}

/**
 * Reads an asset and fills `{{name}}` placeholders. An unknown placeholder is an error, so a
 * template can never ship a file with a hole in it.
 */
export function renderAsset(relativePath: string, values: Readonly<Record<string, string | number>> = {}): string {
  const text = readFileSync(join(ASSET_ROOT, relativePath), 'utf8');
  return text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`asset ${relativePath} uses {{${name}}} but no value was given`);
    return String(values[name]);
  });
}
