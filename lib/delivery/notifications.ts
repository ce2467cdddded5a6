/**
 * The team's delivery topic in the tooling account and what reaches it: a failed execution and a
 * prod release (EventBridge rules on the pipeline's own events), and approvals (published by the
 * approval action itself, with the revision's link). Subscribed: the team's owner and on-call.
 */
import { IPipeline } from 'aws-cdk-lib/aws-codepipeline';
import { EventField, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { PROD_STAGE_NAME, deliveryTopicName } from '../contract';
import type { Contact } from '../registry/types';

export interface DeliveryNotificationsProps {
  readonly teamId: string;
  readonly key: IKey;
  /** People subscribed by e-mail (each confirms once). */
  readonly contacts: readonly Contact[];
}

export class DeliveryNotifications extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: DeliveryNotificationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: deliveryTopicName(props.teamId),
      displayName: `Springboard delivery of ${props.teamId}`,
      masterKey: props.key,
      enforceSSL: true,
    });
    const emails = [...new Set(props.contacts.map(c => c.email.toLowerCase()))].sort();
    for (const email of emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /**
   * Successful prod stages of `pipeline` go to the topic, with a console link. Failed executions are
   * routed by the observability layer's named rule (alarm catalogue: pipelineFailed), once.
   */
  watch(pipeline: IPipeline, consoleUrl: (executionId: string) => string): void {
    const execution = EventField.fromPath('$.detail.execution-id');
    pipeline.onEvent('ProdReleased', {
      description: 'The prod stage succeeded: a release reached production',
      eventPattern: {
        detailType: ['CodePipeline Stage Execution State Change'],
        detail: { stage: [PROD_STAGE_NAME], state: ['SUCCEEDED'] },
      },
      target: new SnsTopic(this.topic, {
        message: RuleTargetInput.fromText(`RELEASED: pipeline ${EventField.fromPath('$.detail.pipeline')} execution ${execution} reached prod. ${consoleUrl(execution)}`),
      }),
    });
  }
}
