/**
 * A team's image repository, in the tooling account next to its delivery pipeline: immutable
 * tags, scan on push, a customer-managed key, and pull (never push) for every account the team
 * deploys to.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Repository, RepositoryEncryption, TagMutability } from 'aws-cdk-lib/aws-ecr';
import { AccountPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { limitGrantsToAwsServices } from '../construct-kit/key-policy';
import { imageRepositoryName } from '../contract';

export interface ImageRepositoryProps {
  readonly teamId: string;
  /** Accounts of the team's environments: they may pull. */
  readonly pullAccounts: readonly string[];
  /**
   * Images kept; older ones expire (a release record must never point at more than this many releases back).
   * @default 200
   */
  readonly maxImages?: number;
}

export class ImageRepository extends Construct {
  readonly repository: Repository;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const accounts = [...new Set(props.pullAccounts)].sort();
    const bad = accounts.filter(a => !/^\d{12}$/.test(a));
    if (bad.length > 0) throw new Error(`image pull accounts must be 12 digits, received ${bad.join(', ')}`);
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: `Images of ${props.teamId}`, removalPolicy: RemovalPolicy.RETAIN });
    limitGrantsToAwsServices(this.key);
    this.repository = new Repository(this, 'Repository', {
      repositoryName: imageRepositoryName(props.teamId),
      imageTagMutability: TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: RepositoryEncryption.KMS,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ description: 'Keep the most recent images', maxImageCount: props.maxImages ?? 200 }],
    });
    if (accounts.length > 0) this.allowPull(accounts);
  }

  private allowPull(accounts: readonly string[]): void {
    this.repository.addToResourcePolicy(new PolicyStatement({
      sid: 'PullFromTeamEnvironments',
      principals: accounts.map(a => new AccountPrincipal(a)),
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    }));
    // Layers are decrypted on the puller's behalf; allow it only through ECR in this region.
    this.key.addToResourcePolicy(new PolicyStatement({
      sid: 'DecryptForTeamEnvironmentPulls',
      principals: accounts.map(a => new AccountPrincipal(a)),
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `ecr.${Stack.of(this).region}.amazonaws.com` } },
    }));
  }
}
