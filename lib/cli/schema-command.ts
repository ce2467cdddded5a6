/** `springboard schema`: writes the editor JSON Schemas of the registry. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { type CommandContext, exitingWith } from './context';
import { EXIT_CODES } from '../contract';
import { jsonSchemaFor, SCHEMA_FILES } from '../registry';

export function schemaCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('schema')
    .description('write the registry JSON Schemas for editors')
    .option('--out <dir>', 'folder to write into', 'schemas')
    .action(exitingWith(context, (options: { out: string }) => {
      mkdirSync(options.out, { recursive: true });
      for (const name of Object.keys(SCHEMA_FILES) as Array<keyof typeof SCHEMA_FILES>) {
        io.writeFile(join(options.out, name), jsonSchemaFor(name));
        io.stdout.write(`wrote ${join(options.out, name)}\n`);
      }
      return EXIT_CODES.success;
    }));
}
