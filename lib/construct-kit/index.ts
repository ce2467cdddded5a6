export * from './tags';
export * from './key-policy';
export * from './bucket-defaults';
export * from './springboard-app';
export * from './feature-flags';
