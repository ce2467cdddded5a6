/** IAM: every role, its permissions boundary, who may assume it, and wildcard or administrative grants. */
import { ResourceView, StackView, asArray, describeValue, referencedLogicalId } from '../template';
import { CheckResult, NOT_APPLICABLE, ResourceCheck, compliant, nonCompliant } from './types';

type Props = Record<string, unknown>;

const ROLE = 'AWS::IAM::Role';
/** AWS managed policies that amount to administration of the account. */
const ADMIN_MANAGED_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

export interface Statement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

function statementsOf(document: unknown): Statement[] {
  return asArray((document as Props | undefined)?.Statement) as Statement[];
}

/** Every statement that applies to a role: its inline policies and the policies that name it. */
export function roleStatements(role: ResourceView, stack: StackView): Statement[] {
  const inline = asArray(role.properties.Policies).flatMap(p => statementsOf((p as Props).PolicyDocument));
  const attached = stack.resources
    .filter(r => (r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy')
      && asArray(r.properties.Roles).some(x => referencedLogicalId(x) === role.logicalId))
    .flatMap(r => statementsOf(r.properties.PolicyDocument));
  return [...inline, ...attached];
}

const text = (values: unknown): string[] => asArray(values).map(v => typeof v === 'string' ? v : describeValue(v));

/** Allow of every action on every resource (or everything but a few actions on every resource). */
export function isAdminStatement(s: Statement): boolean {
  if (s.Effect !== 'Allow') return false;
  const everyResource = text(s.Resource).includes('*');
  const everyAction = text(s.Action).some(a => a === '*' || a === '*:*') || s.NotAction !== undefined;
  return everyResource && everyAction;
}

/** Actions granted with a wildcard (`s3:*`, `s3:Get*`) by Allow statements. */
export function wildcardActions(statements: readonly Statement[]): string[] {
  return [...new Set(statements.filter(s => s.Effect === 'Allow').flatMap(s => text(s.Action)).filter(a => a.includes('*')))].sort();
}

function wildcardResourceCount(statements: readonly Statement[]): number {
  return statements.filter(s => s.Effect === 'Allow' && text(s.Resource).includes('*')).length;
}

/** Every role carries the platform's permissions boundary. */
export function checkRoleBoundary(resource: ResourceView): CheckResult {
  if (resource.type !== ROLE) return NOT_APPLICABLE;
  const boundary = resource.properties.PermissionsBoundary;
  if (boundary === undefined) {
    return nonCompliant('role has no permissions boundary; expected the platform boundary policy (PermissionsBoundary.of(scope).apply(...))', { boundary: 'none' });
  }
  return compliant(`role bounded by ${describeValue(boundary)}`, { boundary: describeValue(boundary) });
}

/** Who may assume the role, as `Service: ecs-tasks.amazonaws.com` lines. */
export function trustedPrincipals(resource: ResourceView): string[] {
  return statementsOf(resource.properties.AssumeRolePolicyDocument)
    .filter(s => s.Effect === 'Allow')
    .flatMap(s => {
      const principal = s.Principal;
      if (principal === '*') return ['everyone (*)'];
      return Object.entries((principal ?? {}) as Props).flatMap(([kind, v]) => text(v).map(p => `${kind}: ${p}`));
    });
}

/** A trust policy open to every AWS principal without a condition is non-compliant. */
export function checkRoleTrust(resource: ResourceView): CheckResult {
  if (resource.type !== ROLE) return NOT_APPLICABLE;
  const trust = trustedPrincipals(resource);
  const open = statementsOf(resource.properties.AssumeRolePolicyDocument).some(s =>
    s.Effect === 'Allow' && s.Condition === undefined
    && (s.Principal === '*' || text((s.Principal as Props | undefined)?.AWS).includes('*')));
  const facts = { trust: trust.join('; ') || 'none' };
  if (open) return nonCompliant('any AWS principal may assume this role; expected named services or accounts, or a condition', facts);
  return compliant(`assumable by ${facts.trust}`, facts);
}

/** No role holds administrative access; wildcard grants are listed for review. */
export function checkRolePrivileges(resource: ResourceView, stack: StackView): CheckResult {
  if (resource.type !== ROLE) return NOT_APPLICABLE;
  const statements = roleStatements(resource, stack);
  const managed = text(resource.properties.ManagedPolicyArns);
  const facts = {
    'managed policies': managed.join(', ') || 'none',
    'wildcard actions': wildcardActions(statements).join(', ') || 'none',
    'statements on resource *': String(wildcardResourceCount(statements)),
  };
  const adminManaged = managed.filter(a => ADMIN_MANAGED_POLICIES.test(a));
  if (adminManaged.length > 0) return nonCompliant(`role has administrative managed policy ${adminManaged.join(', ')}; expected least-privilege grants`, facts);
  if (statements.some(isAdminStatement)) return nonCompliant('role is allowed every action on every resource ("*" on "*"); expected least-privilege grants', facts);
  return compliant('no administrative grant', facts);
}

export const IAM_CHECKS: readonly ResourceCheck[] = [
  { id: 'Springboard-RoleBoundary', title: 'Every role carries the permissions boundary', section: 'iam', controls: ['AC-6', 'AC-2'], scope: 'resource', check: (r) => checkRoleBoundary(r) },
  { id: 'Springboard-RoleTrust', title: 'Roles trust named principals only', section: 'iam', controls: ['AC-3', 'AC-6', 'IA-2'], scope: 'resource', check: (r) => checkRoleTrust(r) },
  { id: 'Springboard-AdminPrivileges', title: 'No role has administrative access', section: 'iam', controls: ['AC-6', 'AC-6(9)', 'AC-2'], scope: 'resource', check: checkRolePrivileges },
];
