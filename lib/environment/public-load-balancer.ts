/**
 * The load balancer of an environment: HTTPS with the registry's certificate (plain HTTP only where
 * the caller allows it), invalid headers dropped, access logs in an encrypted bucket. Internet-facing
 * by default; internal on request; reachable only from the allowed ranges when the registry lists some.
 */
import { Duration } from 'aws-cdk-lib';
import { IPeer, IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
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
   * Whether a listener without TLS is acceptable (never in prod; at moderate and high only on an
   * internal load balancer).
   * @default false
   */
  readonly allowPlainHttp?: boolean;
  /**
   * In private subnets, reachable only from the VPC (or the allowed ranges) instead of the internet.
   * @default false
   */
  readonly internal?: boolean;
  /**
   * The only IPv4 ranges that may connect (ports 443 and 80).
   * @default - anywhere when internet-facing, the VPC's range when internal
   */
  readonly allowedCidrs?: readonly string[];
  readonly sslPolicy: SslPolicy;
  /**
   * Protects the load balancer from deletion.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /** Days access logs are kept. */
  readonly accessLogDays: number;
}

const CERTIFICATE_ARN = /^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IPV4_CIDR = /^(\d{1,3}\.){3}\d{1,3}\/([1-9]|[12]\d|3[0-2])$/;

export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: ApplicationLoadBalancer;
  /** The listener the service's targets join. */
  readonly listener: ApplicationListener;
  readonly accessLogs: Bucket;
  /** Where connections may come from, as the security group admits them. */
  private readonly sources: ReadonlyArray<{ readonly peer: IPeer; readonly label: string }>;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    validate(props);
    const internal = props.internal ?? false;
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: 'Public load balancer: web traffic in, service port out',
    });
    this.sources = props.allowedCidrs?.map(cidr => ({ peer: Peer.ipv4(cidr), label: cidr }))
      ?? [internal ? { peer: Peer.ipv4(props.vpc.vpcCidrBlock), label: 'the VPC' } : { peer: Peer.anyIpv4(), label: 'the internet' }];
    this.loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: !internal,
      vpcSubnets: { subnetType: internal ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PUBLIC },
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
    this.allowFromSources(443, 'HTTPS');
    this.allowFromSources(80, 'HTTP', ', redirected to HTTPS');
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
    this.allowFromSources(80, 'HTTP', ' (no certificate in this environment)');
    return this.loadBalancer.addListener('Http', { protocol: ApplicationProtocol.HTTP, port: 80, open: false });
  }

  private allowFromSources(port: number, what: string, note = ''): void {
    for (const source of this.sources) this.loadBalancer.connections.allowFrom(source.peer, Port.tcp(port), `${what} from ${source.label}${note}`);
  }
}

function validate(props: PublicLoadBalancerProps): void {
  if (props.certificateArn === undefined && !props.allowPlainHttp) {
    throw new Error('a load balancer without plain HTTP needs a certificate: received no certificateArn; expected an ACM certificate ARN (required in prod)');
  }
  if (props.certificateArn !== undefined && !CERTIFICATE_ARN.test(props.certificateArn)) {
    throw new Error(`certificateArn must look like arn:<partition>:acm:<region>:<account>:certificate/<uuid>, received "${props.certificateArn}"`);
  }
  if (props.allowedCidrs !== undefined) {
    const bad = props.allowedCidrs.filter(cidr => !IPV4_CIDR.test(cidr));
    if (props.allowedCidrs.length === 0 || bad.length > 0) {
      throw new Error(`allowedCidrs must list IPv4 ranges narrower than 0.0.0.0/0, like 203.0.113.0/24, received ${JSON.stringify(props.allowedCidrs)}`);
    }
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
  if (!props.internal && !props.allowedCidrs) {
    lb.loadBalancer.connections.securityGroups.forEach(group => acknowledge(group, 'AwsSolutions-EC23',
      'Internet-facing load balancer: inbound from anywhere is limited to ports 443 and 80 (80 redirects to HTTPS, or serves plain HTTP only '
      + 'in a non-prod environment of low data without a certificate); the service admits traffic only from this group (SC-7).'));
  }
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
    const plain = props.internal
      ? 'Internal load balancer without a certificate in the registry: plain HTTP stays inside the VPC and the networks connected to it; '
        + 'an internet-facing environment of moderate or high data, and prod, refuse to synthesize without a certificate (SC-8).'
      : 'Non-prod environment of low data without a certificate in the registry: plain HTTP is allowed there by design; prod and every '
        + 'internet-facing environment of moderate or high data refuse to synthesize without a certificate (SC-8).';
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
