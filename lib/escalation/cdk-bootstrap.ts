/**
 * CDK's bootstrap roles, modelled from CDK's bootstrap template (`cdk bootstrap --show-template`,
 * CDK v2): none is tagged or bounded; the execution role holds AdministratorAccess unless
 * `--cloudformation-execution-policies` says otherwise; the deploy, publishing and lookup roles trust
 * their own account and the accounts given to `--trust`; the deploy role may pass the execution role.
 */
import type { PolicyDocument, Principal } from './types';
import { type BootstrapRolePurpose, bootstrapRoleName, DEFAULT_BOOTSTRAP_QUALIFIER } from '../contract/aws-addressing';

export interface BootstrapPlacement {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** Accounts given to `cdk bootstrap --trust` (the tooling account, where the platform pipeline runs). */
  readonly trustedAccounts: readonly string[];
  /** @default DEFAULT_BOOTSTRAP_QUALIFIER */
  readonly qualifier?: string;
}

const allow = (Action: string | string[], Resource: string | string[]) => ({ Effect: 'Allow', Action, Resource });
const doc = (...Statement: Record<string, any>[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

/** The five bootstrap roles of one account and region. */
export function bootstrapPrincipals(p: BootstrapPlacement): Principal[] {
  const q = p.qualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
  const arn = (purpose: BootstrapRolePurpose) => `arn:${p.partition}:iam::${p.account}:role/${bootstrapRoleName(purpose, p.account, p.region, q)}`;
  const accounts = [...new Set([p.account, ...p.trustedAccounts])].map(a => `arn:${p.partition}:iam::${a}:root`);
  const trustAccounts = doc({ Effect: 'Allow', Principal: { AWS: accounts }, Action: 'sts:AssumeRole' });
  const bucket = `arn:${p.partition}:s3:::cdk-${q}-assets-${p.account}-${p.region}`;
  const role = (purpose: BootstrapRolePurpose, trust: PolicyDocument, identity: PolicyDocument[], administrator = false): Principal => ({
    arn: arn(purpose), account: p.account, origin: 'cdk-bootstrap', tags: {}, trust, identityPolicies: identity, administrator,
  });
  return [
    role('cfn-exec', doc({ Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' }, Action: 'sts:AssumeRole' }), [doc(allow('*', '*'))], true),
    role('deploy', trustAccounts, [doc(
      allow(['cloudformation:*'], '*'),
      allow('iam:PassRole', arn('cfn-exec')),
      allow(['s3:GetObject*', 's3:GetBucket*', 's3:List*'], [bucket, `${bucket}/*`]),
      allow('ssm:GetParameter*', `arn:${p.partition}:ssm:${p.region}:${p.account}:parameter/cdk-bootstrap/${q}/version`),
    )]),
    role('file-publishing', trustAccounts, [doc(allow(['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*', 's3:DeleteObject*', 's3:PutObject*'], [bucket, `${bucket}/*`]))]),
    role('image-publishing', trustAccounts, [doc(
      allow(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchCheckLayerAvailability',
        'ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      `arn:${p.partition}:ecr:${p.region}:${p.account}:repository/cdk-${q}-container-assets-${p.account}-${p.region}`),
      allow('ecr:GetAuthorizationToken', '*'),
    )]),
    role('lookup', trustAccounts, [doc(allow(['ec2:Describe*', 'ssm:GetParameter', 'route53:List*', 'route53:Get*'], '*'), { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' })]),
  ];
}
