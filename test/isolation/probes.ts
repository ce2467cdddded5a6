/** Representative actions per resource type, and the broadest identity policy a team could attach. */
import { TEAM_ALLOWED_ACTIONS, actionMatches } from '../../lib/baseline/boundary-actions';
import { IAM_WRITE_ACTIONS } from '../../lib/baseline/platform-boundary';
import type { PolicyDocument, ResourceModel } from '../../lib/escalation/assembly/iam-model';
import type { SimResource } from '../support/iam/simulate';

/** Every action the boundary lets a team hold, on every resource: the boundary is then the only guard. */
export const BROADEST_GRANT: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: [...TEAM_ALLOWED_ACTIONS], Resource: '*' }],
};

const logGroup = (r: ResourceModel) => r.arn.replace(/:\*$/, '');

/** Reads, writes and destruction per type, each action one the boundary's allow list contains. */
export const ACTIONS_BY_TYPE: Record<string, (r: ResourceModel) => Array<[string, string]>> = {
  'AWS::KMS::Key': r => [['kms:Decrypt', r.arn], ['kms:GenerateDataKey', r.arn]],
  'AWS::S3::Bucket': r => [['s3:GetObject', `${r.arn}/probe`], ['s3:PutObject', `${r.arn}/probe`], ['s3:DeleteBucket', r.arn]],
  'AWS::Logs::LogGroup': r => [['logs:GetLogEvents', `${logGroup(r)}:log-stream:probe`], ['logs:DeleteLogGroup', logGroup(r)]],
  'AWS::RDS::DBInstance': r => [['rds:DeleteDBInstance', r.arn], ['rds:ModifyDBInstance', r.arn]],
  'AWS::ECR::Repository': r => [['ecr:BatchGetImage', r.arn], ['ecr:PutImage', r.arn], ['ecr:DeleteRepository', r.arn]],
  'AWS::IAM::Role': r => [['iam:PutRolePolicy', r.arn], ['iam:PassRole', r.arn], ['iam:UpdateAssumeRolePolicy', r.arn]],
  'AWS::ECS::Cluster': r => [['ecs:DeleteCluster', r.arn]],
  'AWS::SecretsManager::Secret': r => [['secretsmanager:GetSecretValue', r.arn]],
  'AWS::SNS::Topic': r => [['sns:Publish', r.arn]],
};

/** The simulated target: the owner's account, tags and policy (a role's trust applies to sts only). */
export function resourceOf(arn: string, owner: ResourceModel | undefined, callerAccount: string, action = ''): SimResource {
  // Resources without an account in their ARN (S3, `*`) belong to the owner's account, or the caller's.
  const account = owner?.account || arn.split(':')[4] || callerAccount;
  const policy = owner && (owner.type !== 'AWS::IAM::Role' || action.startsWith('sts:')) ? owner.policy : undefined;
  return { arn, account, tags: owner?.tags, policy };
}

/** Whether the boundary's DenyIamWrites covers the action. */
export function isIamWrite(action: string): boolean {
  return IAM_WRITE_ACTIONS.some(p => actionMatches(p, action));
}
