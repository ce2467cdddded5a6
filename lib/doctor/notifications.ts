/**
 * Alert routing: every subscription of the platform's topics is confirmed (an e-mail subscription
 * left `PendingConfirmation` silently reaches nobody), and a team's chat workspace is authorised
 * in AWS Chatbot in each account that sends to it (until then the channel fails to deploy).
 */
import { DescribeSlackWorkspacesCommand, type DescribeSlackWorkspacesCommandOutput, ListMicrosoftTeamsConfiguredTeamsCommand, type ListMicrosoftTeamsConfiguredTeamsCommandOutput } from '@aws-sdk/client-chatbot';
import { ListSubscriptionsByTopicCommand, type ListSubscriptionsByTopicCommandOutput, type Subscription } from '@aws-sdk/client-sns';
import { failureKind } from './errors';
import type { PlaceContext } from './place';
import { fail, type Finding, ok, warn } from './types';
import type { ChatChannel } from '../registry/types';

const G = 'notifications';
const PENDING = 'PendingConfirmation';

/** Every subscription of a topic, all pages. */
async function subscriptionsOf(ctx: PlaceContext, topicArn: string): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.send<ListSubscriptionsByTopicCommandOutput>('sns', new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
    all.push(...(page.Subscriptions ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

export async function checkTopic(ctx: PlaceContext, topicName: string, deployedBy: string): Promise<Finding> {
  const arn = `arn:${ctx.partition}:sns:${ctx.region}:${ctx.account}:${topicName}`;
  let subscriptions: Subscription[];
  try {
    subscriptions = await subscriptionsOf(ctx, arn);
  } catch (error) {
    if (failureKind(error) !== 'not-found') throw error;
    return warn(G, topicName, `not deployed yet (${deployedBy} creates it with its subscriptions)`, `deploy ${deployedBy}, then run doctor again to see its subscriptions`);
  }
  if (subscriptions.length === 0) return fail(G, topicName, 'no subscription: its alarms reach nobody', `add contacts to the team's registry entry and deploy ${deployedBy}`);
  const pending = subscriptions.filter(s => s.SubscriptionArn === PENDING);
  if (pending.length > 0) {
    const who = pending.map(s => `${s.Protocol ?? '?'}:${s.Endpoint ?? '?'}`).join(', ');
    const resend = pending.filter(s => s.Endpoint).map(s => `aws sns subscribe --topic-arn ${arn} --protocol ${s.Protocol ?? 'email'} --notification-endpoint ${s.Endpoint}`);
    return fail(G, topicName, `${pending.length} of ${subscriptions.length} subscriptions ${PENDING} (${who}): those recipients are not notified`,
      `each recipient opens the "AWS Notification - Subscription Confirmation" e-mail and confirms; to send it again: ${resend.join(' ; ')}`);
  }
  return ok(G, topicName, `${subscriptions.length} subscription${subscriptions.length === 1 ? '' : 's'}, all confirmed`);
}

/** Where the AWS Chatbot API answers for a partition (it is not in every region). */
export function chatbotRegion(partition: string): string {
  return partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-2';
}

export async function checkChatWorkspace(ctx: PlaceContext, chat: ChatChannel, teams: readonly string[]): Promise<Finding> {
  const send = ctx.sendIn(chatbotRegion(ctx.partition));
  const users = teams.join(', ');
  const consoleStep = `sign in to account ${ctx.account}, open AWS Chatbot (https://console.aws.amazon.com/chatbot/home), "Configure new client", `
    + `choose ${chat.kind === 'slack' ? 'Slack' : 'Microsoft Teams'} and authorise ${chat.kind === 'slack' ? 'workspace' : 'tenant'} ${chat.workspaceId}`;
  if (chat.kind === 'slack') {
    const out = await send<DescribeSlackWorkspacesCommandOutput>('chatbot', new DescribeSlackWorkspacesCommand({}));
    const found = (out.SlackWorkspaces ?? []).find(w => w.SlackTeamId === chat.workspaceId);
    return found
      ? ok(G, `Slack ${chat.workspaceId}`, `workspace ${found.SlackTeamName ?? chat.workspaceId} is authorised (teams ${users})`)
      : fail(G, `Slack ${chat.workspaceId}`, `workspace ${chat.workspaceId} is not authorised in AWS Chatbot: the chat channel of ${users} fails to deploy`, consoleStep);
  }
  const out = await send<ListMicrosoftTeamsConfiguredTeamsCommandOutput>('chatbot', new ListMicrosoftTeamsConfiguredTeamsCommand({}));
  const found = (out.ConfiguredTeams ?? []).find(t => t.TenantId === chat.workspaceId && (!chat.teamId || t.TeamId === chat.teamId));
  return found
    ? ok(G, `Teams ${chat.workspaceId}`, `tenant ${chat.workspaceId} is authorised (teams ${users})`)
    : fail(G, `Teams ${chat.workspaceId}`, `tenant ${chat.workspaceId}${chat.teamId ? ` (team ${chat.teamId})` : ''} is not authorised in AWS Chatbot: the chat channel of ${users} fails to deploy`, consoleStep);
}
