/**
 * The one place where a team's FIPS 199 data classification becomes controls. docs/classification.md
 * explains the table; change both together.
 */
import { SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { DataClassification } from '../registry/types';

export interface ClassificationControls {
  /** TLS policy of the load balancer's HTTPS listener. */
  readonly sslPolicy: SslPolicy;
  /**
   * Whether every environment serves HTTPS only (a certificate, or an internal load balancer).
   * Prod serves HTTPS only at every level.
   */
  readonly httpsEverywhere: boolean;
  /** Whether a WAF web ACL (with its rate-based rule, lib/environment/web-acl.ts) must protect the load balancer. */
  readonly webAclRequired: boolean;
  /** AWS managed rule groups of the web ACL, in priority order. */
  readonly managedRuleGroups: readonly string[];
  /** Fewest days logs stay searchable in CloudWatch, in every environment. */
  readonly minSearchableDays: number;
}

const BASE_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'];

export const CLASSIFICATION_CONTROLS: Readonly<Record<DataClassification, ClassificationControls>> = {
  low: {
    sslPolicy: SslPolicy.RECOMMENDED_TLS,
    httpsEverywhere: false,
    webAclRequired: false,
    managedRuleGroups: [],
    minSearchableDays: 30,
  },
  moderate: {
    sslPolicy: SslPolicy.FIPS_TLS13_12_EXT2,
    httpsEverywhere: true,
    webAclRequired: true,
    managedRuleGroups: BASE_RULE_GROUPS,
    minSearchableDays: 90,
  },
  high: {
    // Restricted FIPS ciphers: TLS 1.3 and 1.2 with forward-secret AEAD suites only.
    sslPolicy: SslPolicy.FIPS_TLS13_12_RES,
    httpsEverywhere: true,
    webAclRequired: true,
    managedRuleGroups: [...BASE_RULE_GROUPS, 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesAnonymousIpList'],
    minSearchableDays: 731,
  },
};

/** Production logs stay searchable at least a year (OMB M-21-31 active storage). */
export const PROD_MIN_SEARCHABLE_DAYS = 365;

export function controlsFor(classification: DataClassification): ClassificationControls {
  const controls = CLASSIFICATION_CONTROLS[classification];
  if (!controls) {
    throw new Error(`data classification must be one of ${Object.keys(CLASSIFICATION_CONTROLS).join(', ')}, received "${String(classification)}"`);
  }
  return controls;
}

const RETENTION_STEPS = (Object.values(RetentionDays).filter(v => typeof v === 'number') as number[])
  .filter(v => v !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/**
 * Searchable retention of an environment's log groups: the platform setting, raised to the
 * classification's and prod's minimum, rounded up to a value CloudWatch Logs accepts.
 */
export function searchableRetention(platformDays: number, classification: DataClassification, isProd: boolean): RetentionDays {
  const wanted = Math.max(platformDays, controlsFor(classification).minSearchableDays, isProd ? PROD_MIN_SEARCHABLE_DAYS : 0);
  const step = RETENTION_STEPS.find(v => v >= wanted);
  if (step === undefined) {
    throw new Error(`log retention of ${wanted} days exceeds the longest CloudWatch Logs retention (${RETENTION_STEPS[RETENTION_STEPS.length - 1]} days)`);
  }
  return step as RetentionDays;
}
