/** Small dedicated stacks and helpers for the compliance tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RulePolicy, parseRulePolicy } from '../../lib/compliance';
import { createApp } from '../../lib/construct-kit/springboard-app';

/** A fresh directory under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `springboard-${prefix}-`));
}

/** An app writing construct paths into templates, as `cdk synth` does. */
export function testApp(outdir: string, context: Record<string, unknown> = {}): App {
  return createApp({ outdir, context: { 'aws:cdk:enable-path-metadata': true, ...context } });
}

/** A policy with one real disabled rule, so tests see the "disabled" path without the shipped file. */
export const TEST_POLICY: RulePolicy = parseRulePolicy(`
disabledRules:
  - id: NIST.800.53.R5-S3BucketReplicationEnabled
    pack: NIST.800.53.R5
    control: CP-9
    reason: Test stacks hold no data worth a second region; backups cover CP-9 on the platform.
`, 'test-policy.yaml');

/** A bucket anyone can read: public policy allowed, no encryption with a key, no logging. */
export function addOpenBucket(stack: Stack): s3.Bucket {
  return new s3.Bucket(stack, 'OpenBucket', {
    publicReadAccess: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/** A role allowed `*` on `*`. */
export function addAdminRole(stack: Stack): iam.Role {
  const role = new iam.Role(stack, 'AdminRole', { assumedBy: new iam.AccountRootPrincipal() });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
  return role;
}

/** Runs synth and returns the error text, or fails the test when synth succeeds. */
export function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return String((e as Error).message);
  }
  throw new Error('expected synth to fail, but it succeeded');
}

/** Collects log lines instead of printing them. */
export function logSink(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: line => lines.push(line) };
}
