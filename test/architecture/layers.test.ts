/**
 * The layers of docs/architecture.md are enforced, not only described: the lint configuration
 * refuses an import that runs up a layer, in a circle, or into test code, and the docs' table is
 * the table the configuration is generated from.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LegacyESLint } from 'eslint/use-at-your-own-risk';
import * as ts from 'typescript';
import { LAYERS } from '../../projenrc/layers';

const ROOT = join(__dirname, '..', '..');
const eslint = new LegacyESLint({ cwd: ROOT });

/** Rule ids of the errors ESLint reports for `code` placed at `file` (relative to the root). */
async function errorsOf(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.filter(m => m.severity === 2).map(m => `${m.ruleId}: ${m.message}`);
}

/** A real file of the tree with one import added before its first import (or at its end). */
function withImport(file: string, importLine: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const at = text.search(/^import /m);
  return at < 0 ? `${text}${importLine}\n` : `${text.slice(0, at)}${importLine}\n${text.slice(at)}`;
}

describe('lint rules that keep the layers', () => {
  test('the files used as fixtures lint clean as they are (so each error below comes from the added import)', async () => {
    for (const file of ['lib/contract/naming.ts', 'lib/construct-kit/tags.ts', 'lib/registry/diagnostics.ts', 'lib/registry/yaml-source.ts', 'lib/delivery/targets.ts', 'lib/environment/web-acl.ts']) {
      expect(await errorsOf(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
    }
  });

  test('an import up a layer fails: the contract may not import the app', async () => {
    const errors = await errorsOf('lib/contract/naming.ts', withImport('lib/contract/naming.ts', "import '../app/build-platform';"));
    expect(errors).toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*lib\/contract may import nothing else from lib\//)]);
  });

  test('the construct kit may not import the compliance layer above it', async () => {
    const errors = await errorsOf('lib/construct-kit/tags.ts', withImport('lib/construct-kit/tags.ts', "import '../compliance/acknowledgments';"));
    expect(errors).toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*lib\/construct-kit may import only lib\/contract/)]);
  });

  test('a construct folder may not import one above it (environment above delivery)', async () => {
    const errors = await errorsOf('lib/delivery/targets.ts', withImport('lib/delivery/targets.ts', "import '../environment/web-acl';"));
    expect(errors).toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*lib\/delivery may import only/)]);
  });

  test('lib/ may not import test support', async () => {
    const errors = await errorsOf('lib/environment/web-acl.ts', withImport('lib/environment/web-acl.ts', "import '../../test/support/iam/escalation';"));
    expect(errors).toEqual([expect.stringMatching(/^import\/no-restricted-paths: .*test support lives under test\//)]);
  });

  // A named import: eslint-plugin-import treats a bare `import './x'` like a type import and skips it.
  test('an import in a circle fails, even inside one layer', async () => {
    const errors = await errorsOf('lib/registry/yaml-source.ts', withImport('lib/registry/yaml-source.ts', "import { loadRegistry } from './load';"));
    expect(errors).toEqual([expect.stringMatching(/^import\/no-cycle: /)]);
  });

  test('the contract and the registry stay free of aws-cdk-lib (the templates copy them as source)', async () => {
    const errors = await errorsOf('lib/registry/diagnostics.ts', withImport('lib/registry/diagnostics.ts', "import 'aws-cdk-lib';"));
    expect(errors).toEqual([expect.stringMatching(/^no-restricted-imports: .*copied into the templates package/)]);
  });

  test('the construct kit uses only aws-cdk-lib and constructs', async () => {
    const errors = await errorsOf('lib/construct-kit/tags.ts', withImport('lib/construct-kit/tags.ts', "import 'yaml';"));
    expect(errors).toEqual([expect.stringMatching(/^no-restricted-imports: .*lib\/construct-kit may use only aws-cdk-lib and constructs/)]);
  });
});

describe('docs/architecture.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

  test('its layer table is the table the lint rule is generated from, row for row', () => {
    const rows = doc.split('\n').filter(line => /^\| `(lib|bin)/.test(line)).map(line => line.split('|').map(cell => cell.trim()));
    const documented = rows.map(cells => ({
      folders: cells[1].split(',').map(f => f.trim().replace(/`/g, '')),
      mayImport: cells[2] === '(nothing)' ? [] : cells[2].split(',').map(f => f.trim().replace(/`/g, '')),
    }));
    expect(documented).toEqual(LAYERS.map(l => ({ folders: [...l.folders], mayImport: [...l.mayImport] })));
  });
});

describe('lib/ holds product code only', () => {
  /** Where the product starts: the CDK app, the CLI, the platform pipeline's step runner and the package entry. */
  const ENTRIES = ['bin/app.ts', 'lib/cli/index.ts', 'lib/platform-pipeline/steps/cli.ts', 'lib/index.ts'];

  test('every file under lib/ is reachable from an entry point, so none is there only for tests', () => {
    const reached = reachableFrom(ENTRIES.filter(f => existsSync(join(ROOT, f))));
    const unreached = sourceFiles('lib').filter(f => !reached.has(f));
    expect(unreached).toEqual([]);
  });

  test('the check notices a file that only tests import', () => {
    const reached = reachableFrom(['bin/app.ts']);
    expect(reached.has('lib/fleet/run.ts')).toBe(false);
    expect(reached.has('lib/app/build-platform.ts')).toBe(true);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => `${dir}/${f}`)
    .sort();
}

/** Files reachable from `entries` through relative imports, re-exports, requires and dynamic imports. */
function reachableFrom(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of moduleSpecifiers(file).filter(s => s.startsWith('.'))) {
      const target = resolveSource(join(dirname(file), specifier));
      if (target) queue.push(target);
    }
  }
  return seen;
}

/** Every module a file names: imports, re-exports (`export * as x from`), `require()` and `import()`. */
function moduleSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveSource(path: string): string | undefined {
  const bare = path.replace(/\.ts$/, '');
  return [`${bare}.ts`, `${bare}/index.ts`].find(candidate => existsSync(join(ROOT, candidate)));
}
