/** `springboard audit`: evidence an auditor can sign off, from any synthesized assembly, with no AWS calls. */
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { runAuditWithClosures, summaryOf } from '../audit';

interface AuditCommandOptions {
  readonly assembly: string;
  readonly out: string;
  readonly baseline?: string;
  readonly json?: boolean;
  readonly cache: boolean;
}

export function auditCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('audit')
    .description('write audit/index.html, report.md and findings.json from a cloud assembly; exits 1 on an open finding or a flagged change since the baseline')
    .option('--assembly <dir>', 'cloud assembly to audit', 'cdk.out')
    .option('--out <dir>', 'folder for the report files', 'audit')
    .option('--baseline <dir>', 'approved assembly to compare with')
    .option('--json', 'print a summary as JSON')
    .option('--no-cache', 'evaluate every template again instead of reusing results cached by template content')
    .action(exitingWith(context, async (options: AuditCommandOptions) => {
      const { assembly, out, baseline, cache } = options;
      const { report, exitCode, files } = await runAuditWithClosures({ assembly, out, baseline, cache });
      if (options.json) {
        io.stdout.write(`${JSON.stringify(summaryOf(report, files), undefined, 2)}\n`);
      } else {
        const s = report.summary;
        io.stdout.write([
          `springboard audit: ${report.verdict.toUpperCase()} (${report.assembly.stacks} stacks, ${report.assembly.resources} resources, ${report.timings.totalSeconds.toFixed(1)} s)`,
          `  findings: ${s.open} open, ${s.acknowledged} acknowledged, ${s.disabled} disabled${report.baseline ? `; ${s.baselineFlagged} flagged changes since ${report.baseline.baselineDirectory}` : ''}`,
          ...report.reasons.map(r => `  fails because: ${r}`),
          `  wrote ${files.html}, ${files.markdown}, ${files.json}`,
        ].join('\n') + '\n');
      }
      return exitCode;
    }));
}
