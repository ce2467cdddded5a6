/**
 * The escalation engine: principals, the edges between them (assume a role, pass a role to a
 * service that acts with it, write a role's trust, policies or tags, start or change a CodeBuild
 * project, change a Lambda function's code) and the closure of a principal over them. The IAM
 * evaluator is injected (`Evaluate`); docs/isolation.md describes the model and its tests.
 */
export * from './types';
export * from './edges';
export * from './closure';
export * from './candidates';
export * from './cdk-bootstrap';
export * from './assembly-graph';
export * from './simulator';
export * from './team-closures';
