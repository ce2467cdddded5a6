import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TEST_POLICY, addAdminRole, addOpenBucket, logSink, synthError, tempDir, testApp } from './support';
import {
  ComplianceReport, NO_CACHE, acknowledge, applyComplianceGate, directoryCache, evaluateAssembly, readReport, verdictOf,
} from '../../lib/compliance';
import { COMPLIANCE_REPORT_FILE } from '../../lib/contract/naming';

/** The bypass scenario: one acknowledged cfn-guard rule (and a try at the framework's own switch) next to an open bucket and an admin role. */
function buildBypassStacks(app: App): void {
  const stack = new Stack(app, 'GateBypass');
  const bucket = addOpenBucket(stack);
  acknowledge(bucket, 'CT.S3.PR.11', 'Versioning is not wanted for this scratch bucket; its objects are rebuilt from source.');
  // Aimed at the gate's own report: the framework must not be able to suppress an open finding.
  Validations.of(bucket).acknowledge({ id: 'springboard-compliance-gate::CT.S3.PR.1', reason: 'an attempt to waive the gate itself' });
  addAdminRole(new Stack(app, 'AdminStack'));
}

function buildPassingStack(app: App): void {
  const stack = new Stack(app, 'Passing');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  acknowledge(key, 'CT.KMS.PR.3', 'The key policy is the CDK default, granting the account root only; reviewed in CM-2.');
  const bucket = new s3.Bucket(stack, 'Records', {
    encryptionKey: key,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
  });
  const why = 'Test bucket without a log-archive bucket to deliver access logs to; CloudTrail data events cover AU-2.';
  for (const rule of ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'CT.S3.PR.2']) acknowledge(bucket, rule, why);
  acknowledge(bucket, 'CT.S3.PR.4', 'Nothing consumes object events from this bucket; access is audited through CloudTrail.');
  acknowledge(bucket, 'CT.S3.PR.9', 'Object lock would block the test teardown; versioning and the lifecycle rule keep history.');
}

describe('the compliance gate on a stack with an open bucket and an admin role', () => {
  const outdir = tempDir('bypass');
  const sink = logSink();
  let error: string;
  let report: ComplianceReport;

  beforeAll(() => {
    const app = testApp(outdir);
    applyComplianceGate(app, { policy: TEST_POLICY, cacheDir: false, log: sink.log });
    buildBypassStacks(app);
    error = synthError(app);
    report = readReport(outdir);
  });

  test('fails synth although one cfn-guard rule is acknowledged on the bucket, naming its construct path', () => {
    expect(error).toContain('CT.S3.PR.1 on GateBypass/OpenBucket/Resource (stack GateBypass');
    expect(error).toContain('NIST.800.53.R5-S3BucketPublicReadProhibited on GateBypass/OpenBucket/Resource');
    expect(report.findings).toContainEqual(expect.objectContaining({
      ruleId: 'CT.S3.PR.1', constructPath: 'GateBypass/OpenBucket/Resource', stack: 'GateBypass', status: 'open',
    }));
    // The gate lists open findings itself too, since the CDK CLI does not always print the framework's report.
    expect(sink.lines.join('\n')).toContain('CT.S3.PR.1 on GateBypass/OpenBucket/Resource (stack GateBypass');
  });

  test('the acknowledged rule is acknowledged and nothing else on the bucket is', () => {
    const onBucket = report.findings.filter(f => f.constructPath === 'GateBypass/OpenBucket/Resource');
    expect(onBucket.filter(f => f.status === 'acknowledged').map(f => f.ruleId)).toEqual(['CT.S3.PR.11']);
  });

  test('an admin role (* on *) fails synth with its construct path', () => {
    expect(error).toContain('NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess on AdminStack/AdminRole/DefaultPolicy/Resource (stack AdminStack');
    expect(error).toContain('CT.IAM.PR.1 on AdminStack/AdminRole/DefaultPolicy/Resource');
  });

  test('the report in the assembly holds the verdict, every finding, the acknowledgments and the disabled rules', () => {
    expect(fs.existsSync(path.join(outdir, COMPLIANCE_REPORT_FILE))).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.summary.open).toBe(report.findings.filter(f => f.status === 'open').length);
    expect(report.findings.some(f => f.status === 'disabled' && f.ruleId === 'NIST.800.53.R5-S3BucketReplicationEnabled')).toBe(true);
    expect(report.acknowledgments).toContainEqual(expect.objectContaining({
      ruleId: 'CT.S3.PR.11', acknowledgedAt: 'GateBypass/OpenBucket', constructPath: 'GateBypass/OpenBucket/Resource', stack: 'GateBypass',
    }));
    expect(report.disabledRules).toEqual(TEST_POLICY.disabledRules);
    expect(report.disabledRules[0].reason.length).toBeGreaterThan(20);
  });

  test('cached and uncached evaluations of the same assembly reach the same findings and verdict', () => {
    const cacheDir = tempDir('cache');
    const uncached = evaluateAssembly(outdir, { policy: TEST_POLICY, cache: NO_CACHE });
    const cold = evaluateAssembly(outdir, { policy: TEST_POLICY, cache: directoryCache(cacheDir) });
    const warm = evaluateAssembly(outdir, { policy: TEST_POLICY, cache: directoryCache(cacheDir) });
    expect(warm.stats.cacheHits).toBe(warm.stats.distinctTemplates);
    expect(cold.stats.cacheHits).toBe(0);
    expect(cold.findings).toEqual(uncached.findings);
    expect(warm.findings).toEqual(uncached.findings);
    expect(verdictOf(warm.findings)).toBe(verdictOf(uncached.findings));
  });

  test('a corrupted cache entry is a miss, not a verdict', () => {
    const cacheDir = tempDir('corrupt');
    evaluateAssembly(outdir, { policy: TEST_POLICY, cache: directoryCache(cacheDir) });
    for (const file of fs.readdirSync(cacheDir)) fs.writeFileSync(path.join(cacheDir, file), '{"key":"other","findings":[]}');
    const again = evaluateAssembly(outdir, { policy: TEST_POLICY, cache: directoryCache(cacheDir) });
    expect(again.stats.cacheHits).toBe(0);
    expect(verdictOf(again.findings)).toBe('fail');
  });

  test('evaluating the template files (the audit) finds exactly what the gate found', () => {
    expect(evaluateAssembly(outdir, { policy: TEST_POLICY }).findings).toEqual(report.findings);
  });
});

describe('the compliance gate switched off', () => {
  const outdir = tempDir('off');
  const sink = logSink();

  beforeAll(() => {
    const app = testApp(outdir, { 'springboard:gate': 'off' });
    applyComplianceGate(app, { policy: TEST_POLICY, cacheDir: false, log: sink.log });
    buildBypassStacks(app);
    app.synth();
  });

  test('is loud and records verdict "skipped"', () => {
    expect(sink.lines.join('\n')).toContain('SPRINGBOARD COMPLIANCE GATE SKIPPED');
    const report = readReport(outdir);
    expect(report.verdict).toBe('skipped');
    expect(report.skippedBecause).toBe('-c springboard:gate=off');
    expect(report.disabledRules).toEqual(TEST_POLICY.disabledRules);
  });

  test('the audit judges its assembly just as the gate judges one synthesized with the gate on', () => {
    const gateOn = tempDir('on');
    const app = testApp(gateOn);
    applyComplianceGate(app, { policy: TEST_POLICY, cacheDir: false, log: logSink().log });
    buildBypassStacks(app);
    synthError(app);
    const audit = evaluateAssembly(outdir, { policy: TEST_POLICY });
    expect(verdictOf(audit.findings)).toBe('fail');
    expect(audit.findings).toEqual(readReport(gateOn).findings);
  });

  test('any other value of the switch is refused', () => {
    for (const value of ['false', 'OFF', 'no', false, 0]) {
      const app = testApp(tempDir('bad'), { 'springboard:gate': value });
      expect(() => applyComplianceGate(app, { policy: TEST_POLICY })).toThrow(/context springboard:gate: expected "off"/);
    }
  });
});

describe('the compliance gate on a stack whose findings are all acknowledged or disabled', () => {
  const outdir = tempDir('pass');
  const sink = logSink();

  beforeAll(() => {
    const app = testApp(outdir);
    applyComplianceGate(app, { policy: TEST_POLICY, cacheDir: false, log: sink.log });
    buildPassingStack(app);
    app.synth();
  });

  test('passes, and the report says why each finding does not count', () => {
    const report = readReport(outdir);
    expect(report.verdict).toBe('pass');
    expect(report.summary.open).toBe(0);
    expect(report.summary.acknowledged).toBeGreaterThanOrEqual(6);
    expect(report.findings).toContainEqual(expect.objectContaining({
      ruleId: 'NIST.800.53.R5-S3BucketReplicationEnabled', status: 'disabled', reason: TEST_POLICY.disabledRules[0].reason,
    }));
    expect(report.findings.every(f => f.status !== 'open' && (f.reason ?? '').length >= 20)).toBe(true);
    expect(sink.lines.join('\n')).toMatch(/springboard compliance gate: pass/);
  });

  test('the gate can be applied only once per app', () => {
    const app = testApp(tempDir('twice'));
    applyComplianceGate(app, { policy: TEST_POLICY });
    expect(() => applyComplianceGate(app, { policy: TEST_POLICY })).toThrow(/already applied/);
  });
});
