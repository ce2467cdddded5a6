export * from './quotas';
export * from './targets';
export * from './plan';
export * from './planned-pipeline';
export * from './platform-pipeline-stack';
export * from './build';
export * from './approvers';
