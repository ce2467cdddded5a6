/**
 * What doctor reads in a CDK bootstrap, and how it judges the deploy role's trust against what the
 * bootstrap generator (`springboard bootstrap`) has it trust: the accounts given to `--trust`
 * (`trustedAccounts`, lib/contract/bootstrap.ts, which the generator reads too), and no other
 * account. The command doctor prints as the remedy is the generator's own (`bootstrapCommand`).
 */
import { trustedAccounts } from '../contract';

export const BOOTSTRAP_STACK_NAME = 'CDKToolkit';

/** The SSM parameter CDK deployments read to check the bootstrap version. */
export function bootstrapVersionParameter(qualifier: string): string {
  return `/cdk-bootstrap/${qualifier}/version`;
}

interface TrustStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Principal?: { readonly AWS?: string | string[] } | string;
}

/** Accounts an AWS principal names: `123456789012`, `arn:aws:iam::123456789012:root` or a role in it. */
function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** What is wrong with the deploy role's trust policy (URL-encoded or plain JSON), one sentence each. */
export function trustProblems(document: string, account: string, toolingAccount: string): string[] {
  let parsed: { Statement?: TrustStatement | TrustStatement[] };
  try {
    parsed = JSON.parse(document.startsWith('%7B') || document.startsWith('%7b') ? decodeURIComponent(document) : document);
  } catch {
    return ['its trust policy is not JSON'];
  }
  const statements = ([] as TrustStatement[]).concat(parsed.Statement ?? []);
  const trusted = new Set<string>();
  for (const s of statements.filter(st => st.Effect === 'Allow' && [].concat(st.Action as never ?? []).some((a: string) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*'))) {
    const principals = typeof s.Principal === 'string' ? [s.Principal] : ([] as string[]).concat(s.Principal?.AWS ?? []);
    for (const p of principals) trusted.add(p === '*' ? '*' : accountOf(p) ?? p);
  }
  const expected = trustedAccounts(account, toolingAccount);
  const problems: string[] = [];
  if (trusted.has('*')) problems.push('it trusts every AWS account (Principal "*")');
  for (const a of expected.filter(e => !trusted.has(e))) problems.push(`it does not trust the tooling account ${a}, so the platform pipeline cannot deploy here`);
  const others = [...trusted].filter(a => a !== '*' && a !== account && !expected.includes(a)).sort();
  if (others.length > 0) problems.push(`it also trusts ${others.join(', ')}, which the platform does not use`);
  return problems;
}
