/**
 * `springboard pr-check`: the check of a pull request to the registry (validate, the gate, audit
 * against the approved assembly), with a Markdown summary for the reviewer in <out>/summary.md.
 */
import * as path from 'path';
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { EXIT_CODES } from '../contract';
import { pullRequestSummary, runPullRequestCheck } from '../pr-check';

interface PrCheckOptions {
  readonly registry: string;
  readonly baseline?: string;
  readonly baseRef?: string;
  readonly repo: string;
  readonly out: string;
  readonly strict?: boolean;
  readonly cache: boolean;
}

export const SUMMARY_FILE = 'summary.md';

export function prCheckCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('pr-check')
    .description('check a pull request to the registry: validate, the compliance gate, audit against the approved assembly; '
      + 'writes <out>/summary.md for the reviewer; exits 1 when it fails (with --strict also when changes are flagged)')
    .option('--registry <dir>', 'folder of team YAML files in the pull request\'s checkout', 'teams')
    .option('--baseline <dir>', 'approved cloud assembly to compare with (a kept copy of an approved cdk.out)')
    .option('--base-ref <ref>', 'git ref of the pull request\'s base: its registry, synthesized with this code, is the approved assembly')
    .option('--repo <dir>', 'git repository --base-ref is read from', '.')
    .option('--out <dir>', 'folder for the assemblies, the audit report and summary.md', 'pr-check')
    .option('--strict', 'exit 1 also when the only findings are flagged changes for review')
    .option('--no-cache', 'evaluate every template again instead of reusing cached rule-pack results')
    .action(exitingWith(context, async (options: PrCheckOptions) => {
      const result = await runPullRequestCheck({
        registry: options.registry, baseline: options.baseline, baseRef: options.baseRef, repo: options.repo, out: options.out, cache: options.cache,
      });
      const summary = pullRequestSummary(result);
      const file = path.join(options.out, SUMMARY_FILE);
      io.writeFile(file, summary);
      io.stdout.write(summary);
      io.stdout.write(`\nspringboard pr-check: ${result.verdict.toUpperCase()}; wrote ${file}\n`);
      if (result.verdict === 'fail' || (result.verdict === 'review' && options.strict)) return EXIT_CODES.failed;
      return EXIT_CODES.success;
    }));
}
