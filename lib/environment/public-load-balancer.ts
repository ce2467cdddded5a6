/**
 * The internet-facing load balancer of an environment: HTTPS with the registry's certificate
 * (plain HTTP only where the caller allows it, i.e. non-prod without a certificate), invalid
 * headers dropped, access logs in an encrypted bucket.
 */
import { Duration } from 'aws-cdk-lib';
import { IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import {
  ApplicationListener, ApplicationLoadBalancer, ApplicationProtocol, ListenerAction, ListenerCertificate, SslPolicy,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Bucket, BucketEncryption, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { SECURE_BUCKET_DEFAULTS } from '../construct-kit/bucket-defaults';

export interface PublicLoadBalancerProps {
  readonly vpc: IVpc;
  /**
   * ACM certificate of the HTTPS listener.
   * @default - plain HTTP, only when allowPlainHttp is true
   */
  readonly certificateArn?: string;
  /**
   * Whether a listener without TLS is acceptable (never in prod).
   * @default false
   */
  readonly allowPlainHttp?: boolean;
  readonly sslPolicy: SslPolicy;
  /**
   * Protects the load balancer from deletion.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /** Days access logs are kept. */
  readonly accessLogDays: number;
}

const CERTIFICATE_ARN = /^arn:[a-z-]+:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: ApplicationLoadBalancer;
  /** The listener the service's targets join. */
  readonly listener: ApplicationListener;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    validate(props);
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: 'Public load balancer: web traffic in, service port out',
    });
    this.loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    this.accessLogs = accessLogBucket(this, props.accessLogDays);
    this.loadBalancer.logAccessLogs(this.accessLogs);
    this.listener = props.certificateArn ? this.https(props.certificateArn, props.sslPolicy) : this.plainHttp();
    acknowledgeByDesign(this, props);
  }

  private https(certificateArn: string, sslPolicy: SslPolicy): ApplicationListener {
    this.loadBalancer.connections.allowFrom(Peer.anyIpv4(), Port.tcp(443), 'HTTPS from the internet');
    this.loadBalancer.connections.allowFrom(Peer.anyIpv4(), Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
    this.loadBalancer.addListener('HttpRedirect', {
      protocol: ApplicationProtocol.HTTP,
      port: 80,
      open: false,
      defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    return this.loadBalancer.addListener('Https', {
      protocol: ApplicationProtocol.HTTPS,
      port: 443,
      open: false,
      sslPolicy,
      certificates: [ListenerCertificate.fromArn(certificateArn)],
    });
  }

  private plainHttp(): ApplicationListener {
    this.loadBalancer.connections.allowFrom(Peer.anyIpv4(), Port.tcp(80), 'HTTP from the internet (non-prod without a certificate)');
    return this.loadBalancer.addListener('Http', { protocol: ApplicationProtocol.HTTP, port: 80, open: false });
  }
}

function validate(props: PublicLoadBalancerProps): void {
  if (props.certificateArn === undefined && !props.allowPlainHttp) {
    throw new Error('a load balancer without plain HTTP needs a certificate: received no certificateArn; expected an ACM certificate ARN (required in prod)');
  }
  if (props.certificateArn !== undefined && !CERTIFICATE_ARN.test(props.certificateArn)) {
    throw new Error(`certificateArn must look like arn:<partition>:acm:<region>:<account>:certificate/<id>, received "${props.certificateArn}"`);
  }
}

/** ALB access logs support only S3-managed encryption, so this bucket cannot use the environment key. */
function accessLogBucket(scope: Construct, days: number): Bucket {
  return new Bucket(scope, 'AccessLogs', {
    encryption: BucketEncryption.S3_MANAGED,
    ...SECURE_BUCKET_DEFAULTS,
    lifecycleRules: [{
      id: 'archive-then-expire',
      transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
      expiration: Duration.days(Math.max(days, 91)),
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }],
  });
}

/** Findings this construct accepts by design, each with the reason an auditor reads (docs/compliance.md). */
function acknowledgeByDesign(lb: PublicLoadBalancer, props: PublicLoadBalancerProps): void {
  lb.loadBalancer.connections.securityGroups.forEach(group => acknowledge(group, 'AwsSolutions-EC23',
    'Internet-facing load balancer: inbound from anywhere is limited to ports 443 and 80 (80 redirects to HTTPS, or serves plain HTTP only '
    + 'in non-prod without a certificate); the service admits traffic only from this group (SC-7).'));
  const destination = 'This bucket receives the load balancer\'s access logs; server access logs of it would only log log deliveries. '
    + 'It is SSL-only, versioned and private (AU-9).';
  for (const rule of ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'CT.S3.PR.2']) acknowledge(lb.accessLogs, rule, destination);
  const sseS3 = 'Load balancer access logs can be delivered only to buckets encrypted with S3-managed keys; objects are still encrypted at rest (SC-28).';
  for (const rule of ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'CT.S3.PR.10']) acknowledge(lb.accessLogs, rule, sseS3);
  const redirect = lb.loadBalancer.node.tryFindChild('HttpRedirect');
  if (redirect) {
    acknowledge(redirect, 'NIST.800.53.R5-ELBv2ACMCertificateRequired', 'This port-80 listener only answers with a permanent redirect '
      + 'to the HTTPS listener, which carries the registry\'s ACM certificate (SC-8).');
  }
  if (!props.certificateArn) {
    const plain = 'Non-prod environment without a certificate in the registry: plain HTTP is allowed there by design, and prod refuses to '
      + 'synthesize without a certificate (SC-8).';
    for (const rule of ['NIST.800.53.R5-ALBHttpToHttpsRedirection', 'NIST.800.53.R5-ELBv2ACMCertificateRequired', 'CT.ELASTICLOADBALANCING.PR.1']) {
      acknowledge(lb.listener, rule, plain);
    }
  }
  if (!props.deletionProtection) {
    const disposable = 'Deletion protection is requested for prod only; this load balancer holds no data and is recreated from the template, '
      + 'and non-prod environments must be removable (CM-2).';
    for (const rule of ['NIST.800.53.R5-ELBDeletionProtectionEnabled', 'CT.ELASTICLOADBALANCING.PR.5']) acknowledge(lb.loadBalancer, rule, disposable);
  }
}
