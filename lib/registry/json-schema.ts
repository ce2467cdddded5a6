/** JSON Schemas for editors (YAML language servers), generated from the same definition as validation. */
import { z } from 'zod';
import { platformSchema, teamSchema } from './schema';

export const SCHEMA_FILES = {
  'team.schema.json': teamSchema,
  'platform.schema.json': platformSchema,
} as const;

export function jsonSchemaFor(name: keyof typeof SCHEMA_FILES): string {
  const schema = z.toJSONSchema(SCHEMA_FILES[name], { io: 'input', unrepresentable: 'any' });
  const titled = { ...schema, title: name === 'team.schema.json' ? 'Springboard team' : 'Springboard platform settings' };
  return JSON.stringify(titled, null, 2) + '\n';
}
