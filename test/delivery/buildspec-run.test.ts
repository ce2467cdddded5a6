/**
 * The team build's buildspec, run: its synthesized commands execute with bash, with stand-ins for
 * docker, aws, curl and iptables (./stand-ins) that record their arguments and misbehave on
 * request. Each threat of docs/delivery.md has a test here, and each control a mutation test that
 * breaks it in the buildspec and shows the proving test would then fail.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BuildRun, COMMIT, REPOSITORY_FILES, REPOSITORY_URI, StandInConfig, SynthesizedBuild, TAMPERED, runBuild, scanResult, synthesizeBuild, syftArchive,
} from './buildspec-harness';
import { CREDENTIAL_ENDPOINTS, TEST_CONTAINER } from '../../lib/delivery';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-buildspec-'));
const syft = syftArchive(dir);
const tampered = syftArchive(dir, '-tampered');
let build: SynthesizedBuild;
let enhanced: SynthesizedBuild;

beforeAll(() => {
  build = synthesizeBuild({ syft: { version: '1.46.0', sha256: syft.sha256 } });
  enhanced = synthesizeBuild({ syft: { version: '1.46.0', sha256: syft.sha256 }, scanType: 'ENHANCED' });
});

const CLEAN: StandInConfig = { registryScanType: 'BASIC', scanResponses: [scanResult('COMPLETE', { MEDIUM: 3, LOW: 7 })] };
const run = (config: Partial<StandInConfig> = {}, mutate?: (c: string) => string, spec = build) =>
  runBuild(spec, syft, { config: { ...CLEAN, ...config }, mutate });
const calls = (r: BuildRun, tool: string) => r.calls.filter(c => c.tool === tool).map(c => c.args);
const dockerRuns = (r: BuildRun) => calls(r, 'docker').filter(a => a[0] === 'run');
/** The team's test container: the docker run that is not the probe. */
const testRun = (r: BuildRun) => dockerRuns(r).find(a => a.includes('CI=true'))!;
const builtFile = (r: BuildRun, file: string) => fs.readFileSync(path.join(r.builtContexts[0], file), 'utf8');
const output = (r: BuildRun, file: string) => path.join(r.checkout, '.springboard-out', file);
/** A mutation that removes every line of a command containing `marker`. */
const dropLines = (marker: string) => (command: string) => command.split('\n').filter(l => !l.includes(marker)).join('\n');

describe('a clean build', () => {
  let r: BuildRun;
  beforeAll(async () => { r = await run(); });

  test('succeeds and writes the deploy artifact from what ECR holds', () => {
    expect({ exit: r.exitCode, log: r.exitCode === 0 ? '' : r.log }).toEqual({ exit: 0, log: '' });
    const definitions = JSON.parse(fs.readFileSync(output(r, 'imagedefinitions.json'), 'utf8'));
    expect(definitions).toEqual([{ name: 'service', imageUri: expect.stringMatching(new RegExp(`^${REPOSITORY_URI}@sha256:[0-9a-f]{64}$`)) }]);
    const release = JSON.parse(fs.readFileSync(output(r, 'release.json'), 'utf8'));
    expect(release).toMatchObject({ teamId: 'alpha', commitId: COMMIT, imageUri: definitions[0].imageUri, template: { name: 'springboard-service', version: '1.2.3' } });
    expect(JSON.parse(fs.readFileSync(output(r, 'sbom.cdx.json'), 'utf8')).bomFormat).toBe('CycloneDX');
    expect(calls(r, 'syft')).toContainEqual(['scan', `registry:${definitions[0].imageUri}`, '-o', 'cyclonedx-json=.springboard-out/sbom.cdx.json']);
  });

  test('the image is built from the snapshot, which equals the commit', () => {
    expect(r.builtContexts).toHaveLength(1);
    for (const [file, content] of Object.entries(REPOSITORY_FILES)) expect({ file, content: builtFile(r, file) }).toEqual({ file, content });
    const context = calls(r, 'docker').find(a => a[0] === 'build')!.at(-1);
    expect(context).toBe(path.join(r.work, 'source'));
  });

  test('tests run as a non-root user, with the snapshot read-only, no AWS variables, and the JUnit report published', () => {
    const args = testRun(r);
    expect(args).toEqual(expect.arrayContaining(['--user', TEST_CONTAINER.user, '--cap-drop', 'ALL', '-v', `${r.work}/source:${TEST_CONTAINER.source}:ro`]));
    expect(args.filter(a => /^AWS_/.test(a))).toEqual([]);
    expect(r.containerRuns).toEqual([expect.objectContaining({ uid: 1000, awsVariables: [], report: 'written' })]);
    expect(fs.readFileSync(path.join(r.checkout, 'test-reports', 'junit.xml'), 'utf8')).toContain('<testsuites');
  });

  test('every container image the build runs is pinned by digest', () => {
    const images = dockerRuns(r).map(a => a.find(x => x.startsWith('public.ecr.aws/')));
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });
});

describe('threat: a test step edits src/, the Dockerfile or springboard.json', () => {
  test('its writes are refused and the image, the SBOM and the release record come from the commit', async () => {
    const r = await run({ attacks: ['edit-source'] });
    expect(r.exitCode).toBe(0);
    expect(r.containerRuns[0].editSource).toEqual(Array(3).fill('refused: EROFS: read-only file system'));
    for (const file of Object.keys(TAMPERED)) expect({ file, built: builtFile(r, file) }).toEqual({ file, built: REPOSITORY_FILES[file] });
    expect(JSON.parse(fs.readFileSync(output(r, 'release.json'), 'utf8')).template).toEqual({ name: 'springboard-service', version: '1.2.3' });
  });

  test('mutation: a writable mount, as root: the snapshot check stops the build before the image is built', async () => {
    const r = await run({ attacks: ['edit-source'] }, c => c.replace(`:${TEST_CONTAINER.source}:ro"`, `:${TEST_CONTAINER.source}"`).replace(/--user \S+ /g, ''));
    expect(r.mutatedCommands).toBeGreaterThan(0);
    expect(r.containerRuns[0].editSource).toEqual(Array(3).fill('written'));
    expect({ exit: r.exitCode, phase: r.failedPhase, built: r.builtContexts.length }).toEqual({ exit: 1, phase: 'build', built: 0 });
    expect(r.log).toContain('the source snapshot changed after it was taken');
  });

  test('mutation: a writable mount, as root, without the snapshot check: the tampered tree is what ships (the test above would fail)', async () => {
    const r = await run({ attacks: ['edit-source'] }, c => dropLines('source.manifest" ||')(c.replace(`:${TEST_CONTAINER.source}:ro"`, `:${TEST_CONTAINER.source}"`).replace(/--user \S+ /g, '')));
    expect(r.exitCode).toBe(0);
    expect(builtFile(r, 'src/index.js')).toBe(TAMPERED['src/index.js']);
    expect(JSON.parse(fs.readFileSync(output(r, 'release.json'), 'utf8')).template.name).toBe('forged');
  });

  test('non-root alone also refuses the writes (snapshot files are read-only for every user)', async () => {
    const r = await run({ attacks: ['edit-source'] }, c => c.replace(`:${TEST_CONTAINER.source}:ro"`, `:${TEST_CONTAINER.source}"`));
    expect(r.containerRuns[0].editSource).toEqual(Array(3).fill('refused: EACCES: permission denied'));
    expect(r.exitCode).toBe(0);
  });
});

describe('threat: a test step asks the credentials endpoint for the build role\'s credentials', () => {
  test('it gets nothing, even knowing the secret path; the probe saw the endpoints blocked first', async () => {
    const r = await run({ attacks: ['steal-credentials'] });
    expect(r.exitCode).toBe(0);
    expect(r.containerRuns[0].stealCredentials).toMatch(/^refused: ECONNREFUSED/);
    for (const address of CREDENTIAL_ENDPOINTS) expect(calls(r, 'iptables')).toContainEqual(['-I', 'DOCKER-USER', '1', '-d', `${address}/32`, '-j', 'REJECT']);
    const runs = dockerRuns(r);
    expect(runs[0]).toContain('node');
    expect(runs).toHaveLength(2);
    expect(r.log).toContain('rejected');
  });

  test('mutation: without the iptables rules, the probe finds the endpoint and the team\'s code never runs', async () => {
    const r = await run({ attacks: ['steal-credentials'] }, dropLines('iptables -'));
    expect(r.mutatedCommands).toBe(1);
    expect({ exit: r.exitCode, phase: r.failedPhase, teamRuns: r.containerRuns.length }).toEqual({ exit: 1, phase: 'build', teamRuns: 0 });
    expect(r.log).toMatch(/credentials endpoint check: a container got through \(reachable 169\.254\.170\.2 169\.254\.169\.254\)/);
  });

  test('mutation: without the rules and the probe, the test step obtains the credentials (the test above would fail)', async () => {
    const r = await run({ attacks: ['steal-credentials'] }, c => dropLines('probe')(dropLines('iptables -')(c)));
    expect(r.exitCode).toBe(0);
    expect(r.containerRuns[0].stealCredentials).toContain('ASIASTANDINBUILDROLE');
  });
});

describe('threat: the image has known vulnerabilities', () => {
  test('a scan with findings of a blocking severity stops the build; no deploy artifact is written', async () => {
    const r = await run({ scanResponses: [scanResult('PENDING'), scanResult('COMPLETE', { HIGH: 2, LOW: 1 })] });
    expect({ exit: r.exitCode, phase: r.failedPhase }).toEqual({ exit: 1, phase: 'build' });
    expect(r.log).toContain('image scan: 2 finding(s) of severity CRITICAL,HIGH');
    expect(fs.existsSync(output(r, 'imagedefinitions.json'))).toBe(false);
  });

  test('enhanced scanning: a critical finding from Inspector stops the build', async () => {
    const r = await run({ registryScanType: 'ENHANCED', scanResponses: [scanResult('ACTIVE', {}, [{ severity: 'CRITICAL' }, { severity: 'LOW' }])] }, undefined, enhanced);
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('image scan: 1 finding(s)');
  });

  test.each([
    ['a failed scan', { scanResponses: [scanResult('FAILED')] }, 'image scan: FAILED'],
    ['an image the scanner does not support', { scanResponses: [scanResult('UNSUPPORTED_IMAGE')] }, 'image scan: UNSUPPORTED_IMAGE'],
    ['no result before the timeout', { scanResponses: [{ error: 'ScanNotFoundException' }] }, 'no result after 0 s'],
    ['a completed scan without a findings document', { scanResponses: [{ imageScanStatus: { status: 'COMPLETE' } }] }, 'without a findings document'],
    ['a registry that scans otherwise than the platform says', { registryScanType: 'BASIC' as const }, 'the registry scans with BASIC, the platform expects ENHANCED'],
  ])('fails closed on %s', async (_, config, message) => {
    const r = await runBuild(enhanced, syft, { config: { ...CLEAN, registryScanType: 'ENHANCED', ...config }, variables: { SCAN_TIMEOUT_SECONDS: '0' } });
    expect({ exit: r.exitCode, phase: r.failedPhase }).toEqual({ exit: 1, phase: 'build' });
    expect(r.log).toContain(message);
    expect(fs.existsSync(output(r, 'release.json'))).toBe(false);
  });

  test('mutation: without the severity check, the vulnerable image is released (the test above would fail)', async () => {
    const r = await run({ scanResponses: [scanResult('COMPLETE', { HIGH: 2 })] }, c => c.replace('[ "$blocked" -eq 0 ] ||', 'true ||'));
    expect(r.mutatedCommands).toBe(1);
    expect(r.exitCode).toBe(0);
    expect(fs.existsSync(output(r, 'imagedefinitions.json'))).toBe(true);
  });
});

describe('threat: a tampered syft download', () => {
  test('is refused: syft is not installed and no container runs', async () => {
    const r = await run({ syftArchive: tampered.file });
    expect({ exit: r.exitCode, phase: r.failedPhase }).toEqual({ exit: 1, phase: 'install' });
    expect(r.log).toContain(`syft download refused: syft_1.46.0_linux_amd64.tar.gz does not have the pinned SHA-256 ${syft.sha256}`);
    expect(fs.existsSync(path.join(r.work, 'bin', 'syft'))).toBe(false);
    expect(dockerRuns(r)).toEqual([]);
  });

  test('mutation: without the SHA-256 check, the tampered syft is installed and runs (the test above would fail)', async () => {
    const r = await run({ syftArchive: tampered.file }, dropLines('sha256sum --check'));
    expect(r.mutatedCommands).toBe(1);
    expect(r.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(r.work, 'bin', 'syft'), 'utf8')).toContain('stand-in syft-tampered');
  });
});

describe('threat: the commit carries its own deploy artifact or test report', () => {
  const forged = {
    '.springboard-out/imagedefinitions.json': JSON.stringify([{ name: 'service', imageUri: 'evil.example/backdoor@sha256:' + 'f'.repeat(64) }]),
    'test-reports/junit.xml': '<testsuites tests="1" failures="0"/>',
  };

  test('both are dropped before anything runs, so a build that stops early leaves nothing of them to upload', async () => {
    const r = await runBuild(build, syft, { config: { ...CLEAN, testExit: 1, writeReport: false }, extraFiles: forged });
    expect(r.exitCode).toBe(1);
    expect(fs.existsSync(output(r, 'imagedefinitions.json'))).toBe(false);
    expect(fs.existsSync(path.join(r.checkout, 'test-reports', 'junit.xml'))).toBe(false);
  });

  test('mutation: without dropping them, the forged artifact and report are still in the checkout (the test above would fail)', async () => {
    const r = await runBuild(build, syft, {
      config: { ...CLEAN, testExit: 1, writeReport: false }, extraFiles: forged, mutate: dropLines('rm -rf "$CODEBUILD_SRC_DIR/'),
    });
    expect(r.mutatedCommands).toBe(1);
    expect(fs.existsSync(output(r, 'imagedefinitions.json'))).toBe(true);
    expect(fs.existsSync(path.join(r.checkout, 'test-reports', 'junit.xml'))).toBe(true);
  });

  test('the snapshot is the first command of the build, before any tool is fetched or container run', () => {
    expect(build.commands.install[0]).toContain('cp -a "$CODEBUILD_SRC_DIR/." "$SPRINGBOARD_WORK/source"');
    expect(build.commands.install[0]).toContain('chmod -R a-w');
  });
});

describe('the test report and failing tests', () => {
  test('failing tests fail the build, and their report is still published', async () => {
    const r = await run({ testExit: 3 });
    expect({ exit: r.exitCode, phase: r.failedPhase }).toEqual({ exit: 3, phase: 'build' });
    expect(r.log).toContain('tests failed (exit 3)');
    expect(fs.existsSync(path.join(r.checkout, 'test-reports', 'junit.xml'))).toBe(true);
    expect(r.builtContexts).toEqual([]);
  });

  test('a report planted as a link is not followed, and the missing report fails the build', async () => {
    const r = await run({ attacks: ['plant-report-link'] });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('npm test must write JUnit XML to test-reports/junit.xml');
    expect(fs.existsSync(path.join(r.checkout, 'test-reports', 'junit.xml'))).toBe(false);
  });

  test('a test image given by tag is refused before anything runs in it', async () => {
    const r = await runBuild(build, syft, { config: CLEAN, variables: { TEST_IMAGE: 'public.ecr.aws/docker/library/node:22' } });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('TEST_IMAGE must be pinned by digest');
    expect(dockerRuns(r)).toEqual([]);
  });
});

describe('pipeline variables for the Migrate step', () => {
  /** The build's last command (outside a subshell, as CodeBuild exports it), then the variables it set. */
  const exported = (r: BuildRun) => {
    const shell = spawnSync('bash', ['-c', `${build.commands.build.at(-1)}; printf '%s\\n%s\\n' "$IMAGE_URI" "$MIGRATE_COMMAND"`], {
      env: { PATH: process.env.PATH, SPRINGBOARD_WORK: r.work }, encoding: 'utf8',
    });
    const [image, command] = shell.stdout.split('\n');
    return { image, command };
  };
  const manifest = (extra: object) => ({ 'springboard.json': JSON.stringify({ ...JSON.parse(REPOSITORY_FILES['springboard.json']), ...extra }) + '\n' });

  test('the image by digest, and the migrate command read from the snapshot as base64 of its JSON array', async () => {
    const r = await runBuild(build, syft, { config: CLEAN, extraFiles: manifest({ migrate: ['npm', 'run', 'migrate', 'it\'s "quoted"'] }) });
    expect({ exit: r.exitCode, log: r.exitCode === 0 ? '' : r.log }).toEqual({ exit: 0, log: '' });
    const { image, command } = exported(r);
    expect(image).toMatch(new RegExp(`^${REPOSITORY_URI}@sha256:[0-9a-f]{64}$`));
    expect(JSON.parse(Buffer.from(command, 'base64').toString('utf8'))).toEqual(['npm', 'run', 'migrate', 'it\'s "quoted"']);
  });

  test('without a migrate command the variable is empty (the step then runs nothing)', async () => {
    const r = await run();
    expect(r.exitCode).toBe(0);
    expect(exported(r).command).toBe('');
  });

  test('a migrate command that is not an array of strings stops the build before the tests, saying what is expected', async () => {
    const r = await runBuild(build, syft, { config: CLEAN, extraFiles: manifest({ migrate: 'npm run migrate' }) });
    expect(r.failedPhase).toBe('pre_build');
    expect(r.log).toContain('springboard.json: migrate must be a non-empty array of strings (exec form), like ["npm", "run", "migrate"]; received "npm run migrate"');
    expect(r.containerRuns).toEqual([]);
  });
});
