/**
 * Environment monitoring: alarms from the catalogue per environment (prod and dev, with and
 * without a database, with registry overrides), their routing, the composite, the dashboard, and
 * the catalogue matched against what is actually synthesized.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Project } from 'aws-cdk-lib/aws-codebuild';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { ALARM_CATALOGUE, runbookUrl } from '../../lib/contract';
import { EnvironmentStack } from '../../lib/environment';
import { DeliveryMonitoring, alarmEntriesFor } from '../../lib/observability';
import type { TeamSpec } from '../../lib/registry/types';
import { platformSettings, team } from '../support/registry-fixtures';

interface Built { readonly team: TeamSpec; readonly template: Template; readonly json: Record<string, any> }

const overrides = { http5xxRate: 2, latencyP99: 1500, dbFreeStorage: 10 };
const withDb = team('pay', { withDatabase: true });
const withoutDb = team('apply', { withDatabase: false });
const overridden = team('renew', { withDatabase: true, envOverrides: { alarms: overrides } });

const built: Record<string, Built> = {};
let delivery: Built;

beforeAll(() => {
  // One app, synthesized once: each variant is its own stack.
  const app = createApp();
  const variants: Array<[string, TeamSpec, string]> = [
    ['prodDb', withDb, 'prod'], ['devDb', withDb, 'dev'], ['prodNoDb', withoutDb, 'prod'], ['devNoDb', withoutDb, 'dev'], ['override', overridden, 'prod'],
  ];
  const stacks = variants.map(([key, t, envName]) => {
    const environment = t.environments.find(e => e.name === envName)!;
    return [key, t, new EnvironmentStack(app, `${t.id}-${envName}`, { team: t, environment, platform: platformSettings() })] as const;
  });
  const tooling = new Stack(app, 'tooling', { env: { account: '111111111111', region: 'us-east-1' } });
  const monitoring = new DeliveryMonitoring(tooling, 'Delivery', { team: withDb, topic: new Topic(tooling, 'Topic') });
  monitoring.addBuildMonitoring(Project.fromProjectName(tooling, 'Build', 'springboard-pay-build'));
  for (const [key, t, stack] of stacks) {
    const template = Template.fromStack(stack);
    built[key] = { team: t, template, json: template.toJSON() };
  }
  const template = Template.fromStack(tooling);
  delivery = { team: withDb, template, json: template.toJSON() };
});

function resources(b: Built, type: string): Array<[string, any]> {
  return Object.entries(b.json.Resources).filter(([, r]: [string, any]) => r.Type === type) as Array<[string, any]>;
}
const alarms = (b: Built) => resources(b, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
const composites = (b: Built) => resources(b, 'AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties);
const alarmNames = (b: Built) => alarms(b).map(a => a.AlarmName as string).sort();
const topicRef = (b: Built) => resources(b, 'AWS::SNS::Topic').map(([id]) => id)[0];

describe('alarm counts per environment', () => {
  test.each([
    ['prodDb', 11], ['devDb', 11], ['prodNoDb', 8], ['devNoDb', 8],
  ])('%s has %i metric alarms and one composite', (key, count) => {
    expect(alarms(built[key])).toHaveLength(count);
    expect(composites(built[key])).toHaveLength(1);
  });

  test('prod names severities as the catalogue does; dev demotes every critical to a warning', () => {
    expect(alarmNames(built.prodDb)).toEqual(expect.arrayContaining([
      'springboard-pay-prod-critical-http5xxRate', 'springboard-pay-prod-critical-latencyP99', 'springboard-pay-prod-critical-healthyHosts',
      'springboard-pay-prod-critical-dbFreeStorage', 'springboard-pay-prod-warning-cpuUtilization',
    ]));
    expect(alarmNames(built.devDb).every(n => n.startsWith('springboard-pay-dev-warning-'))).toBe(true);
    expect(composites(built.prodDb)[0].AlarmName).toBe('springboard-pay-prod-critical-serviceHealth');
    expect(composites(built.devDb)[0].AlarmName).toBe('springboard-pay-dev-warning-serviceHealth');
  });

  test('without a database no database alarm exists', () => {
    expect(alarmNames(built.prodNoDb).some(n => /-db[A-Z]/.test(n))).toBe(false);
  });
});

describe('thresholds', () => {
  const threshold = (b: Built, suffix: string) => alarms(b).find(a => a.AlarmName.endsWith(suffix))!.Threshold;

  test('defaults differ between prod and dev', () => {
    expect(threshold(built.prodDb, '-http5xxRate')).toBe(5);
    expect(threshold(built.devDb, '-http5xxRate')).toBe(20);
    expect(threshold(built.prodDb, '-latencyP90')).toBe(1000);
    expect(threshold(built.devDb, '-latencyP90')).toBe(3000);
  });

  test('registry overrides replace the defaults, in the catalogue\'s units', () => {
    expect(threshold(built.override, '-http5xxRate')).toBe(2);
    expect(threshold(built.override, '-latencyP99')).toBe(1500);
    expect(threshold(built.override, '-dbFreeStorage')).toBe(10 * 1024 ** 3);
    expect(threshold(built.override, '-latencyP90')).toBe(1000);
  });
});

describe('routing', () => {
  test.each(['prodDb', 'devDb', 'prodNoDb', 'devNoDb'])('%s: every alarm notifies the environment topic on ALARM and OK', key => {
    const ref = { Ref: topicRef(built[key]) };
    for (const a of [...alarms(built[key]), ...composites(built[key])]) {
      expect(a.ActionsEnabled).toBe(true);
      expect(a.AlarmActions).toEqual([ref]);
      expect(a.OKActions).toEqual([ref]);
    }
  });

  test('the topic is named by the contract and encrypted with the environment key', () => {
    const [[, topic]] = resources(built.prodDb, 'AWS::SNS::Topic');
    expect(topic.Properties.TopicName).toBe('springboard-pay-prod-alerts');
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(built.prodDb.json.Resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
  });

  test('prod: the owner receives everything, the on-call person only critical alarms', () => {
    const subs = resources(built.prodDb, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subs).toHaveLength(2);
    const owner = subs.find(s => s.Endpoint === 'owner+pay@example.gov')!;
    const onCall = subs.find(s => s.Endpoint === 'oncall+pay@example.gov')!;
    expect(owner.FilterPolicy).toBeUndefined();
    expect(onCall.FilterPolicyScope).toBe('MessageBody');
    expect(onCall.FilterPolicy).toEqual({ AlarmName: [{ prefix: 'springboard-pay-prod-critical-' }] });
  });

  test('dev is quieter: only the owner is subscribed', () => {
    const subs = resources(built.devDb, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subs.map(s => s.Endpoint)).toEqual(['owner+pay@example.gov']);
  });

  test('CloudWatch may publish to the topic and use its key, from this account only', () => {
    const topicPolicy = resources(built.prodDb, 'AWS::SNS::TopicPolicy').map(([, r]) => r.Properties.PolicyDocument.Statement).flat();
    expect(topicPolicy).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
    })]));
    const key = resources(built.prodDb, 'AWS::KMS::Key').map(([, r]) => r.Properties.KeyPolicy.Statement).flat();
    expect(key).toEqual(expect.arrayContaining([expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]));
  });
});

describe('service health composite', () => {
  test('is in alarm when any critical signal is, and only those', () => {
    const rule = JSON.stringify(composites(built.prodDb)[0].AlarmRule);
    const critical = ALARM_CATALOGUE.filter(e => e.severity === 'critical' && e.source !== 'composite' && (e.placement ?? 'environment') === 'environment');
    for (const e of critical) expect(rule).toContain(`critical${e.id}`);
    expect(rule).not.toContain('cpuUtilization');
  });
});

describe('descriptions link the runbook', () => {
  test.each(['prodDb', 'devNoDb', 'override'])('%s: every alarm description links its RUNBOOK.md entry', key => {
    const b = built[key];
    for (const a of [...alarms(b), ...composites(b)]) {
      const id = (a.AlarmName as string).split('-').pop()!;
      expect(a.AlarmDescription).toContain(`Runbook: ${runbookUrl(b.team.repository, id)}`);
    }
  });
});

describe('dashboard', () => {
  const body = (b: Built) => JSON.stringify(resources(b, 'AWS::CloudWatch::Dashboard').map(([, r]) => r.Properties.DashboardBody));

  test('one dashboard per environment, named by the environment', () => {
    const dashboards = resources(built.prodDb, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0][1].Properties.DashboardName).toBe('springboard-pay-prod');
  });

  test('covers every monitored resource: service, load balancer, target group, log metric, database, every alarm', () => {
    const text = body(built.prodDb);
    for (const needle of ['ECS/ContainerInsights', 'AWS/ApplicationELB', 'TargetResponseTime', 'HTTPCode_Target_5XX_Count', 'AppLogErrors', 'AWS/RDS', 'FreeStorageSpace', 'DatabaseConnections']) {
      expect(text).toContain(needle);
    }
    const json = built.prodDb.json;
    const alarmIds = Object.keys(json.Resources).filter(id => ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'].includes(json.Resources[id].Type));
    for (const id of alarmIds) expect(text).toContain(id);
  });

  test('without a database, no database widget', () => {
    expect(body(built.prodNoDb)).not.toContain('AWS/RDS');
  });
});

describe('the catalogue matches the synthesized alarms', () => {
  const catalogueIds = (placement: 'environment' | 'delivery', db: boolean) => alarmEntriesFor(placement, db).map(e => e.id).sort();
  const idsOf = (names: string[]) => names.map(n => n.split('-').pop()!).sort();

  test('every environment alarm is a catalogue entry, and every entry is an alarm', () => {
    const synthesized = idsOf([...alarmNames(built.prodDb), ...composites(built.prodDb).map(c => c.AlarmName)]);
    expect(synthesized).toEqual(catalogueIds('environment', true));
  });

  test('every delivery alarm is a catalogue entry, and every entry is an alarm', () => {
    expect(idsOf(alarmNames(delivery))).toEqual(catalogueIds('delivery', false));
  });

  test('every catalogue entry is synthesized somewhere, or routed by an event rule', () => {
    const everything = new Set(idsOf([...alarmNames(built.prodDb), ...composites(built.prodDb).map(c => c.AlarmName), ...alarmNames(delivery)]));
    const rules = resources(delivery, 'AWS::Events::Rule').map(([, r]) => r.Properties.Description as string);
    for (const entry of ALARM_CATALOGUE) {
      if (entry.source === 'event') expect(rules.some(d => d.includes(`alarm catalogue: ${entry.id}`))).toBe(true);
      else expect(everything.has(entry.id)).toBe(true);
    }
  });
});
