/**
 * `springboard doctor`, as a function the command calls and tests drive: the registry read, the
 * plan made, each account's reader assumed (a failure is that account's row; the others go on),
 * the checks run with bounded concurrency, the report printed. Exit 0 when nothing failed
 * (warnings allowed), 1 when something did.
 */
import { requiredBootstrapVersion } from './assembly-needs';
import { DoctorAws, type DoctorAwsOptions } from './aws';
import { failureRow, guarded } from './errors';
import type { PlaceContext } from './place';
import { type AccountRoles, type PlannedCheck, planChecks } from './plan';
import { reportTable } from './render';
import { type DoctorReport, REPORT_SCHEMA_VERSION, reportJson, summarize } from './report';
import { type CheckResult, ok } from './types';
import { type CommandIo, EXIT_CODES, partitionOf, READER_ROLE_NAME } from '../contract';
import { mapBounded } from '../fleet/concurrency';
import { loadRegistry } from '../registry';
import type { Registry } from '../registry/types';

export const DEFAULT_DOCTOR_CONCURRENCY = 4;
export const MAX_DOCTOR_CONCURRENCY = 16;

export interface DoctorOptions {
  readonly registry?: string;
  readonly assembly?: string;
  readonly profile?: string;
  readonly assumeRole?: string;
  readonly concurrency?: number;
  readonly requestTimeout?: number;
  readonly connectTimeout?: number;
  readonly json?: boolean;
}

/** Client settings tests give instead of the process's (credentials, attempts). */
export type DoctorAwsOverrides = Partial<Omit<DoctorAwsOptions, 'toolingAccount' | 'toolingRegion'>>;

export async function runDoctor(options: DoctorOptions, io: CommandIo, overrides: DoctorAwsOverrides = {}): Promise<number> {
  const registryDir = options.registry ?? 'teams';
  const registry = loadRegistry(registryDir);
  const aws = new DoctorAws({
    profile: options.profile,
    roleName: options.assumeRole ?? READER_ROLE_NAME,
    toolingAccount: registry.platform.tooling.account,
    toolingRegion: registry.platform.tooling.region,
    requestTimeoutMs: options.requestTimeout,
    connectionTimeoutMs: options.connectTimeout,
    ...overrides,
  });
  try {
    const report = await diagnose(registry, registryDir, options, aws, io);
    io.stdout.write(options.json ? reportJson(report) : reportTable(report));
    return report.summary.fail > 0 ? EXIT_CODES.failed : EXIT_CODES.success;
  } finally {
    aws.destroy();
  }
}

export async function diagnose(
  registry: Registry, registryDir: string, options: DoctorOptions, aws: DoctorAws, io: CommandIo,
): Promise<DoctorReport> {
  const plan = planChecks(registry, requiredBootstrapVersion(options.assembly ?? 'cdk.out'));
  const role = options.assumeRole ?? READER_ROLE_NAME;
  const concurrency = options.concurrency ?? DEFAULT_DOCTOR_CONCURRENCY;
  let done = 0;
  const accounts = await mapBounded(plan.accounts, concurrency, async (account) => {
    const checks = plan.checks.filter(c => c.account === account.account);
    const results = [
      ...plan.staticRows.filter(r => r.account === account.account).map(r => ({ account: r.account, region: r.region, ...r.finding })),
      ...await checkAccount(account, checks, aws, role, concurrency),
    ];
    done += 1;
    const s = summarize(results);
    io.stderr.write(`doctor: ${done}/${plan.accounts.length} accounts: ${account.account} ${s.ok} ok, ${s.warn} warn, ${s.fail} fail\n`);
    return { account: account.account, roles: [...account.roles], results };
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: io.now().toISOString(),
    registry: registryDir,
    role,
    toolingAccount: registry.platform.tooling.account,
    accounts,
    summary: summarize(accounts.flatMap(a => a.results)),
  };
}

/** The reader first: without it nothing else in the account can be read, and one row says why. */
async function checkAccount(
  account: AccountRoles, checks: readonly PlannedCheck[], aws: DoctorAws, role: string, concurrency: number,
): Promise<CheckResult[]> {
  try {
    await aws.assume(account.account, account.homeRegion);
  } catch (error) {
    const row = failureRow('access', role, error, aws.redactor, 'sts:AssumeRole');
    return [{ account: account.account, ...row, remedy: row.status === 'fail' && /denied/.test(row.detail) ? missingRoleRemedy(account, role) : row.remedy }];
  }
  const access: CheckResult = { account: account.account, ...ok('access', role, `assumed ${role}`) };
  const rows = await mapBounded(checks, concurrency, async (check) => {
    const ctx = contextFor(aws, check.account, check.region);
    const findings = await guarded(check.group, check.check, check.action, aws.redactor, () => check.run(ctx));
    return findings.map(f => ({ account: check.account, ...(check.rowRegion ? { region: check.rowRegion } : {}), ...f }));
  });
  return [access, ...rows.flat()];
}

function missingRoleRemedy(account: AccountRoles, role: string): string {
  return `deploy the account's home baseline (springboard-baseline-${account.account}-${account.homeRegion}), which creates ${role}; `
    + 'check your tooling credentials may assume the tooling reader (sts:AssumeRole on its ARN) and that no service control policy blocks it';
}

/** The context checks at one place read through. */
export function contextFor(aws: DoctorAws, account: string, region: string): PlaceContext {
  return {
    account,
    region,
    partition: partitionOf(region),
    send: aws.sender(account, region),
    sendIn: other => aws.sender(account, other),
    redactor: aws.redactor,
  };
}
