// Copies the root's lib/contract and lib/registry into src/shared so that jsii compiles and the
// package bundles them: the root folders stay the one source of truth and src/shared is ignored by git.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', 'lib');
const target = path.resolve(__dirname, '..', 'src', 'shared');
const folders = ['contract', 'registry'];

fs.rmSync(target, { recursive: true, force: true });
for (const folder of folders) {
  const from = path.join(root, folder);
  if (!fs.existsSync(from)) {
    console.error(`copy-shared: ${from} not found; the templates build runs inside the Springboard repository`);
    process.exit(1);
  }
  fs.mkdirSync(path.join(target, folder), { recursive: true });
  for (const name of fs.readdirSync(from).filter((n) => n.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(from, name), 'utf8');
    const header = `// Copied from lib/${folder}/${name} by the templates' copy-shared task: edit the original.\n`;
    fs.writeFileSync(path.join(target, folder, name), header + source);
  }
}
console.log(`copy-shared: ${folders.map((f) => `lib/${f}`).join(', ')} -> ${path.relative(process.cwd(), target)}`);
