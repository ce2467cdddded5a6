export * from './build-platform';
export * from './delivery-stack';
