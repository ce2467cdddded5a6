export * from './names';
export * from './permissions-boundary';
export * from './backup';
export * from './log-archive';
export * from './observability';
export * from './baseline-stack';
export * from './release-records';
export * from './platform-boundary';
