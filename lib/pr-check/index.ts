export * from './check';
export * from './summary';
export { registryAtRef } from './base-registry';
export { synthesizeRegistry, SynthesisResult } from './synthesize';
