/**
 * Slack or Microsoft Teams through AWS Chatbot. The channel may read CloudWatch (to render alarm
 * graphs) and nothing else: its role has a read-only inline policy, the guardrail policy caps what
 * any channel member can do to CloudWatch read-only, and the role carries the platform boundary
 * like every other role in the stack.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnMicrosoftTeamsChannelConfiguration, CfnSlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledgments';
import { encodedTeamsChannelId } from '../contract/chat-ids';
import type { ChatChannel } from '../registry/types';

/** Read-only CloudWatch actions the channel needs to render alarm notifications. */
export const CHAT_READ_ACTIONS: readonly string[] = [
  'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:GetMetricData', 'cloudwatch:GetMetricWidgetImage',
];

export interface ChatChannelConfigurationProps {
  readonly channel: ChatChannel;
  /** Name of the Chatbot configuration (unique per account). */
  readonly configurationName: string;
  readonly topics: readonly ITopic[];
}

export class ChatChannelConfiguration extends Construct {
  readonly role: Role;
  readonly configuration: CfnSlackChannelConfiguration | CfnMicrosoftTeamsChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatChannelConfigurationProps) {
    super(scope, id);
    validateChannel(props.channel);
    const partition = Stack.of(this).partition;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      description: `AWS Chatbot channel ${props.configurationName}: reads CloudWatch to render alarms`,
      inlinePolicies: { ReadAlarms: new PolicyDocument({ statements: [new PolicyStatement({ actions: [...CHAT_READ_ACTIONS], resources: ['*'] })] }) },
    });
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'The CloudWatch read actions the chat channel uses (DescribeAlarms, GetMetricData, '
      + 'GetMetricWidgetImage) do not support resource-level permissions; they are read-only and capped by the guardrail policy (AC-6).');
    const common = {
      configurationName: props.configurationName,
      iamRoleArn: this.role.roleArn,
      snsTopicArns: props.topics.map(t => t.topicArn),
      guardrailPolicies: [`arn:${partition}:iam::aws:policy/CloudWatchReadOnlyAccess`],
      loggingLevel: 'ERROR',
      userRoleRequired: false,
    };
    const { channel } = props;
    this.configuration = channel.kind === 'slack'
      ? new CfnSlackChannelConfiguration(this, 'Slack', { ...common, slackWorkspaceId: channel.workspaceId, slackChannelId: channel.channelId })
      : new CfnMicrosoftTeamsChannelConfiguration(this, 'Teams', {
        ...common, teamsTenantId: channel.workspaceId, teamsChannelId: encodedTeamsChannelId(channel.channelId), teamId: channel.teamId!,
      });
  }
}

function validateChannel(channel: ChatChannel): void {
  if (channel.kind === 'teams' && !channel.teamId) {
    throw new Error(`a Microsoft Teams chat channel needs teamId (the Teams team id), received workspaceId ${channel.workspaceId} and channelId ${channel.channelId} only`);
  }
}
