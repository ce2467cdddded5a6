/**
 * A team's AWS Budget on the `Team` cost-allocation tag, with forecast alerts at 80% and 100% to
 * the owner. A budget sees the spend of the account it lives in; only the payer (management)
 * account sees every linked account. So: when the tooling account is the payer, one budget per
 * team lives there (in its delivery stack); otherwise every account holding one of the team's
 * environments gets a budget of its own, in the first of the team's environment stacks there.
 */
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';
import { budgetName } from './names';
import { partitionOf, TAG_KEYS } from '../contract';
import type { Contact, EnvironmentSpec, PlatformSettings, TeamSpec } from '../registry/types';

/** Forecast thresholds, in percent of the monthly limit, that e-mail the owner. */
export const BUDGET_FORECAST_ALERTS = [80, 100] as const;

export interface TeamBudgetProps {
  readonly teamId: string;
  readonly monthlyUsd: number;
  readonly owner: Contact;
  /**
   * Account whose spend the budget sees, for its description.
   * @default - every linked account (the budget is in the payer account)
   */
  readonly accountScope?: string;
  /**
   * Tags of the budget (Budgets does not take tags from the stack's tag aspect).
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class TeamBudget extends Construct {
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: TeamBudgetProps) {
    super(scope, id);
    if (!(props.monthlyUsd > 0)) throw new Error(`budget of team ${props.teamId} must be a positive number of US dollars, received ${props.monthlyUsd}`);
    this.budget = new CfnBudget(this, 'Budget', {
      budget: {
        budgetName: budgetName(props.teamId),
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyUsd, unit: 'USD' },
        // Cost allocation tags are filtered as `user:<key>$<value>`; the tag must be activated in the payer account.
        costFilters: { TagKeyValue: [`user:${TAG_KEYS.team}$${props.teamId}`] },
      },
      notificationsWithSubscribers: BUDGET_FORECAST_ALERTS.map(threshold => ({
        notification: { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
        subscribers: [{ subscriptionType: 'EMAIL', address: props.owner.email }],
      })),
      resourceTags: Object.entries(props.tags ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value })),
    });
  }
}

/** Where a team's budget lives. */
export type BudgetPlacement = 'tooling' | 'environment' | 'none';

/**
 * For one environment stack: `environment` when this stack holds the team's budget for its account,
 * `tooling` when the team's only budget is in the tooling (payer) account, else `none`. GovCloud
 * accounts are billed through their paired commercial account, where Budgets runs, so they get none.
 */
export function budgetPlacement(team: TeamSpec, env: EnvironmentSpec, platform: PlatformSettings): BudgetPlacement {
  if (payerIsTooling(platform)) return 'tooling';
  if (inGovCloud(env.region)) return 'none';
  const first = team.environments.find(e => e.account === env.account && !inGovCloud(e.region));
  return first === env ? 'environment' : 'none';
}

/** Whether the tooling account is the payer, and so sees every team's spend. */
export function payerIsTooling(platform: PlatformSettings): boolean {
  return platform.payerAccount !== undefined && platform.payerAccount === platform.tooling.account;
}

function inGovCloud(region: string): boolean {
  return partitionOf(region) === 'aws-us-gov';
}
