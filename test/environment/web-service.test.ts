import { Match } from 'aws-cdk-lib/assertions';
import { environmentStack, resourcesOf } from './helpers';
import { SERVICE_CONTAINER_NAME } from '../../lib/contract';

describe('WebService', () => {
  const { json, template } = environmentStack({ environment: 'prod' });
  const service = Object.values<any>(resourcesOf(json, 'AWS::ECS::Service'))[0];
  const task = Object.values<any>(resourcesOf(json, 'AWS::ECS::TaskDefinition'))[0];

  test('runs on Fargate in private subnets without public IPs', () => {
    expect(service.Properties.LaunchType).toBe('FARGATE');
    expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets.forEach((s: any) => expect(s.Ref).toMatch(/PrivateSubnet/));
  });

  test('rolls back a failing deployment through the circuit breaker', () => {
    expect(service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(service.Properties.DeploymentConfiguration.MinimumHealthyPercent).toBe(100);
  });

  test('names its one container as the repository contract does (imagedefinitions.json, the Deploy and Migrate actions, Verify)', () => {
    expect(task.Properties.ContainerDefinitions.map((c: any) => c.Name)).toEqual([SERVICE_CONTAINER_NAME]);
  });

  test('keeps the root file system read-only with a writable /tmp', () => {
    const container = task.Properties.ContainerDefinitions[0];
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints).toEqual([{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' }]);
  });

  test('logs to the contract log group, encrypted', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/springboard/a/prod/service', KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('may pull only from the team repository', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Effect: 'Allow',
          Resource: 'arn:aws:ecr:us-east-1:111111111111:repository/springboard/a',
        }]),
      },
    });
  });

  test('tasks accept traffic only from the load balancer and send only HTTPS out (plus the database)', () => {
    const ingress = Object.values<any>(resourcesOf(json, 'AWS::EC2::SecurityGroupIngress')).filter(r => JSON.stringify(r.Properties.GroupId).includes('ServiceSecurityGroup'));
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).toMatch(/^LoadBalancerSecurityGroup/);
    const sg = Object.entries<any>(resourcesOf(json, 'AWS::EC2::SecurityGroup')).find(([id]) => id.startsWith('ServiceSecurityGroup'))![1];
    expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })]);
  });
});

describe('WebService container limits', () => {
  const { json } = environmentStack({ environment: 'prod' });
  const container = Object.values<any>(resourcesOf(json, 'AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0];

  test('runs as a non-root user with a memory limit', () => {
    expect(container.User).toBe('1000:1000');
    expect(container.Memory).toBe(1024);
  });
});
