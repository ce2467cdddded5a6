/**
 * What the platform expects of CDK's bootstrap in each account and region, in one place for doctor:
 * the command that bootstraps it and the trust its deploy role must have. The platform pipeline in
 * the tooling account deploys through every account's bootstrap roles, so each trusts the tooling
 * account (`--trust`); no other account may be trusted. Used by doctor and docs/first-deploy.md.
 */

export const BOOTSTRAP_STACK_NAME = 'CDKToolkit';

/** The SSM parameter CDK deployments read to check the bootstrap version. */
export function bootstrapVersionParameter(qualifier: string): string {
  return `/cdk-bootstrap/${qualifier}/version`;
}

/**
 * The bootstrap (or upgrade) command for an account and region. `--cloudformation-execution-policies`
 * is required by the CDK whenever `--trust` is given.
 */
export function bootstrapCommand(account: string, region: string, toolingAccount: string, partition: string): string {
  const trust = account === toolingAccount ? '' : ` --trust ${toolingAccount} --trust-for-lookup ${toolingAccount}`;
  return `npx cdk bootstrap aws://${account}/${region}${trust} --cloudformation-execution-policies arn:${partition}:iam::aws:policy/AdministratorAccess`
    + ` (with credentials for ${account})`;
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
  const problems: string[] = [];
  if (trusted.has('*')) problems.push('it trusts every AWS account (Principal "*")');
  if (account !== toolingAccount && !trusted.has(toolingAccount)) problems.push(`it does not trust the tooling account ${toolingAccount}, so the platform pipeline cannot deploy here`);
  const others = [...trusted].filter(a => a !== '*' && a !== account && a !== toolingAccount).sort();
  if (others.length > 0) problems.push(`it also trusts ${others.join(', ')}, which the platform does not use`);
  return problems;
}
