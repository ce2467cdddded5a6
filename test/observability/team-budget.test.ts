/** Budgets: one per team on the Team cost-allocation tag, forecast alerts to the owner, placed where the spend is visible. */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { TeamBudget, budgetPlacement } from '../../lib/observability';
import { TOOLING_ACCOUNT, platformSettings, team } from '../support/registry-fixtures';

const teams = [team('apply'), team('pay'), team('renew')];

test('one budget per team, filtered by its Team tag, alerting the owner at 80% and 100% of forecast', () => {
  const stack = new Stack(createApp(), 'budgets');
  for (const t of teams) new TeamBudget(stack, t.id, { teamId: t.id, monthlyUsd: t.budget.monthlyUsd, owner: t.contacts.owner });
  const budgets = Object.values<any>(Template.fromStack(stack).toJSON().Resources).filter(r => r.Type === 'AWS::Budgets::Budget');
  expect(budgets.map(b => b.Properties.Budget.BudgetName)).toEqual(['springboard-apply', 'springboard-pay', 'springboard-renew']);
  for (const [i, b] of budgets.entries()) {
    const t = teams[i];
    expect(b.Properties.Budget).toMatchObject({
      BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 1500, Unit: 'USD' }, CostFilters: { TagKeyValue: [`user:Team$${t.id}`] },
    });
    expect(b.Properties.NotificationsWithSubscribers).toEqual([80, 100].map(threshold => ({
      Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' },
      Subscribers: [{ SubscriptionType: 'EMAIL', Address: t.contacts.owner.email }],
    })));
  }
});

test('rejects a budget that is not a positive amount', () => {
  expect(() => new TeamBudget(new Stack(), 'b', { teamId: 'pay', monthlyUsd: 0, owner: teams[0].contacts.owner }))
    .toThrow('budget of team pay must be a positive number of US dollars, received 0');
});

describe('placement', () => {
  const t = teams[1];
  const [dev, staging, prod] = t.environments;

  test('without a payer tooling account: the first environment of each account holds that account\'s budget', () => {
    const platform = platformSettings();
    expect([dev, staging, prod].map(e => budgetPlacement(t, e, platform))).toEqual(['environment', 'none', 'environment']);
  });

  test('when the tooling account is the payer: one budget in tooling, none in the environments', () => {
    const platform = platformSettings({ payerAccount: TOOLING_ACCOUNT });
    expect([dev, staging, prod].map(e => budgetPlacement(t, e, platform))).toEqual(['tooling', 'tooling', 'tooling']);
  });

  test('GovCloud environments get none (Budgets runs in the paired commercial account)', () => {
    const gov = { ...t, environments: t.environments.map(e => ({ ...e, region: 'us-gov-west-1' })) };
    expect(gov.environments.map(e => budgetPlacement(gov, e, platformSettings()))).toEqual(['none', 'none', 'none']);
  });
});
