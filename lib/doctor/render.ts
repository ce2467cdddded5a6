/** The doctor report as a table grouped by account: each row's status, region, group, check and finding, the remedy under it. */
import type { DoctorReport } from './report';
import { CHECK_GROUPS } from './types';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function reportTable(report: DoctorReport): string {
  const lines: string[] = [];
  for (const account of report.accounts) {
    lines.push(`account ${account.account}${account.roles.length ? ` (${account.roles.join('; ')})` : ''}`);
    const rows = [...account.results].sort((a, b) => CHECK_GROUPS.indexOf(a.group) - CHECK_GROUPS.indexOf(b.group)
      || (a.region ?? '').localeCompare(b.region ?? ''));
    const regionWidth = Math.max(6, ...rows.map(r => (r.region ?? '-').length));
    const checkWidth = Math.max(...rows.map(r => `${r.group} ${r.check}`.length));
    for (const r of rows) {
      lines.push(`  ${MARK[r.status]}  ${(r.region ?? '-').padEnd(regionWidth)}  ${`${r.group} ${r.check}`.padEnd(checkWidth)}  ${r.detail}${r.control ? ` [${r.control}]` : ''}`);
      if (r.remedy && r.status !== 'ok') lines.push(`        fix: ${r.remedy}`);
    }
    lines.push('');
  }
  const s = report.summary;
  lines.push(`${s.ok} ok, ${s.warn} warning${s.warn === 1 ? '' : 's'}, ${s.fail} failed in ${report.accounts.length} account${report.accounts.length === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
