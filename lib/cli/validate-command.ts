/** `springboard validate`: the registry checks, without CDK. */
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { EXIT_CODES } from '../contract';
import { formatDiagnostics, validateRegistry } from '../registry';

export function validateCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('validate')
    .description('check every registry file and the registry as a whole; exits 1 on any error')
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('--json', 'print the diagnostics as JSON')
    .action(exitingWith(context, (options: { registry: string; json?: boolean }) => {
      const started = process.hrtime.bigint();
      const result = validateRegistry(options.registry);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (options.json) {
        io.stdout.write(JSON.stringify({ ok: Boolean(result.registry), files: result.files, teams: result.registry?.teams.map((t) => t.id) ?? [], diagnostics: result.diagnostics }, null, 2) + '\n');
      } else if (result.registry) {
        const warnings = result.diagnostics.length ? formatDiagnostics(result.diagnostics) + '\n' : '';
        const teams = result.registry.teams;
        io.stdout.write(`${warnings}${options.registry}: ${teams.length} team${teams.length === 1 ? '' : 's'} valid (${teams.map((t) => t.id).join(', ')}) in ${ms.toFixed(0)} ms\n`);
      } else {
        io.stderr.write(formatDiagnostics(result.diagnostics) + '\n');
      }
      return result.registry ? EXIT_CODES.success : EXIT_CODES.failed;
    }));
}
