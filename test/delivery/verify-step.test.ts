/**
 * The Verify step's script, run in bash against stand-ins for the AWS CLI and curl on PATH (no AWS
 * here): the release is recorded only after every target is healthy and, where CodeBuild can reach
 * the load balancer, after the health path answered through it; an internal or narrowed load
 * balancer is not called.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBuildSpec } from '../../lib/delivery/buildspecs';

const REPOSITORY = '111111111111.dkr.ecr.us-east-1.amazonaws.com/springboard/a';
const TAG = 'a'.repeat(40);
const IMAGE = `${REPOSITORY}@sha256:${'b'.repeat(64)}`;

/** Answers the calls the script makes, and writes each one to $CALLS. */
const FAKE_AWS = `#!/usr/bin/env bash
echo "aws $*" >> "$CALLS"
case "$1 $2" in
  "sts assume-role") echo '{"AccessKeyId":"a","SecretAccessKey":"b","SessionToken":"c"}' ;;
  "ecs describe-services") echo '{"taskDefinition":"td","desiredCount":1,"loadBalancers":[{"targetGroupArn":"tg"}]}' ;;
  "ecs describe-task-definition") echo "$FAKE_IMAGE" ;;
  "elbv2 describe-target-health") echo "$FAKE_UNHEALTHY" ;;
  "elbv2 describe-target-groups") echo "lb-arn" ;;
  "elbv2 describe-load-balancers") echo "lb.example" ;;
esac
`;
const FAKE_CURL = `#!/usr/bin/env bash
echo "curl $*" >> "$CALLS"
printf 200
`;

function runVerify(env: Record<string, string>): { status: number | null; output: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'springboard-verify-'));
  const bin = join(dir, 'bin');
  spawnSync('mkdir', [bin]);
  for (const [name, body] of [['aws', FAKE_AWS], ['curl', FAKE_CURL]]) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, 'imagedefinitions.json'), JSON.stringify([{ name: 'service', imageUri: IMAGE }]));
  writeFileSync(join(dir, 'release.json'), JSON.stringify({
    schemaVersion: 1, imageUri: IMAGE, imageTag: TAG, commitId: TAG, imageDigest: 'sha256:abc', template: { name: 'springboard-service', version: '0.1.0' },
  }));
  const calls = join(dir, 'calls.log');
  writeFileSync(calls, '');
  const script = (verifyBuildSpec() as any).phases.build.commands[0] as string;
  const result = spawnSync('bash', ['-c', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      CALLS: calls,
      FAKE_IMAGE: IMAGE,
      FAKE_UNHEALTHY: '0',
      REPOSITORY_URI: REPOSITORY,
      DEPLOY_ROLE_ARN: 'arn:aws:iam::222222222222:role/springboard-a-dev-deploy',
      ENVIRONMENT_NAME: 'dev',
      CODEBUILD_BUILD_NUMBER: '7',
      TARGET_REGION: 'us-east-1',
      CLUSTER: 'springboard-a-dev',
      SERVICE: 'springboard-a-dev',
      RELEASE_PARAMETER: '/springboard/a/dev/release',
      HEALTH_CHECK_PATH: '/health',
      DESIRED_COUNT: '1',
      HTTPS: 'false',
      SMOKE_TIMEOUT_SECONDS: '5',
      ...env,
    },
  });
  return { status: result.status, output: result.stdout + result.stderr, calls: readFileSync(calls, 'utf8').trim().split('\n') };
}

const recorded = (calls: string[]) => calls.some(c => c.startsWith('aws ssm put-parameter --name /springboard/a/dev/release --type String --value ' + TAG));

test('a reachable load balancer: the health path answers through it, then the release is recorded', () => {
  const run = runVerify({ LOAD_BALANCER_REACHABLE: 'true' });
  expect(run.status).toBe(0);
  expect(run.calls).toContainEqual(expect.stringMatching(/^curl .*http:\/\/lb\.example\/health$/));
  expect(run.output).toContain('smoke check: http://lb.example/health answered 200');
  expect(recorded(run.calls)).toBe(true);
});

test('the release record\'s description carries the template version and digest (what fleet scorecard reads)', () => {
  const run = runVerify({ LOAD_BALANCER_REACHABLE: 'true' });
  const put = run.calls.find(c => c.startsWith('aws ssm put-parameter'))!;
  const description = /--description (\{.*\}) --overwrite/.exec(put)![1];
  expect(JSON.parse(description)).toEqual({ schemaVersion: 1, template: { name: 'springboard-service', version: '0.1.0' }, imageDigest: 'sha256:abc', commitId: TAG });
});

test('an internal or narrowed load balancer is not called; healthy targets stand in, then the release is recorded', () => {
  const run = runVerify({ LOAD_BALANCER_REACHABLE: 'false' });
  expect(run.status).toBe(0);
  expect(run.calls.filter(c => c.startsWith('curl') || c.includes('describe-load-balancers'))).toEqual([]);
  expect(run.calls).toContainEqual(expect.stringContaining('aws elbv2 describe-target-health'));
  expect(recorded(run.calls)).toBe(true);
});

test.each(['true', 'false'])('reachable=%s: an unhealthy target fails the step before anything is recorded', (reachable) => {
  const run = runVerify({ LOAD_BALANCER_REACHABLE: reachable, FAKE_UNHEALTHY: '1' });
  expect(run.status).not.toBe(0);
  expect(run.output).toContain('1 target(s) of springboard-a-dev are not healthy');
  expect(recorded(run.calls)).toBe(false);
});
