#!/usr/bin/env node
// Runs the TypeScript sources directly (esbuild via tsx), so the command works right after `npm ci`.
require('tsx/cjs');
require('../lib/cli/index.ts').main(process.argv.slice(2));
