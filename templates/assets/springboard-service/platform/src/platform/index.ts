export * from './config';
export * from './http-service';
export * from './logger';
export * from './team';
