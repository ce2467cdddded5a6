/** `springboard schema`: writes the editor JSON Schemas of the registry. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { jsonSchemaFor, SCHEMA_FILES } from '../registry';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('write the registry JSON Schemas for editors')
    .option('--out <dir>', 'folder to write into', 'schemas')
    .action((options: { out: string }) => {
      mkdirSync(options.out, { recursive: true });
      for (const name of Object.keys(SCHEMA_FILES) as Array<keyof typeof SCHEMA_FILES>) {
        writeFileSync(join(options.out, name), jsonSchemaFor(name));
        process.stdout.write(`wrote ${join(options.out, name)}\n`);
      }
    });
}
