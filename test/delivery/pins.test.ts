/**
 * Pins of the team build: the defaults are pinned, the synthesized project carries them, and the
 * build construct refuses a test image by tag or a malformed syft pin at synth.
 */
import { Stack } from 'aws-cdk-lib';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { NODE_MAJOR_VERSION } from '../../lib/contract/runtime';
import { DEFAULT_TEST_IMAGE, PINNED_IMAGE, SHA256_HEX, SYFT_PIN, ServiceBuild, ServiceBuildProps } from '../../lib/delivery';

function build(props: Partial<ServiceBuildProps> = {}): Record<string, string> {
  const stack = new Stack(createApp(), 'Pins', { env: { account: '111111111111', region: 'us-east-1' } });
  const b = new ServiceBuild(stack, 'Build', {
    teamId: 'alpha',
    repository: Repository.fromRepositoryName(stack, 'Repo', 'springboard/alpha'),
    key: Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000'),
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  const env = Stack.of(b).resolve((b.project.node.defaultChild as any).environment).environmentVariables as Array<{ name: string; value: string }>;
  return Object.fromEntries(env.map(v => [v.name, v.value]));
}

test('the default test image is Node.js 22 pinned by digest, and syft by version and SHA-256', () => {
  expect(DEFAULT_TEST_IMAGE).toMatch(PINNED_IMAGE);
  expect(DEFAULT_TEST_IMAGE).toContain(`/node:${NODE_MAJOR_VERSION}-`);
  expect(SYFT_PIN.sha256).toMatch(SHA256_HEX);
});

test('the build project carries the pins and the expected scan type', () => {
  expect(build()).toMatchObject({
    TEST_IMAGE: DEFAULT_TEST_IMAGE, SYFT_VERSION: SYFT_PIN.version, SYFT_SHA256: SYFT_PIN.sha256, EXPECTED_SCAN_TYPE: 'BASIC',
  });
  expect(build({ scanType: 'ENHANCED' }).EXPECTED_SCAN_TYPE).toBe('ENHANCED');
});

test.each([
  ['a test image by tag', { testImage: 'public.ecr.aws/docker/library/node:22' }, /testImage must be pinned by digest.*received "public.ecr.aws\/docker\/library\/node:22"/],
  ['a short syft digest', { syft: { version: '1.46.0', sha256: 'abc' } }, /syft.sha256 must be the archive's SHA-256/],
  ['a syft version that is not one', { syft: { version: 'latest', sha256: SYFT_PIN.sha256 } }, /syft.version must look like 1.46.0, received "latest"/],
])('refuses %s at synth', (_, props, message) => {
  expect(() => build(props)).toThrow(message);
});
