import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TAG_KEYS } from '../contract';

/**
 * S3 ignores `aws:ResourceTag` on object requests unless bucket ABAC is on, so the boundary's
 * tag-match deny does not protect a team's objects from another team in the same account. Each
 * bucket's own policy therefore refuses principals tagged with another team; untagged principals
 * (AWS services, log delivery, the platform) are unaffected.
 */
export function denyOtherTeamsOnBuckets(scope: Construct, teamId: string): void {
  const buckets = scope.node.findAll().filter((c): c is Bucket => c instanceof Bucket);
  for (const bucket of buckets) {
    bucket.addToResourcePolicy(new PolicyStatement({
      sid: 'DenyOtherTeams',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: {
        Null: { [`aws:PrincipalTag/${TAG_KEYS.team}`]: 'false' },
        StringNotEquals: { [`aws:PrincipalTag/${TAG_KEYS.team}`]: teamId },
      },
    }));
  }
}
