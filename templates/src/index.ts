export * from './springboard-service-project';
