/**
 * Adds the source condition keys of the confused-deputy table (lib/contract/confused-deputy.ts) to
 * every trust and resource policy statement that allows one of its service principals: CDK's own
 * roles and policies (a pipeline's service role, an EventBridge target's topic policy) carry none
 * by themselves. A key the statement already conditions on is left as written; a statement naming
 * services whose keys differ is refused, since one key set cannot fit both.
 */
import { CfnResource, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { POLICY_PROPERTIES, PolicyKind, ServiceSourceKeys, SourceKey, sourceKeysFor } from '../contract/confused-deputy';

type Statement = Record<string, any>;

/** CloudFormation property name → the L1 attribute that holds it. */
const L1_ATTRIBUTES: Readonly<Record<string, string>> = {
  AssumeRolePolicyDocument: 'assumeRolePolicyDocument',
  PolicyDocument: 'policyDocument',
  KeyPolicy: 'keyPolicy',
};

export class SourceConditions implements IAspect {
  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const target = POLICY_PROPERTIES[node.cfnResourceType];
    if (!target) return;
    const original = (node as any)[L1_ATTRIBUTES[target.property]];
    if (original === undefined) return;
    const stack = Stack.of(node);
    node.addPropertyOverride(target.property, Lazy.any({
      produce: () => withSourceKeys(stack.resolve(original), target.kind, stack, node.node.path),
    }));
  }
}

/** The policy document with each Allow statement for a table service carrying the table's keys. */
export function withSourceKeys(document: any, kind: PolicyKind, stack: Stack, where: string): any {
  if (!document || !Array.isArray(document.Statement)) return document;
  return { ...document, Statement: document.Statement.map((s: Statement) => statementWithKeys(s, kind, stack, where)) };
}

function statementWithKeys(statement: Statement, kind: PolicyKind, stack: Stack, where: string): Statement {
  if (statement.Effect !== 'Allow') return statement;
  const services = [statement.Principal?.Service ?? []].flat().filter((s): s is string => typeof s === 'string');
  const entries = services.map(s => sourceKeysFor(s, kind)).filter((e): e is ServiceSourceKeys => e !== undefined);
  if (entries.length === 0) return statement;
  const present = new Set(Object.values<Record<string, unknown>>(statement.Condition ?? {}).flatMap(op => Object.keys(op)));
  const missing = [...new Set(entries.flatMap(e => e.keys))].filter(k => !present.has(k));
  if (missing.length === 0) return statement;
  const signature = (e: ServiceSourceKeys) => JSON.stringify([e.keys, e.arnService]);
  if (new Set(entries.map(signature)).size > 1) {
    throw new Error(`${where}: one statement allows ${services.join(', ')}, whose source keys differ (lib/contract/confused-deputy.ts); give each service a statement of its own`);
  }
  const entry = entries[0];
  const condition: Record<string, Record<string, unknown>> = JSON.parse(JSON.stringify(statement.Condition ?? {}));
  for (const key of missing) {
    const [operator, value] = conditionFor(key, entry, stack);
    condition[operator] = { ...condition[operator], [key]: stack.resolve(value) };
  }
  return { ...statement, Condition: condition };
}

function conditionFor(key: SourceKey, entry: ServiceSourceKeys, stack: Stack): [string, string] {
  if (key === 'aws:SourceAccount') return ['StringEquals', stack.account];
  if (!entry.arnService) throw new Error(`confused-deputy table: ${entry.principal} (${entry.kind}) requires ${key} but names no arnService`);
  return ['ArnLike', `arn:${stack.partition}:${entry.arnService}:${stack.region}:${stack.account}:*`];
}
