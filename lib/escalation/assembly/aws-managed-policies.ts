/**
 * AWS-managed policies that team roles attach, as AWS publishes them (offline: the evaluation must
 * run without credentials). A role attaching one not listed here fails the isolation tests, so a
 * new attachment is reviewed rather than skipped.
 */
import type { PolicyDocument } from './iam-model';

const MANAGED: Record<string, (partition: string) => PolicyDocument> = {
  // Lambda functions of team stacks (the database users function and its provider framework).
  'service-role/AWSLambdaBasicExecutionRole': () => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  }),
  // Version v3 (2024-01-05): a function in a VPC attaches its network interfaces.
  'service-role/AWSLambdaVPCAccessExecutionRole': () => ({
    Version: '2012-10-17',
    Statement: [{
      Sid: 'AWSLambdaVPCAccessExecutionPermissions',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    }],
  }),
  'service-role/AmazonRDSEnhancedMonitoringRole': partition => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableCreationAndManagementOfRDSCloudwatchLogGroups',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
        Resource: [`arn:${partition}:logs:*:*:log-group:RDS*`],
      },
      {
        Sid: 'EnableCreationAndManagementOfRDSCloudwatchLogStreams',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        Resource: [`arn:${partition}:logs:*:*:log-group:RDS*:log-stream:*`],
      },
    ],
  }),
};

/** The document of an AWS-managed policy ARN, or undefined when it is not one this file knows. */
export function awsManagedPolicy(arn: string): PolicyDocument | undefined {
  const match = /^arn:([a-z-]+):iam::aws:policy\/(.+)$/.exec(arn);
  return match ? MANAGED[match[2]]?.(match[1]) : undefined;
}
