export * from './build-platform';
export * from './delivery-stack';
export * from './quota-check';
export * from './retire';
export * from './bootstrap';
