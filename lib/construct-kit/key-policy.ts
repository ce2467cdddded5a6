import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';

/**
 * Grants on a key let their holder use it without the key policy's say: only AWS services acting
 * for a resource (RDS, Backup, ECR...) may create them (Control Tower CT.KMS.PR.3).
 */
export function limitGrantsToAwsServices(key: IKey): void {
  key.addToResourcePolicy(new PolicyStatement({
    sid: 'DenyGrantsExceptForAwsServices',
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}
