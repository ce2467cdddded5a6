/**
 * Service quotas against what the registry will create in an account and region: pipelines in the
 * tooling region, and per environment a VPC, its NAT gateways' Elastic IPs and an ECS cluster with
 * its one service. Resources outside Springboard count against the same quotas, so a plan above
 * 80% of a quota is a warning and one above it a failure.
 */
import { ListServiceQuotasCommand, type ListServiceQuotasCommandOutput, type ServiceQuota } from '@aws-sdk/client-service-quotas';
import type { PlaceContext } from './place';
import { fail, type Finding, ok, warn } from './types';

export interface QuotaSpec {
  readonly label: string;
  readonly serviceCode: string;
  /** Service Quotas' code, where it is stable and known. */
  readonly quotaCode?: string;
  /** The quota's name, to find it when no code is given. */
  readonly name: RegExp;
  /** AWS's documented default, when Service Quotas lists no applied value. */
  readonly awsDefault: number;
}

export const QUOTAS = {
  pipelines: { label: 'CodePipeline pipelines per region', serviceCode: 'codepipeline', name: /pipelines per region/i, awsDefault: 1000 },
  vpcs: { label: 'VPCs per region', serviceCode: 'vpc', quotaCode: 'L-F678F1CE', name: /^VPCs per Region$/i, awsDefault: 5 },
  elasticIps: { label: 'Elastic IP addresses per region', serviceCode: 'ec2', quotaCode: 'L-0263D0A3', name: /Elastic IPs/i, awsDefault: 5 },
  ecsClusters: { label: 'ECS clusters (one service each) per region', serviceCode: 'ecs', quotaCode: 'L-21C621EB', name: /^Clusters per account$/i, awsDefault: 10_000 },
} as const satisfies Record<string, QuotaSpec>;

export type QuotaKey = keyof typeof QUOTAS;

/** Share of a quota above which the plan is a warning. */
export const QUOTA_WARN_SHARE = 0.8;

const G = 'quotas';

async function appliedQuota(ctx: PlaceContext, spec: QuotaSpec): Promise<ServiceQuota | undefined> {
  let token: string | undefined;
  do {
    const page = await ctx.send<ListServiceQuotasCommandOutput>('service-quotas', new ListServiceQuotasCommand({ ServiceCode: spec.serviceCode, NextToken: token, MaxResults: 100 }));
    const found = (page.Quotas ?? []).find(q => (spec.quotaCode ? q.QuotaCode === spec.quotaCode : spec.name.test(q.QuotaName ?? '')));
    if (found) return found;
    token = page.NextToken;
  } while (token);
  return undefined;
}

export async function checkQuota(ctx: PlaceContext, spec: QuotaSpec, planned: number): Promise<Finding> {
  const quota = await appliedQuota(ctx, spec);
  const limit = quota?.Value ?? spec.awsDefault;
  const source = quota ? 'applied' : 'AWS default; Service Quotas lists no applied value';
  const detail = `the registry plans ${planned} of ${limit} (${source})`;
  const code = quota?.QuotaCode ?? spec.quotaCode ?? '<code from aws service-quotas list-service-quotas>';
  const increase = `aws service-quotas request-service-quota-increase --service-code ${spec.serviceCode} --quota-code ${code} --desired-value ${Math.ceil(planned / QUOTA_WARN_SHARE) + 1} --region ${ctx.region} (credentials for ${ctx.account})`;
  if (planned > limit) return fail(G, spec.label, `${detail}: deploys past the quota fail`, increase);
  if (planned > limit * QUOTA_WARN_SHARE) return warn(G, spec.label, `${detail}: above ${QUOTA_WARN_SHARE * 100}%, and other workloads share the quota`, increase);
  return ok(G, spec.label, detail);
}
