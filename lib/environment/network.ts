/**
 * The environment's network: two zones, public subnets for the load balancer and NAT, private
 * subnets for tasks, isolated subnets for the database, and flow logs of all traffic.
 */
import { FlowLogDestination, FlowLogTrafficType, IpAddresses, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance';
import { encryptedLogGroup } from './log-groups';

export interface NetworkProps {
  /** IPv4 range of the VPC, at least a /24. */
  readonly cidr: string;
  /** Log group name of the flow logs. */
  readonly flowLogGroupName: string;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /**
   * NAT gateways: one per zone survives a zone outage, one in all costs less.
   * @default 1
   */
  readonly natGateways?: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export class Network extends Construct {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const prefix = validateCidr(props.cidr);
    const natGateways = props.natGateways ?? 1;
    if (natGateways < 1 || natGateways > 2) throw new Error(`natGateways must be 1 or 2 (one per zone), received ${natGateways}`);
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr(props.cidr),
      maxAzs: 2,
      natGateways,
      // Closing the default security group needs a custom-resource Lambda per stack; no resource uses it.
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        // Half the range for tasks, a quarter each for the load balancer and the database (a /24 still gives the ALB its /27).
        { name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: prefix + 3, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: prefix + 2 },
        { name: 'Isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: prefix + 3 },
      ],
    });
    acknowledge(this.vpc, 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      'no resource is ever placed in the default security group (every ENI gets its own group); closing it needs a custom-resource Lambda per stack');
    const logGroup = encryptedLogGroup(this, 'FlowLogGroup', { logGroupName: props.flowLogGroupName, key: props.key, retention: props.logRetention });
    this.vpc.addFlowLog('FlowLog', { destination: FlowLogDestination.toCloudWatchLogs(logGroup), trafficType: FlowLogTrafficType.ALL });
    const publicRoute = 'Public subnets hold only the internet-facing load balancer and the NAT gateways, which need a default route to the '
      + 'internet gateway; tasks and databases run in private and isolated subnets (SC-7).';
    this.vpc.publicSubnets.forEach(subnet => acknowledge(subnet, 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', publicRoute));
  }
}

/** The prefix length of a valid range. */
function validateCidr(cidr: string): number {
  const match = CIDR_PATTERN.exec(cidr);
  const octetsOk = match !== null && match.slice(1, 5).every(o => Number(o) <= 255);
  const prefix = match ? Number(match[5]) : NaN;
  if (!octetsOk || !(prefix >= 16 && prefix <= 24)) {
    throw new Error(`vpc cidr must be an IPv4 range from /16 to /24, received "${cidr}"`);
  }
  return prefix;
}
