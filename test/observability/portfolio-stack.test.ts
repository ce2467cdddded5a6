/** The portfolio: a row per team of a three-team, two-account registry, deterministic, paged. */
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { PortfolioStack, healthAlarmName } from '../../lib/observability';
import { DEV_ACCOUNT, PROD_ACCOUNT, registry, team } from '../support/registry-fixtures';

const reg = registry([team('apply', { withDatabase: true }), team('pay'), team('renew', { environments: ['dev', 'prod'] })]);

function synth(teamsPerPage?: number): { json: any; bodies: string[] } {
  const stack = new PortfolioStack(createApp(), 'portfolio', { registry: reg, teamsPerPage });
  const json = Template.fromStack(stack).toJSON();
  const bodies = Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::CloudWatch::Dashboard')
    .map(r => JSON.stringify(r.Properties.DashboardBody));
  return { json, bodies };
}

const full = synth();

test('lives in the tooling account under the contract\'s fleet-wide stack name', () => {
  const stack = new PortfolioStack(createApp(), 'p', { registry: reg });
  expect(stack.stackName).toBe('springboard-platform-portfolio');
  expect(stack.account).toBe('111111111111');
});

test('names every team and shows each environment\'s health alarm in its own account', () => {
  const text = full.bodies.join('');
  for (const t of reg.teams) {
    expect(text).toContain(`### ${t.id}`);
    for (const e of t.environments) {
      const account = e.isProd ? PROD_ACCOUNT : DEV_ACCOUNT;
      expect(text).toContain(`:cloudwatch:us-east-1:${account}:alarm:${healthAlarmName(t.id, e.name, e.isProd)}`);
    }
    expect(text).toContain(`springboard-${t.id}-delivery-warning-buildFailures`);
    expect(text).toContain(`springboard-${t.id}-pipeline-failed`);
  }
});

test('reads prod running tasks through cross-account observability (account-scoped search)', () => {
  expect(full.bodies.join('')).toContain(`ClusterName=\\\\\\"springboard-pay-prod\\\\\\" :aws.AccountId=\\\\\\"${PROD_ACCOUNT}\\\\\\"`);
});

test('is deterministic', () => {
  expect(JSON.stringify(synth().json)).toBe(JSON.stringify(full.json));
});

test('pages the fleet by sorted team id', () => {
  const paged = synth(2);
  expect(paged.bodies).toHaveLength(2);
  expect(paged.bodies[0]).toContain('### apply');
  expect(paged.bodies[0]).toContain('### pay');
  expect(paged.bodies[1]).toContain('### renew');
  expect(() => synth(0)).toThrow('portfolio teamsPerPage must be a whole number from 1 to 100, received 0');
});
