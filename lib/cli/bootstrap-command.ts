/**
 * `springboard bootstrap`: the exact `cdk bootstrap` command for every account and region of the
 * registry, with the template that trusts only the platform pipelines' deploy roles
 * (lib/platform-pipeline/bootstrap.ts); `--write-templates` regenerates those templates from the base.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { BOOTSTRAP_BASE_TEMPLATE, BOOTSTRAP_TEMPLATES, bootstrapCommands, customiseBootstrapTemplate } from '../app';
import { EXIT_CODES } from '../contract';
import { loadRegistry } from '../registry';

export function bootstrapCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('bootstrap')
    .description('print the cdk bootstrap command of every account and region, trusting only the platform pipelines\' deploy roles')
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('--write-templates', `regenerate ${Object.values(BOOTSTRAP_TEMPLATES).join(' and ')} from ${BOOTSTRAP_BASE_TEMPLATE}`)
    .action(exitingWith(context, (options: { registry: string; writeTemplates?: boolean }) => {
      if (options.writeTemplates) {
        const base = readFileSync(BOOTSTRAP_BASE_TEMPLATE, 'utf8');
        for (const [kind, file] of Object.entries(BOOTSTRAP_TEMPLATES) as Array<[keyof typeof BOOTSTRAP_TEMPLATES, string]>) {
          io.writeFile(file, customiseBootstrapTemplate(base, kind));
          io.stdout.write(`wrote ${file}\n`);
        }
        return EXIT_CODES.success;
      }
      const commands = bootstrapCommands(loadRegistry(options.registry));
      io.stdout.write('# With credentials of each account (the tooling account first); templates in bootstrap/ (docs/platform-pipeline.md).\n');
      for (const c of commands) io.stdout.write(`# ${c.account} ${c.region}: ${c.kind === 'prod' ? 'prod or tooling' : 'non-prod'}\n${c.command}\n`);
      return EXIT_CODES.success;
    }));
}
