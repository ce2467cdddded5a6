export * from './naming';
export * from './aws-addressing';
export * from './alarm-catalogue';
export * from './repository';
export * from './ownership';
export * from './runtime';
export * from './stateful-resources';
export * from './command';
