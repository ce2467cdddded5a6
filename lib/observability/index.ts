/** Observability by default: alarms from the catalogue, routed alerts, dashboards, budgets, archived logs. */
export * from './alarm-plan';
export * from './alert-topic';
export * from './chat-channel';
export * from './delivery-monitoring';
export * from './environment-monitoring';
export * from './log-archive';
export * from './names';
export * from './portfolio-stack';
export * from './team-budget';
export * from './widgets';
