/**
 * The properties every Springboard bucket shares: TLS only, never public, owner-enforced objects,
 * versioned, and retained when its stack goes (buckets hold evidence or data). Encryption differs
 * per bucket (a KMS key where the service allows it), so each bucket sets its own.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';

export const SECURE_BUCKET_DEFAULTS = {
  enforceSSL: true,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies BucketProps;
