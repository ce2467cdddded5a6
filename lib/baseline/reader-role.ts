/**
 * The read-only role Springboard's commands assume in every account (`springboard doctor`,
 * `springboard fleet`), and its own permissions boundary. Both are written from one list,
 * READER_ACTIONS (lib/contract/reader-actions.ts): the role may call exactly those reads, the
 * boundary allows nothing more, and denies every IAM write whatever the role's policy becomes.
 *
 * Trust: the tooling account's reader is the command principal. In the tooling account the role
 * trusts the account (whoever IAM there allows `sts:AssumeRole` on it: the operators); in every
 * other account it trusts the tooling account only when the caller is the tooling reader
 * (`aws:PrincipalArn`), so a command reaches an account through one audited hop and no other
 * tooling principal (a team's pipeline role, a build) can read there. The condition, not a role
 * principal, because a role principal must exist when the trust is written (the tooling baseline
 * may deploy after the others) and breaks silently when that role is recreated.
 */
import { Stack } from 'aws-cdk-lib';
import { ArnPrincipal, Effect, ManagedPolicy, PermissionsBoundary, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { READER_ACTIONS, READER_BOUNDARY_NAME, READER_ROLE_NAME } from '../contract';
import { IAM_WRITE_ACTIONS } from './platform-boundary';

export interface ReaderRoleProps {
  /** The account whose reader is the command principal. */
  readonly toolingAccount: string;
  /** This role's account. */
  readonly account: string;
}

/** ARN of the reader role in an account. */
export function readerRoleArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/${READER_ROLE_NAME}`;
}

/** The read statements: one per distinct resource list, actions sorted, from READER_ACTIONS. */
export function readerStatements(partition: string): PolicyStatement[] {
  const byResources = new Map<string, { resources: string[]; actions: string[] }>();
  for (const entry of READER_ACTIONS) {
    const resources = entry.resources.map(r => r.replace('{partition}', partition));
    const key = resources.join('|');
    const group = byResources.get(key) ?? { resources, actions: [] };
    group.actions.push(entry.action);
    byResources.set(key, group);
  }
  return [...byResources.values()].map((g, i) => new PolicyStatement({
    sid: `Read${i}`, actions: [...new Set(g.actions)].sort(), resources: g.resources,
  }));
}

/** The statement that lets the tooling reader reach the other accounts' readers (and nothing else). */
export function readerChainStatement(partition: string): PolicyStatement {
  return new PolicyStatement({ sid: 'AssumeReaders', actions: ['sts:AssumeRole'], resources: [readerRoleArn(partition, '*')] });
}

/** The boundary's statements: the same reads and hop as the role, and no IAM write ever. */
export function readerBoundaryStatements(partition: string): PolicyStatement[] {
  return [
    ...readerStatements(partition),
    readerChainStatement(partition),
    new PolicyStatement({ sid: 'DenyIamWrites', effect: Effect.DENY, actions: [...IAM_WRITE_ACTIONS], resources: ['*'] }),
  ];
}

export class ReaderRole extends Construct {
  readonly role: Role;
  readonly boundary: ManagedPolicy;

  constructor(scope: Construct, id: string, props: ReaderRoleProps) {
    super(scope, id);
    const { toolingAccount } = props;
    const partition = Stack.of(this).partition;
    const isTooling = props.account === toolingAccount;
    this.boundary = new ManagedPolicy(this, 'Boundary', {
      managedPolicyName: READER_BOUNDARY_NAME,
      description: 'Springboard reader boundary: only the reads of doctor and fleet, the hop to other readers, never an IAM write',
      statements: readerBoundaryStatements(partition),
    });
    const toolingRoot = new ArnPrincipal(`arn:${partition}:iam::${toolingAccount}:root`);
    this.role = new Role(this, 'Role', {
      roleName: READER_ROLE_NAME,
      description: 'Springboard reader: springboard doctor and fleet read this account through it; read-only',
      assumedBy: isTooling
        ? toolingRoot
        : toolingRoot.withConditions({ ArnEquals: { 'aws:PrincipalArn': readerRoleArn(partition, toolingAccount) } }),
      inlinePolicies: {
        Read: new PolicyDocument({ statements: [...readerStatements(partition), ...(isTooling ? [readerChainStatement(partition)] : [])] }),
      },
    });
    // The baseline applies the platform boundary to every role in it; this aspect, deeper in the tree, runs after it and wins.
    PermissionsBoundary.of(this).apply(this.boundary);
    const noResourceLevel = 'Read-only actions from one reviewed list (lib/contract/reader-actions.ts); where an action takes no resource or the '
      + 'check reads resources it cannot name in advance (trails, detectors, quotas), the list says `*`; every other action is limited to the '
      + 'platform\'s or CDK\'s resources by name (AC-6).';
    acknowledge(this.role, 'AwsSolutions-IAM5', noResourceLevel);
    acknowledge(this.boundary, 'AwsSolutions-IAM5', noResourceLevel);
  }
}
