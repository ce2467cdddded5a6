/**
 * The `--json` contracts of `fleet scorecard`, `fleet vulns`, `fleet cost` and `fleet portfolio`
 * (docs/portfolio.md), as strict schemas: the renderers' output is checked against them in
 * test/fleet/portfolio.test.ts and test/fleet/portfolio-office.test.ts, so a field added, dropped
 * or retyped fails there before it reaches a consumer.
 */
import { z } from 'zod';

const level = z.enum(['green', 'unknown', 'amber', 'red']);
const levelCounts = z.strictObject({ green: z.number().int(), unknown: z.number().int(), amber: z.number().int(), red: z.number().int() });
const instant = z.iso.datetime();
const criterion = z.strictObject({ value: z.union([z.string(), z.number(), z.null()]), level, detail: z.string().optional() });
const criteria = z.strictObject({
  dora: criterion,
  templateCurrency: criterion,
  prodReleaseAge: criterion,
  acknowledgedFindings: criterion,
  alarmsInAlarm: criterion,
  budgetUse: criterion,
  criticalVulnerabilities: criterion,
});

export const scorecardJsonSchema = z.strictObject({
  generatedAt: instant,
  since: instant,
  until: instant,
  templatesVersion: z.string(),
  thresholds: z.record(z.string(), z.unknown()),
  teams: z.array(z.strictObject({
    team: z.string(), programOffice: z.string(), level, criteria, errors: z.array(z.string()),
  })),
  offices: z.array(z.strictObject({
    programOffice: z.string(),
    teams: z.number().int(),
    level,
    levels: z.strictObject({ ...Object.fromEntries(Object.keys(criteria.shape).map((k) => [k, levelCounts])), overall: levelCounts }),
  })),
});

const counts = z.strictObject({
  CRITICAL: z.number().int(),
  HIGH: z.number().int(),
  MEDIUM: z.number().int(),
  LOW: z.number().int(),
  INFORMATIONAL: z.number().int(),
  UNDEFINED: z.number().int(),
});

export const vulnsJsonSchema = z.strictObject({
  generatedAt: instant,
  criticalMaxAgeDays: z.number(),
  environments: z.array(z.strictObject({
    team: z.string(),
    programOffice: z.string(),
    environment: z.string(),
    isProd: z.boolean(),
    imageUri: z.string().nullable(),
    digest: z.string().nullable(),
    scan: z.strictObject({
      state: z.enum(['complete', 'missing', 'failed', 'pending']), status: z.string(), completedAt: instant.nullable(), enhanced: z.boolean(),
    }).nullable(),
    counts: counts.nullable(),
    criticalAgesDays: z.array(z.number()),
    overdue: z.boolean(),
    error: z.string().optional(),
  })),
});

const usdByEnv = z.record(z.string(), z.number());
export const costJsonSchema = z.strictObject({
  period: z.strictObject({ start: z.iso.date(), end: z.iso.date(), month: z.string(), partial: z.boolean() }),
  metric: z.literal('UnblendedCost'),
  accounts: z.array(z.string()),
  requests: z.number().int(),
  teams: z.array(z.strictObject({
    team: z.string(),
    programOffice: z.string(),
    byEnvironment: usdByEnv,
    totalUsd: z.number().nullable(),
    budgetUsd: z.number(),
    budgetUsePercent: z.number().nullable(),
  })),
  offices: z.array(z.strictObject({
    programOffice: z.string(),
    teams: z.number().int(),
    totalUsd: z.number().nullable(),
    budgetUsd: z.number(),
    budgetUsePercent: z.number().nullable(),
  })),
  untaggedUsd: z.number().nullable(),
  unregistered: usdByEnv,
  totalUsd: z.number().nullable(),
  error: z.string().optional(),
});

/** `fleet portfolio --json`: the three reports of one pass, each in its own command's contract. */
export const portfolioJsonSchema = z.strictObject({
  generatedAt: instant,
  scorecard: scorecardJsonSchema,
  vulns: vulnsJsonSchema,
  cost: costJsonSchema,
});

export type ScorecardJson = z.infer<typeof scorecardJsonSchema>;
export type VulnsJson = z.infer<typeof vulnsJsonSchema>;
export type CostJson = z.infer<typeof costJsonSchema>;
export type PortfolioJson = z.infer<typeof portfolioJsonSchema>;
