/**
 * The platform's CDK bootstrap design, in one place for the generator (`springboard bootstrap`,
 * lib/platform-pipeline/bootstrap.ts) and for doctor, which checks it and prints the same command
 * as its remedy: which template an account gets, which accounts it trusts, and the command.
 */
import { DEFAULT_BOOTSTRAP_QUALIFIER, partitionOf } from './aws-addressing';
import type { PlatformDeployKind } from './naming';

/** The customised templates, relative to the repository root. */
export const BOOTSTRAP_TEMPLATES: Readonly<Record<PlatformDeployKind, string>> = {
  'non-prod': 'bootstrap/springboard-bootstrap-nonprod.yaml',
  'prod': 'bootstrap/springboard-bootstrap-prod.yaml',
};

/** The accounts a bootstrapped account trusts (`--trust`): the tooling account, where the pipelines run; the tooling account trusts no other. */
export function trustedAccounts(account: string, toolingAccount: string): string[] {
  return account === toolingAccount ? [] : [toolingAccount];
}

/** The template an account gets: accounts that hold production (the tooling account among them) the prod one, the others the non-prod one. */
export function bootstrapKind(account: string, prodAccounts: ReadonlySet<string>): PlatformDeployKind {
  return prodAccounts.has(account) ? 'prod' : 'non-prod';
}

/** The `cdk bootstrap` command of one account and region. */
export function bootstrapCommand(
  account: string, region: string, kind: PlatformDeployKind, toolingAccount: string, qualifier = DEFAULT_BOOTSTRAP_QUALIFIER,
): string {
  return [
    'npx cdk bootstrap', `aws://${account}/${region}`,
    `--template ${BOOTSTRAP_TEMPLATES[kind]}`,
    ...trustedAccounts(account, toolingAccount).map(a => `--trust ${a}`),
    `--cloudformation-execution-policies arn:${partitionOf(region)}:iam::aws:policy/AdministratorAccess`,
    ...(qualifier === DEFAULT_BOOTSTRAP_QUALIFIER ? [] : [`--qualifier ${qualifier}`]),
  ].join(' ');
}
