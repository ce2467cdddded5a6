/**
 * The scorecard's reads beyond DORA and vulnerabilities: the prod release record (SSM), alarms in
 * ALARM (CloudWatch), the team's budget (AWS Budgets) and accepted compliance findings (the
 * compliance report in the cloud assembly, read locally).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BudgetsClient, DescribeBudgetCommand, type DescribeBudgetCommandOutput } from '@aws-sdk/client-budgets';
import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { DescribeParametersCommand, type DescribeParametersCommandOutput, SSMClient } from '@aws-sdk/client-ssm';
import {
  COMPLIANCE_REPORT_FILE, deliveryStackName, environmentStackName, PLATFORM_PREFIX, partitionOf, releaseParameterName, teamPlatformPipelineStackName,
} from '../../contract';
import type { ServiceClientClass } from '../client-factory';
import { unwrapSdkError } from '../pacing';
import type { Portfolio, PortfolioTeam } from '../portfolio/teams';
import { prodEnvironment } from '../portfolio/teams';
import type { TeamCalls } from '../vulns/collect';

export interface ProdRelease {
  /** When the prod release record was last written; null before the first release. */
  readonly releasedAt: Date | null;
  /** `template.version` recorded with the release (see RELEASE_DESCRIPTION in lib/contract); null when not recorded. */
  readonly templateVersion: string | null;
}

/** The prod release record's metadata: one DescribeParameters call in the prod account. */
export async function readProdRelease(calls: TeamCalls, team: PortfolioTeam): Promise<ProdRelease> {
  const env = prodEnvironment(team);
  const ssm = calls.open(SSMClient as unknown as ServiceClientClass, env);
  const name = releaseParameterName(team.id, env.name);
  const out = await ssm.send<DescribeParametersCommandOutput>(new DescribeParametersCommand({
    ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
  }));
  const record = out.Parameters?.find((p) => p.Name === name);
  if (!record) throw new Error(`release record ${name} not found in account ${env.account} ${env.region} (is the baseline deployed?)`);
  const released = (record.Version ?? 1) > 1 || record.Description !== undefined;
  return { releasedAt: released ? record.LastModifiedDate ?? null : null, templateVersion: templateVersionOf(record.Description) };
}

/** The template version in a release record's description (JSON written by the Verify step), or null. */
export function templateVersionOf(description: string | undefined): string | null {
  if (!description) return null;
  try {
    const parsed = JSON.parse(description) as { template?: { version?: unknown } | null };
    return typeof parsed.template?.version === 'string' ? parsed.template.version : null;
  } catch {
    return null;
  }
}

const SEVERITIES = new Set(['critical', 'warning']);

/** The team's metric alarms in ALARM in every environment and in its delivery scope (tooling account). */
export async function readAlarmsInAlarm(calls: TeamCalls, portfolio: Portfolio, team: PortfolioTeam): Promise<string[]> {
  const scopes = [
    ...team.environments.map((e) => ({ scope: e.name, location: { account: e.account, region: e.region } })),
    { scope: 'delivery', location: portfolio.tooling },
  ];
  const names: string[] = [];
  for (const { scope, location } of scopes) {
    const cw = calls.open(CloudWatchClient as unknown as ServiceClientClass, location);
    const prefix = `${PLATFORM_PREFIX}-${team.id}-${scope}-`;
    let token: string | undefined;
    do {
      const page = await cw.send<DescribeAlarmsCommandOutput>(new DescribeAlarmsCommand({
        StateValue: 'ALARM', AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken: token,
      }));
      // The prefix of team `a` also matches team `a-b`'s alarms; keep names whose next segment is a severity.
      for (const alarm of page.MetricAlarms ?? []) {
        const rest = alarm.AlarmName?.slice(prefix.length) ?? '';
        if (alarm.AlarmName?.startsWith(prefix) && SEVERITIES.has(rest.split('-')[0])) names.push(alarm.AlarmName);
      }
      token = page.NextToken;
    } while (token);
  }
  return names.sort();
}

/** Accounts holding the team's budget: the tooling account when it is the payer, else each environment account outside GovCloud. */
export function budgetAccounts(portfolio: Portfolio, team: PortfolioTeam): string[] {
  if (portfolio.payerAccount !== undefined && portfolio.payerAccount === portfolio.tooling.account) return [portfolio.tooling.account];
  return [...new Set(team.environments.filter((e) => partitionOf(e.region) === 'aws').map((e) => e.account))];
}

export interface BudgetUse {
  readonly actualUsd: number;
  readonly limitUsd: number;
  readonly percent: number;
}

/** Actual spend this month over the team's budgets (AWS Budgets, served from us-east-1), against the registry's monthly budget. */
export async function readBudgetUse(calls: TeamCalls, portfolio: Portfolio, team: PortfolioTeam, budgetName: string): Promise<BudgetUse | null> {
  const accounts = budgetAccounts(portfolio, team);
  if (accounts.length === 0) return null;
  let actual = 0;
  for (const account of accounts) {
    const budgets = calls.open(BudgetsClient as unknown as ServiceClientClass, { account, region: 'us-east-1' });
    try {
      const out = await budgets.send<DescribeBudgetCommandOutput>(new DescribeBudgetCommand({ AccountId: account, BudgetName: budgetName }));
      actual += Number(out.Budget?.CalculatedSpend?.ActualSpend?.Amount ?? 0);
    } catch (error) {
      if (unwrapSdkError(error).name === 'NotFoundException') throw new Error(`budget ${budgetName} not found in account ${account} (is the team's stack deployed?)`);
      throw error;
    }
  }
  const actualUsd = Math.round(actual * 100) / 100;
  return { actualUsd, limitUsd: team.budgetMonthlyUsd, percent: Math.round((actualUsd / team.budgetMonthlyUsd) * 10000) / 100 };
}

/** Acknowledged and disabled-rule findings per team from the assembly's compliance report; undefined when there is none. */
export function readAcceptedFindings(assembly: string, teams: readonly PortfolioTeam[]): Map<string, number> | undefined {
  const file = path.join(assembly, COMPLIANCE_REPORT_FILE);
  if (!fs.existsSync(file)) return undefined;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { findings?: Array<{ stack?: string; status?: string }> };
  const owner = new Map<string, string>();
  for (const team of teams) {
    for (const env of team.environments) owner.set(environmentStackName(team.id, env.name), team.id);
    owner.set(deliveryStackName(team.id), team.id);
    owner.set(teamPlatformPipelineStackName(team.id), team.id);
  }
  const counts = new Map(teams.map((t) => [t.id, 0]));
  for (const f of report.findings ?? []) {
    const team = f.stack ? owner.get(f.stack) : undefined;
    if (team && (f.status === 'acknowledged' || f.status === 'disabled')) counts.set(team, counts.get(team)! + 1);
  }
  return counts;
}
