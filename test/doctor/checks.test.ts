/**
 * Each doctor check against mocked AWS clients (aws-sdk-client-mock): the good case, the bad case
 * with its remedy, access denied and throttling. Denied and throttled reads go through the same
 * guard the runner uses, so each becomes that check's row. (The mock replaces `send`, so the SDK's
 * retries do not run here; test/doctor/command.test.ts runs them against a local endpoint.)
 */
import { ChatbotClient, DescribeSlackWorkspacesCommand, ListMicrosoftTeamsConfiguredTeamsCommand } from '@aws-sdk/client-chatbot';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { GetSinkCommand, ListLinksCommand, OAMClient } from '@aws-sdk/client-oam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { DoctorAws } from '../../lib/doctor/aws';
import { checkBootstrap } from '../../lib/doctor/bootstrap';
import { checkConnection } from '../../lib/doctor/connections';
import { checkCostTags } from '../../lib/doctor/cost-tags';
import { guarded } from '../../lib/doctor/errors';
import { checkChatWorkspace, checkTopic } from '../../lib/doctor/notifications';
import { checkLink, checkSink } from '../../lib/doctor/observability';
import { checkCloudTrail, checkConfig, checkGuardDuty, checkSecurityHub } from '../../lib/doctor/org-controls';
import type { PlaceContext } from '../../lib/doctor/place';
import { checkQuota, QUOTAS } from '../../lib/doctor/quotas';
import { contextFor } from '../../lib/doctor/run';
import type { CheckGroup, Finding } from '../../lib/doctor/types';
import { SECRETS } from '../support/fleet/env';

const TOOLING = '111111111111';
const ACCOUNT = '222222222222';
const SINK = `arn:aws:oam:us-east-1:${TOOLING}:sink/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
const CONNECTION = `arn:aws:codeconnections:us-east-1:${TOOLING}:connection/6f1d3a52-0c4e-4b8a-9f0e-2d7c5b1a9e34`;
const aws = new DoctorAws({ toolingAccount: TOOLING, toolingRegion: 'us-east-1', credentials: SECRETS, noAssumeRole: true, maxAttempts: 1 });
const ctx: PlaceContext = contextFor(aws, ACCOUNT, 'us-east-1');
afterAll(() => aws.destroy());

const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const denied = () => sdkError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/springboard-reader/x is not authorized`, 403);
const throttled = () => sdkError('ThrottlingException', 'Rate exceeded');

/** Runs a check the way the runner does: a failed read becomes the check's row. */
const run = (group: CheckGroup, action: string, check: (c: PlaceContext) => Promise<Finding | Finding[]>) =>
  guarded(group, 'check', action, aws.redactor, async () => ([] as Finding[]).concat(await check(ctx)));
const statuses = (rows: Finding[]) => rows.map(r => r.status);

interface Case {
  readonly name: string;
  readonly client: new (...args: any[]) => any;
  readonly group: CheckGroup;
  readonly action: string;
  readonly check: (c: PlaceContext) => Promise<Finding | Finding[]>;
  readonly good: (m: Stub) => void;
  readonly bad: (m: Stub) => void;
  /** A phrase of the bad case's remedy. */
  readonly remedy: string;
}

/** Clients of several SDK versions' types meet here; the stubs are used untyped. */
type Stub = any;

const NEEDS = { toolingAccount: TOOLING, requiredVersion: 8, versionSource: 'test' };
const trustOf = (...accounts: string[]) => encodeURIComponent(JSON.stringify({
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: accounts.map(a => `arn:aws:iam::${a}:root`) } }],
}));

const CASES: Case[] = [
  {
    name: 'bootstrap',
    client: CloudFormationClient,
    group: 'bootstrap',
    action: 'cloudformation:DescribeStacks',
    check: c => checkBootstrap(c, NEEDS),
    good: m => m.onAnyCommand().resolves({ Stacks: [{ StackName: 'CDKToolkit', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] }),
    bad: m => m.onAnyCommand().rejects(sdkError('ValidationError', 'Stack with id CDKToolkit does not exist')),
    remedy: `npx cdk bootstrap aws://${ACCOUNT}/us-east-1 --template bootstrap/springboard-bootstrap-nonprod.yaml --trust ${TOOLING}`,
  },
  {
    name: 'source connection',
    client: CodeStarConnectionsClient,
    group: 'source',
    action: 'codeconnections:GetConnection',
    check: c => checkConnection(c, { arn: CONNECTION, usedBy: ['team pay (teams/pay.yaml)'] }),
    good: m => m.on(GetConnectionCommand).resolves({ Connection: { ConnectionName: 'gh', ConnectionStatus: 'AVAILABLE' } }),
    bad: m => m.on(GetConnectionCommand).resolves({ Connection: { ConnectionName: 'gh', ConnectionStatus: 'PENDING' } }),
    remedy: 'Update pending connection',
  },
  {
    name: 'alert topic subscriptions',
    client: SNSClient,
    group: 'notifications',
    action: 'sns:ListSubscriptionsByTopic',
    check: c => checkTopic(c, 'springboard-pay-prod-alerts', 'springboard-env-pay-prod'),
    good: m => m.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: 'arn:aws:sns:us-east-1:1:t:1', Protocol: 'email', Endpoint: 'a@x.gov' }] }),
    bad: m => m.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'oncall@x.gov' }] }),
    remedy: 'aws sns subscribe --topic-arn arn:aws:sns:us-east-1:222222222222:springboard-pay-prod-alerts --protocol email --notification-endpoint oncall@x.gov',
  },
  {
    name: 'Slack workspace',
    client: ChatbotClient,
    group: 'notifications',
    action: 'chatbot:DescribeSlackWorkspaces',
    check: c => checkChatWorkspace(c, { kind: 'slack', workspaceId: 'T0123ABCD', channelId: 'C1' }, ['pay']),
    good: m => m.on(DescribeSlackWorkspacesCommand).resolves({ SlackWorkspaces: [{ SlackTeamId: 'T0123ABCD', SlackTeamName: 'state' }] }),
    bad: m => m.on(DescribeSlackWorkspacesCommand).resolves({ SlackWorkspaces: [{ SlackTeamId: 'TOTHER', SlackTeamName: 'other' }] }),
    remedy: 'authorise workspace T0123ABCD',
  },
  {
    name: 'Microsoft Teams tenant',
    client: ChatbotClient,
    group: 'notifications',
    action: 'chatbot:ListMicrosoftTeamsConfiguredTeams',
    check: c => checkChatWorkspace(c, { kind: 'teams', workspaceId: 'tenant-1', channelId: 'c', teamId: 'team-1' }, ['pay']),
    good: m => m.on(ListMicrosoftTeamsConfiguredTeamsCommand).resolves({ ConfiguredTeams: [{ TenantId: 'tenant-1', TeamId: 'team-1' }] }),
    bad: m => m.on(ListMicrosoftTeamsConfiguredTeamsCommand).resolves({ ConfiguredTeams: [{ TenantId: 'tenant-1', TeamId: 'team-2' }] }),
    remedy: 'authorise tenant tenant-1',
  },
  {
    name: 'cost-allocation tags',
    client: CostExplorerClient,
    group: 'cost-tags',
    action: 'ce:ListCostAllocationTags',
    check: checkCostTags,
    good: m => m.onAnyCommand().resolves({ CostAllocationTags: ['Team', 'Environment', 'CostCenter', 'ProgramOffice'].map(TagKey => ({ TagKey, Type: 'UserDefined', Status: 'Active' })) }),
    bad: m => m.onAnyCommand().resolves({ CostAllocationTags: ['Team', 'Environment', 'CostCenter', 'ProgramOffice'].map(TagKey => ({ TagKey, Type: 'UserDefined', Status: 'Inactive' })) }),
    remedy: 'aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=Team,Status=Active',
  },
  {
    name: 'observability sink',
    client: OAMClient,
    group: 'observability',
    action: 'oam:GetSink',
    check: c => checkSink(c, SINK),
    good: m => m.on(GetSinkCommand).resolves({ Arn: SINK }),
    bad: m => m.on(GetSinkCommand).rejects(sdkError('ResourceNotFoundException', 'sink not found', 404)),
    remedy: 'observabilitySinkArns',
  },
  {
    name: 'observability link',
    client: OAMClient,
    group: 'observability',
    action: 'oam:ListLinks',
    check: c => checkLink(c, SINK, TOOLING),
    good: m => m.on(ListLinksCommand).resolves({ Items: [{ Arn: 'arn:link', SinkArn: SINK }] }),
    bad: m => m.on(ListLinksCommand).resolves({ Items: [{ Arn: 'arn:link', SinkArn: 'arn:aws:oam:us-east-1:999999999999:sink/other' }] }),
    remedy: `deploy springboard-baseline-${ACCOUNT}-us-east-1`,
  },
  {
    name: 'CloudTrail',
    client: CloudTrailClient,
    group: 'org-controls',
    action: 'cloudtrail:DescribeTrails',
    check: checkCloudTrail,
    good: (m) => {
      m.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 'org', TrailARN: 'arn:aws:cloudtrail:us-east-1:9:trail/org', IsOrganizationTrail: true }] });
      m.on(GetTrailStatusCommand).resolves({ IsLogging: true });
      m.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }] });
    },
    bad: (m) => {
      m.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 'old', TrailARN: 'arn:aws:cloudtrail:us-east-1:9:trail/old' }] });
      m.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    },
    remedy: 'aws cloudtrail create-trail --name org-trail',
  },
  {
    name: 'GuardDuty',
    client: GuardDutyClient,
    group: 'org-controls',
    action: 'guardduty:ListDetectors',
    check: checkGuardDuty,
    good: (m) => {
      m.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
      m.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r' });
    },
    bad: m => m.on(ListDetectorsCommand).resolves({ DetectorIds: [] }),
    remedy: 'aws guardduty create-detector --enable --region us-east-1',
  },
  {
    name: 'Security Hub',
    client: SecurityHubClient,
    group: 'org-controls',
    action: 'securityhub:DescribeHub',
    check: checkSecurityHub,
    good: m => m.onAnyCommand().resolves({ HubArn: 'arn:aws:securityhub:us-east-1:2:hub/default' }),
    bad: m => m.onAnyCommand().rejects(sdkError('InvalidAccessException', 'Account 222222222222 is not subscribed to AWS Security Hub')),
    remedy: 'aws securityhub enable-security-hub --enable-default-standards',
  },
  {
    name: 'AWS Config',
    client: ConfigServiceClient,
    group: 'org-controls',
    action: 'config:DescribeConfigurationRecorderStatus',
    check: checkConfig,
    good: m => m.onAnyCommand().resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: true }] }),
    bad: m => m.onAnyCommand().resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: false }] }),
    remedy: 'aws configservice start-configuration-recorder --configuration-recorder-name default',
  },
  {
    name: 'VPC quota',
    client: ServiceQuotasClient,
    group: 'quotas',
    action: 'servicequotas:ListServiceQuotas',
    check: c => checkQuota(c, QUOTAS.vpcs, 4),
    good: m => m.onAnyCommand().resolves({ Quotas: [{ QuotaCode: 'L-F678F1CE', QuotaName: 'VPCs per Region', Value: 20 }] }),
    bad: m => m.onAnyCommand().resolves({ Quotas: [{ QuotaCode: 'L-F678F1CE', QuotaName: 'VPCs per Region', Value: 3 }] }),
    remedy: 'aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE',
  },
];

const CLIENTS = [CloudFormationClient, SSMClient, IAMClient, CodeStarConnectionsClient, SNSClient, ChatbotClient, CostExplorerClient, OAMClient,
  CloudTrailClient, GuardDutyClient, SecurityHubClient, ConfigServiceClient, ServiceQuotasClient];
let mocks: Map<unknown, Stub>;
beforeEach(() => {
  mocks = new Map(CLIENTS.map(c => [c, mockClient(c as any)]));
  // The bootstrap check reads three services: unless a case says otherwise, the version and trust are good.
  mocks.get(SSMClient)!.onAnyCommand().resolves({ Parameter: { Value: '27' } });
  mocks.get(IAMClient)!.onAnyCommand().resolves({ Role: { AssumeRolePolicyDocument: trustOf(ACCOUNT, TOOLING) } as any });
});
afterEach(() => mocks.forEach(m => m.restore()));

describe.each(CASES)('$name', (c) => {
  test('ok when the account is ready', async () => {
    c.good(mocks.get(c.client)!);
    const rows = await run(c.group, c.action, c.check);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map(r => [r.status, r.detail])).toEqual(rows.map(r => ['ok', r.detail]));
  });

  test('fail with the exact remedy when it is not', async () => {
    c.bad(mocks.get(c.client)!);
    const rows = await run(c.group, c.action, c.check);
    expect(statuses(rows)).toContain('fail');
    expect(rows.filter(r => r.status !== 'ok').map(r => r.remedy).join('\n')).toContain(c.remedy);
  });

  test('access denied is a failed row naming the action', async () => {
    mocks.get(c.client)!.onAnyCommand().rejects(denied());
    const rows = await run(c.group, c.action, c.check);
    expect(rows).toEqual([expect.objectContaining({ status: 'fail', detail: expect.stringContaining(`access denied on ${c.action}`), remedy: expect.stringContaining('springboard-reader') })]);
  });

  test('throttling is a warning row to run again', async () => {
    mocks.get(c.client)!.onAnyCommand().rejects(throttled());
    const rows = await run(c.group, c.action, c.check);
    expect(rows).toEqual([expect.objectContaining({ status: 'warn', detail: expect.stringContaining(`throttled on ${c.action}`) })]);
  });
});

describe('details of single checks', () => {
  test('bootstrap: an old version and a trust without the tooling account each fail with the bootstrap command', async () => {
    mocks.get(CloudFormationClient)!.onAnyCommand().resolves({ Stacks: [{ StackName: 'CDKToolkit', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }] });
    mocks.get(SSMClient)!.onAnyCommand().resolves({ Parameter: { Value: '6' } });
    mocks.get(IAMClient)!.onAnyCommand().resolves({ Role: { AssumeRolePolicyDocument: trustOf(ACCOUNT, '999999999999') } as any });
    const rows = await checkBootstrap(ctx, NEEDS);
    expect(rows.map(r => [r.check, r.status])).toEqual([['bootstrap version', 'fail'], ['bootstrap trust', 'fail']]);
    expect(rows[0].detail).toContain('version 6, the assembly needs at least 8');
    expect(rows[1].detail).toContain(`does not trust the tooling account ${TOOLING}`);
    expect(rows[1].detail).toContain('also trusts 999999999999');
  });

  test('bootstrap: a stack that failed to create is reported with its state', async () => {
    mocks.get(CloudFormationClient)!.onAnyCommand().resolves({ Stacks: [{ StackName: 'CDKToolkit', StackStatus: 'ROLLBACK_COMPLETE', CreationTime: new Date() }] });
    expect(await checkBootstrap(ctx, NEEDS)).toEqual([expect.objectContaining({ status: 'fail', detail: 'CDKToolkit is ROLLBACK_COMPLETE' })]);
  });

  test('org controls name the NIST control that assumes them', async () => {
    mocks.get(GuardDutyClient)!.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const row = await checkGuardDuty(ctx);
    expect(row).toMatchObject({ status: 'fail', control: 'SI-4' });
    expect(row.detail).toContain('SI-4 assumes it');
  });

  test('CloudTrail: a logging trail that records only data events does not count', async () => {
    const m = mocks.get(CloudTrailClient)!;
    m.on(DescribeTrailsCommand).resolves({ trailList: [{ Name: 'data', TrailARN: 'arn:aws:cloudtrail:us-east-1:9:trail/data' }] });
    m.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    m.on(GetEventSelectorsCommand).resolves({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] });
    expect(await checkCloudTrail(ctx)).toMatchObject({ status: 'fail', control: 'AU-2, AU-12' });
  });

  test('quotas: above 80% warns, a quota Service Quotas does not list falls back to AWS\'s default', async () => {
    mocks.get(ServiceQuotasClient)!.onAnyCommand().resolves({ Quotas: [{ QuotaCode: 'L-0263D0A3', Value: 5 }] });
    expect(await checkQuota(ctx, QUOTAS.elasticIps, 5)).toMatchObject({ status: 'warn' });
    mocks.get(ServiceQuotasClient)!.onAnyCommand().resolves({ Quotas: [] });
    expect(await checkQuota(ctx, QUOTAS.pipelines, 401)).toMatchObject({ status: 'ok', detail: expect.stringContaining('of 1000 (AWS default') });
  });

  test('a topic with no subscription fails; one not deployed yet warns', async () => {
    mocks.get(SNSClient)!.onAnyCommand().resolves({ Subscriptions: [] });
    expect(await checkTopic(ctx, 't', 's')).toMatchObject({ status: 'fail' });
    mocks.get(SNSClient)!.onAnyCommand().rejects(sdkError('NotFoundException', 'Topic does not exist', 404));
    expect(await checkTopic(ctx, 't', 's')).toMatchObject({ status: 'warn' });
  });

  test('no row carries the credentials in use', async () => {
    mocks.get(GuardDutyClient)!.onAnyCommand().rejects(sdkError('AccessDeniedException', `denied for ${SECRETS.accessKeyId} with ${SECRETS.secretAccessKey}`, 403));
    // As before any real request: the credentials are resolved (and remembered by the redactor).
    await aws.assume(ACCOUNT, 'us-east-1');
    const rows = await run('org-controls', 'guardduty:ListDetectors', checkGuardDuty);
    expect(JSON.stringify(rows)).not.toContain(SECRETS.secretAccessKey);
    expect(JSON.stringify(rows)).not.toContain(SECRETS.accessKeyId);
  });
});
