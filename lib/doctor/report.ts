/**
 * The doctor report and its `--json` form. The zod schema is the contract scripts rely on
 * (docs/first-deploy.md shows it; test/doctor/report.test.ts validates real output against it).
 */
import { z } from 'zod';
import { CHECK_GROUPS, type CheckResult } from './types';

export const REPORT_SCHEMA_VERSION = 1;

const status = z.enum(['ok', 'warn', 'fail']);

export const checkResultSchema = z.strictObject({
  account: z.string().regex(/^\d{12}$/),
  region: z.string().optional(),
  group: z.enum(CHECK_GROUPS),
  check: z.string().min(1),
  status,
  detail: z.string().min(1),
  remedy: z.string().min(1).optional(),
  control: z.string().optional(),
});

export const doctorReportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.iso.datetime(),
  registry: z.string(),
  role: z.string(),
  toolingAccount: z.string().regex(/^\d{12}$/),
  accounts: z.array(z.strictObject({
    account: z.string().regex(/^\d{12}$/),
    roles: z.array(z.string()),
    results: z.array(checkResultSchema),
  })),
  summary: z.strictObject({ ok: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
});

export type DoctorReport = z.infer<typeof doctorReportSchema>;

export function summarize(results: readonly CheckResult[]): DoctorReport['summary'] {
  return {
    ok: results.filter(r => r.status === 'ok').length,
    warn: results.filter(r => r.status === 'warn').length,
    fail: results.filter(r => r.status === 'fail').length,
  };
}

export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify(report, undefined, 2)}\n`;
}
