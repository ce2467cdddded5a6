/** What doctor checks where, from the registry alone (no AWS). */
import { connectionUses, planChecks, plannedUse } from '../../lib/doctor/plan';
import { loadRegistry } from '../../lib/registry';
import { platformSettings, registry, team } from '../support/registry-fixtures';

const NEEDS = { requiredVersion: 8, versionSource: 'test' };

describe('the example registry', () => {
  const example = loadRegistry('teams');
  const plan = planChecks(example, NEEDS);
  const where = (group: string) => plan.checks.filter(c => c.group === group).map(c => `${c.account}/${c.region}`).sort();

  test('every account it uses, tooling first, each with what it is to the platform', () => {
    expect(plan.accounts.map(a => [a.account, a.roles.join('; ')])).toEqual([
      ['111111111111', 'tooling'],
      ['222222222222', 'environments benefits-screener-dev, benefits-screener-staging'],
      ['333333333333', 'environments benefits-screener-prod'],
    ]);
  });

  test('bootstrap and organisation controls in every account and region; a sink in tooling, links elsewhere', () => {
    expect(where('bootstrap')).toEqual(['111111111111/us-east-1', '222222222222/us-east-1', '333333333333/us-east-1']);
    expect(where('org-controls')).toHaveLength(12);
    expect(plan.checks.filter(c => c.group === 'observability').map(c => `${c.account}:${c.check}`)).toEqual(['111111111111:sink', '222222222222:link', '333333333333:link']);
  });

  test('each environment\'s alert topic in its account, the delivery topic in tooling; the connections the registry names', () => {
    expect(plan.checks.filter(c => c.group === 'notifications').map(c => `${c.account}:${c.check}`).sort()).toEqual([
      '111111111111:springboard-benefits-screener-delivery', '222222222222:springboard-benefits-screener-dev-alerts',
      '222222222222:springboard-benefits-screener-staging-alerts', '333333333333:springboard-benefits-screener-prod-alerts',
    ]);
    expect(connectionUses(example).map(u => [u.arn.split(':')[2], u.usedBy.length])).toEqual([['codeconnections', 1], ['codeconnections', 1]]);
  });

  test('without payerAccount, one warning row in the tooling account says how to name it', () => {
    expect(plan.staticRows).toEqual([expect.objectContaining({ account: '111111111111', finding: expect.objectContaining({ status: 'warn', remedy: expect.stringContaining('payerAccount') }) })]);
  });
});

describe('planned quota use', () => {
  const shared = team('a');
  const reg = registry([shared, team('b')], platformSettings({ payerAccount: '999999999999' }));

  test('per environment a VPC, an ECS cluster and its NAT gateways\' Elastic IPs (two in prod); pipelines in the tooling region', () => {
    expect(plannedUse(reg, { account: '222222222222', region: 'us-east-1' })).toEqual([['vpcs', 4], ['elasticIps', 4], ['ecsClusters', 4]]);
    expect(plannedUse(reg, { account: '333333333333', region: 'us-east-1' })).toEqual([['vpcs', 2], ['elasticIps', 4], ['ecsClusters', 2]]);
    expect(plannedUse(reg, { account: '111111111111', region: 'us-east-1' })).toEqual([['pipelines', 2]]);
  });

  test('a payer account gets the cost-tag check, assumed like any other account', () => {
    const plan = planChecks(reg, NEEDS);
    expect(plan.staticRows).toEqual([]);
    expect(plan.checks.filter(c => c.group === 'cost-tags').map(c => c.account)).toEqual(['999999999999']);
    expect(plan.accounts.find(a => a.account === '999999999999')?.roles).toEqual(['payer']);
  });
});
