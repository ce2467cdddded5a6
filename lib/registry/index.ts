export * from './types';
export * from './diagnostics';
export { loadRegistry, validateRegistry, ValidationResult } from './load';
export { CURRENT_SCHEMA_VERSION } from './schema';
export { derivedCidr } from './defaults';
export { jsonSchemaFor, SCHEMA_FILES } from './json-schema';
