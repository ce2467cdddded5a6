import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaFor, SCHEMA_FILES } from '../../lib/registry';

test.each(Object.keys(SCHEMA_FILES) as Array<keyof typeof SCHEMA_FILES>)('the committed %s is generated from the schema (run `npx springboard schema`)', (name) => {
  expect(readFileSync(join(__dirname, '..', '..', 'schemas', name), 'utf8')).toBe(jsonSchemaFor(name));
});

test('the team schema tells editors the fields, enums and that unknown keys are errors', () => {
  const schema = JSON.parse(jsonSchemaFor('team.schema.json'));
  expect(schema.additionalProperties).toBe(false);
  expect(schema.properties.dataClassification.enum).toEqual(['low', 'moderate', 'high']);
  expect(schema.required).toEqual(expect.arrayContaining(['id', 'schemaVersion', 'repository', 'budget']));
});
