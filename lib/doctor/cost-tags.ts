/**
 * Cost-allocation tags in the payer account: the contract's cost tags must be active, or every team
 * budget (filtered on the Team tag) reports zero. Only the payer account can see or activate them,
 * so the registry names it (`payerAccount` in _platform.yaml); without it this is a warning.
 */
import { ListCostAllocationTagsCommand, type ListCostAllocationTagsCommandOutput } from '@aws-sdk/client-cost-explorer';
import type { PlaceContext } from './place';
import { fail, type Finding, ok, warn } from './types';
import { TAG_KEYS } from '../contract';

const G = 'cost-tags';

/** The tag keys budgets and cost reports group by. */
export const COST_TAG_KEYS: readonly string[] = [TAG_KEYS.team, TAG_KEYS.environment, TAG_KEYS.costCenter, TAG_KEYS.programOffice];

/** The region of the Cost Explorer API (one endpoint per partition). */
export function costExplorerRegion(partition: string): string {
  return partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1';
}

export function missingPayerAccount(): Finding {
  return warn(G, 'payer account', 'the registry names no payer account, so cost-allocation tags cannot be checked; until they are active every team budget reports zero',
    'add payerAccount: "<12-digit management account>" to teams/_platform.yaml (docs/registry.md), deploy its reader role, and run doctor again');
}

export async function checkCostTags(ctx: PlaceContext): Promise<Finding[]> {
  const send = ctx.sendIn(costExplorerRegion(ctx.partition));
  const out = await send<ListCostAllocationTagsCommandOutput>('cost-explorer', new ListCostAllocationTagsCommand({ TagKeys: [...COST_TAG_KEYS], Type: 'UserDefined', MaxResults: 100 }));
  const byKey = new Map((out.CostAllocationTags ?? []).map(t => [t.TagKey, t.Status]));
  const activate = (key: string) => `aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${key},Status=Active (payer account ${ctx.account}), `
    + 'or Billing and Cost Management, Cost allocation tags, select the key, Activate';
  return COST_TAG_KEYS.map((key) => {
    const status = byKey.get(key);
    if (status === 'Active') return ok(G, key, 'active for cost allocation');
    if (status === undefined) {
      return warn(G, key, 'not seen yet: AWS lists a tag key only once a resource carries it (up to a day after the first deploy)', `after the first team deploy, ${activate(key)}`);
    }
    return fail(G, key, `${status}: budgets and cost reports grouped by ${key} show nothing`, activate(key));
  });
}
