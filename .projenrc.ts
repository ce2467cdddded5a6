import { JsonFile } from 'projen';
import { NodePackageManager, UpdateSnapshot } from 'projen/lib/javascript';
import { TypeScriptProject, TypeScriptRunner } from 'projen/lib/typescript';

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
  minNodeVersion: '20.0.0',
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
    '@aws-sdk/credential-providers@^3',
    '@smithy/node-http-handler@^4',
  ],
  devDeps: [
    'aws-cdk@^2.1148.1',
    'fast-check@^4.11.0',
    'aws-sdk-client-mock@^4.1.0',
    'axe-core@^4.14.1',
    'playwright-core@^1.65.1',
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
  gitignore: ['cdk.out/', 'audit/', '.springboard-cache/', '*.tgz', 'bench/results/tmp/'],
});

project.package.addField('main', 'lib/index.ts');
project.addBins({ springboard: 'bin/springboard.js' });

new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'node --import tsx bin/app.ts',
    watch: { include: ['bin/**', 'lib/**', 'teams/**'] },
    context: {
      '@aws-cdk/core:stackRelativeExports': true,
    },
  },
});

project.addTask('synth', {
  description: 'Validate the registry and synthesize every stack (no AWS account needed)',
  exec: 'cdk synth --quiet',
});
project.addTask('validate', {
  description: 'Validate the team registry',
  exec: 'node bin/springboard.js validate',
});

project.synth();
