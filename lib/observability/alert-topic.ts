/**
 * A team environment's alert topic: encrypted with a customer-managed key that CloudWatch and
 * EventBridge may use, e-mail subscriptions from the registry routed by severity, and optionally
 * a chat channel through AWS Chatbot.
 *
 * Routing by severity happens on the one topic the naming contract names: the owner's
 * subscription receives everything, the on-call subscription only messages whose `AlarmName`
 * starts with the environment's critical prefix (an SNS filter policy on the message body).
 */
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterOrPolicy, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ChatChannelConfiguration } from './chat-channel';
import type { ChatChannel, Contact } from '../registry/types';

export interface AlertTopicProps {
  /** Topic name, from the naming contract. */
  readonly topicName: string;
  /** Customer-managed key the topic is encrypted with; its policy is extended for the publishers. */
  readonly key: IKey;
  /**
   * Receives every message (warnings, criticals, pipeline events).
   * @default - no e-mail subscription (a topic whose subscribers the registry does not name yet)
   */
  readonly owner?: Contact;
  /**
   * Receives only messages of alarms whose name starts with this prefix.
   * @default - no on-call subscription (outside prod nothing pages)
   */
  readonly onCall?: { readonly contact: Contact; readonly alarmNamePrefix: string };
  /**
   * Chat channel that receives every message.
   * @default - none
   */
  readonly chat?: ChatChannel;
  /** Name of the chat channel configuration, when `chat` is given. */
  readonly chatConfigurationName?: string;
  /**
   * AWS services that publish to the topic.
   * @default ['cloudwatch.amazonaws.com']
   */
  readonly publishers?: readonly string[];
}

export class AlertTopic extends Construct {
  readonly topic: Topic;
  readonly chat?: ChatChannelConfiguration;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const publishers = props.publishers ?? ['cloudwatch.amazonaws.com'];
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: props.topicName,
      masterKey: props.key,
      enforceSSL: true,
    });
    for (const service of publishers) {
      const principal = new ServicePrincipal(service);
      const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
      this.topic.addToResourcePolicy(new PolicyStatement({
        actions: ['sns:Publish'], principals: [principal], resources: [this.topic.topicArn], conditions: sameAccount,
      }));
      // An encrypted topic is only usable by a service the key lets generate data keys.
      props.key.addToResourcePolicy(new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], principals: [principal], resources: ['*'], conditions: sameAccount,
      }));
    }
    if (props.owner) this.topic.addSubscription(new EmailSubscription(props.owner.email));
    if (props.onCall) {
      this.topic.addSubscription(new EmailSubscription(props.onCall.contact.email, {
        filterPolicyWithMessageBody: {
          AlarmName: FilterOrPolicy.filter(SubscriptionFilter.stringFilter({ matchPrefixes: [props.onCall.alarmNamePrefix] })),
        },
      }));
    }
    if (props.chat) {
      if (!props.chatConfigurationName) throw new Error(`alert topic ${props.topicName}: a chat channel needs chatConfigurationName, received none`);
      this.chat = new ChatChannelConfiguration(this, 'Chat', { channel: props.chat, configurationName: props.chatConfigurationName, topics: [this.topic] });
    }
  }
}
