export * from './shard-plan';
export * from './run-shards';
export * from './merge-assembly';
export * from './merge-report';
export * from './sharded-synth';
