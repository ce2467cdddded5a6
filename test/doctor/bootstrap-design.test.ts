/**
 * Doctor's bootstrap expectations are the bootstrap generator's (`springboard bootstrap`,
 * lib/platform-pipeline/bootstrap.ts), not a copy: for every account and region doctor checks in
 * the example registry, the remedy it prints is the generator's command; and every role of the
 * generated templates that trusts other accounts, deployed as that command deploys it, passes
 * doctor's trust check. Mutations: the same roles deployed without the command's --trust, or
 * trusting one more account, fail it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import { DoctorAws } from '../../lib/doctor/aws';
import { trustProblems } from '../../lib/doctor/bootstrap-design';
import { planChecks } from '../../lib/doctor/plan';
import { contextFor } from '../../lib/doctor/run';
import { BOOTSTRAP_TEMPLATES, bootstrapCommands, TRUSTING_ROLES } from '../../lib/platform-pipeline/bootstrap';
import { loadRegistry } from '../../lib/registry';
import { deployedTrust } from '../support/bootstrap-trust';
import { SECRETS } from '../support/fleet/env';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

const REG = loadRegistry(EXAMPLE_REGISTRY);
const TOOLING = REG.platform.tooling.account;
const COMMANDS = bootstrapCommands(REG);
const template = (file: string) => parse(fs.readFileSync(path.join(__dirname, '..', '..', file), 'utf8'));
/** The accounts a generated command trusts, read from the command itself. */
const trustedBy = (command: string) => [...command.matchAll(/--trust (\d{12})/g)].map(m => m[1]);

const aws = new DoctorAws({ toolingAccount: TOOLING, toolingRegion: 'us-east-1', credentials: SECRETS, noAssumeRole: true, maxAttempts: 1 });
const cloudFormation = mockClient(CloudFormationClient);
afterAll(() => {
  cloudFormation.restore();
  aws.destroy();
});

test('the remedy of a missing bootstrap is springboard bootstrap\'s command, for every place doctor checks', async () => {
  cloudFormation.onAnyCommand().rejects(Object.assign(new Error('Stack with id CDKToolkit does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } }));
  const checks = planChecks(REG, { requiredVersion: 6, versionSource: 'test' }).checks.filter(c => c.group === 'bootstrap');
  expect(checks.length).toBeGreaterThan(0);
  expect(new Set(COMMANDS.map(c => c.kind))).toEqual(new Set(['prod', 'non-prod']));
  for (const check of checks) {
    const [row] = await check.run(contextFor(aws, check.account, check.region));
    const generated = COMMANDS.find(c => c.account === check.account && c.region === check.region);
    expect([check.account, row.status, row.remedy]).toEqual([check.account, 'fail', generated?.command]);
  }
});

describe.each(COMMANDS.map(c => [`${c.account}/${c.region} (${c.kind})`, c] as const))('bootstrapped as generated: %s', (_, c) => {
  const generated = template(BOOTSTRAP_TEMPLATES[c.kind]);

  test.each([...TRUSTING_ROLES])('%s passes doctor\'s trust check', (role) => {
    const trust = deployedTrust(generated, role, c.account, trustedBy(c.command));
    expect(trustProblems(JSON.stringify(trust), c.account, TOOLING)).toEqual([]);
  });

  test('mutation: without the command\'s --trust, or trusting one more account, the deploy role fails it', () => {
    const problems = (trusted: string[]) => trustProblems(JSON.stringify(deployedTrust(generated, 'DeploymentActionRole', c.account, trusted)), c.account, TOOLING);
    expect(problems([...trustedBy(c.command), '999999999999'])).toEqual([expect.stringContaining('also trusts 999999999999')]);
    if (c.account !== TOOLING) expect(problems([])).toEqual([expect.stringContaining(`does not trust the tooling account ${TOOLING}`)]);
  });
});
