/**
 * Cost for a period from Cost Explorer, grouped by the `Team` and `Environment` cost-allocation
 * tags over the accounts Springboard uses. Cost Explorer is answered by the payer account and
 * charged per request, so this is one `GetCostAndUsage` request per period, followed only by the
 * continuation pages Cost Explorer itself returns (`NextPageToken`): never a request per team.
 */
import { GetCostAndUsageCommand, type GetCostAndUsageCommandInput, type GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import type { CostPeriod } from './period';
import { TAG_KEYS } from '../../contract';
import type { CountingApi } from '../history';

/** The cost metric, as AWS Budgets' COST budgets count it by default. */
export const COST_METRIC = 'UnblendedCost';

export interface TaggedCost {
  /** Empty when the resource had no `Team` tag. */
  readonly team: string;
  /** Empty when the resource had no `Environment` tag. */
  readonly environment: string;
  readonly usd: number;
}

export interface CostAnswer {
  readonly lines: readonly TaggedCost[];
  /** Requests made (the first page and its continuations). */
  readonly requests: number;
  readonly unit: string;
}

export function costRequest(period: CostPeriod, accounts: readonly string[], nextPageToken?: string): GetCostAndUsageCommandInput {
  return {
    TimePeriod: { Start: period.start, End: period.end },
    Granularity: 'MONTHLY',
    Metrics: [COST_METRIC],
    Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [...accounts] } },
    GroupBy: [{ Type: 'TAG', Key: TAG_KEYS.team }, { Type: 'TAG', Key: TAG_KEYS.environment }],
    NextPageToken: nextPageToken,
  };
}

/** `Team$benefits-screener` → `benefits-screener`; `Team$` (untagged) → ``. */
function tagValue(key: string | undefined, tag: string): string {
  const prefix = `${tag}$`;
  return key?.startsWith(prefix) ? key.slice(prefix.length) : '';
}

export async function readTaggedCost(ce: CountingApi, period: CostPeriod, accounts: readonly string[]): Promise<CostAnswer> {
  const lines: TaggedCost[] = [];
  let token: string | undefined;
  let requests = 0;
  let unit = 'USD';
  do {
    const page = await ce.send<GetCostAndUsageCommandOutput>(new GetCostAndUsageCommand(costRequest(period, accounts, token)));
    requests++;
    for (const result of page.ResultsByTime ?? []) {
      for (const group of result.Groups ?? []) {
        const metric = group.Metrics?.[COST_METRIC];
        if (!metric?.Amount) continue;
        unit = metric.Unit ?? unit;
        lines.push({
          team: tagValue(group.Keys?.[0], TAG_KEYS.team),
          environment: tagValue(group.Keys?.[1], TAG_KEYS.environment),
          usd: Number(metric.Amount),
        });
      }
    }
    token = page.NextPageToken;
  } while (token);
  return { lines, requests, unit };
}
