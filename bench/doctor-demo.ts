/**
 * Runs `springboard doctor` on the example registry against the local stand-in of AWS
 * (test/support/aws-stand-in/accounts.ts): the tooling account bootstrapped, the dev account's
 * CloudFormation throttling, the prod account without its reader role, every other read refused.
 * docs/first-deploy.md shows its output. Usage: npx tsx bench/doctor-demo.ts [--json]
 */
import { runCli } from '../lib/cli';
import { processIo } from '../lib/cli/io';
import { startAccountsStandIn } from '../test/support/aws-stand-in/accounts';
import { SECRETS } from '../test/support/fleet/env';

async function main(): Promise<void> {
  const fake = await startAccountsStandIn('111111111111', {
    111111111111: { bootstrap: { status: 'UPDATE_COMPLETE', version: 27, trustedAccounts: [] } },
    222222222222: { throttle: ['cloudformation:DescribeStacks'] },
    333333333333: { missingRole: true },
  });
  process.env.AWS_ENDPOINT_URL = fake.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  try {
    process.exitCode = await runCli(['doctor', ...process.argv.slice(2)], processIo(), { doctorAws: { credentials: SECRETS } });
  } finally {
    await fake.close();
  }
}

void main();
