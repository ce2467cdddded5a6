/** findings.json: the machine-readable report, deterministic (no timings, no drawings). */
import { AuditReport } from './model';

export function renderJson(report: AuditReport): string {
  const { timings: _timings, teams, baseline, ...rest } = report;
  return `${JSON.stringify({
    ...rest,
    teams: teams.map(t => ({
      team: t.team,
      environments: t.environments.map(({ diagram, ...e }) => ({ ...e, connections: diagram.edges })),
    })),
    baseline,
  }, undefined, 2)}\n`;
}

/** The `--json` summary printed for scripts. */
export function summaryOf(report: AuditReport, files: Record<string, string | undefined>): Record<string, unknown> {
  return {
    verdict: report.verdict,
    reasons: report.reasons,
    assembly: report.assembly.directory,
    stacks: report.assembly.stacks,
    resources: report.assembly.resources,
    ...report.summary,
    packs: Object.fromEntries(report.packs.map(({ pack, evaluated, passed, failed, acknowledged, disabled }) =>
      [pack, { evaluated, passed, failed, acknowledged, disabled }])),
    files,
    seconds: report.timings.totalSeconds,
  };
}
