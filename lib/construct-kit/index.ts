export * from './tags';
export * from './key-policy';
export * from './bucket-defaults';
