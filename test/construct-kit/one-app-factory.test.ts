/**
 * One way to make an App: every source in lib, bin, bench and test builds it with createApp(), so
 * nothing synthesizes without Springboard's feature flags. The factory itself is the one exception.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const FACTORY = path.join('lib', 'construct-kit', 'springboard-app.ts');
const SCANNED = ['lib', 'bin', 'bench', 'test', 'projenrc'];

/** Lines that construct an App directly: the class, `cdk.App`, or an alias of App imported from aws-cdk-lib. */
function directAppConstructions(source: string): string[] {
  const aliases = [...source.matchAll(/\bApp\s+as\s+(\w+)/g)].map(m => m[1]);
  const names = ['App', ...aliases].join('|');
  return source.split('\n').flatMap((line, i) => (new RegExp(`\\bnew\\s+(?:\\w+\\.)?(?:${names})\\s*[(<]`).test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

function sourceFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === '__snapshots__' ? [] : sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

test('no App is constructed outside lib/construct-kit/springboard-app.ts', () => {
  const files = SCANNED.flatMap(d => sourceFiles(path.join(ROOT, d))).map(f => path.relative(ROOT, f)).filter(f => f !== FACTORY);
  expect(files.length).toBeGreaterThan(100);
  const offences = files.flatMap(f => directAppConstructions(fs.readFileSync(path.join(ROOT, f), 'utf8')).map(hit => `${f}:${hit}`));
  expect(offences).toEqual([]);
});

test('the factory is where the App is constructed', () => {
  expect(directAppConstructions(fs.readFileSync(path.join(ROOT, FACTORY), 'utf8'))).toHaveLength(1);
});

test('the scan finds each way of constructing an App directly (mutation)', () => {
  const constructions = ['const a = new ' + 'App();', 'const b = new cdk.' + 'App({ outdir });', 'import { App as CdkApp } from \'aws-cdk-lib\';\nconst c = new ' + 'CdkApp();'];
  for (const source of constructions) expect(directAppConstructions(source)).toHaveLength(1);
  expect(directAppConstructions('const d = createApp();\nconst e = new Application();')).toEqual([]);
});
