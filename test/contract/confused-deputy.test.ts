/**
 * Confused deputy: every trust policy and resource policy of the synthesized example and of a
 * generated 10-team registry that allows a service principal carries the source keys the table
 * (lib/contract/confused-deputy.ts) lists for that service and use; a service principal the table
 * does not list, or one named in a kind of policy it does not cover, fails. Mutation: one policy's
 * condition stripped, the check names it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { CONFUSED_DEPUTY_TABLE } from '../../lib/contract';
import { loadRegistry } from '../../lib/registry';
import { confusedDeputyProblems as problems, serviceStatements } from '../support/iam/confused-deputy';
import { withMutation } from '../support/iam/mutate';
import { synthesizePlatform } from '../support/iam/platform';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

const example = synthesizePlatform(loadRegistry(EXAMPLE_REGISTRY));
const tenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-ten-'));
writeGeneratedRegistry(tenDir, 10);
const ten = synthesizePlatform(loadRegistry(tenDir));

describe('the confused-deputy table', () => {
  test('each entry names its documentation and, for aws:SourceArn or an encryption context, the ARN service', () => {
    for (const e of CONFUSED_DEPUTY_TABLE) {
      expect(e.documentation).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      if (e.keys.some(k => k !== 'aws:SourceAccount')) expect(e.arnService).toBeDefined();
      if (e.keys.length < 2) expect([e.principal, e.kind, e.note ?? (e.keys.includes('aws:SourceAccount') ? 'account' : undefined)]).not.toContain(undefined);
    }
    const keys = CONFUSED_DEPUTY_TABLE.map(e => `${e.principal} ${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('every trust and resource policy for a service in the example carries the table\'s keys', () => {
    expect(problems(example.stacks)).toEqual([]);
  });

  test('every trust and resource policy for a service in a generated 10-team registry carries the table\'s keys', () => {
    expect(ten.stacks.length).toBeGreaterThan(30);
    expect(problems(ten.stacks)).toEqual([]);
  });

  test('the walk sees the services the issue names: CodeBuild, CodePipeline, EventBridge, Backup, Firehose, CloudWatch Logs', () => {
    const seen = new Set([...example.stacks, ...ten.stacks].flatMap(s => Object.values(s.template.Resources ?? {})
      .flatMap(r => serviceStatements(r.Properties ?? {}).flatMap(st => [st.Principal.Service].flat()))));
    for (const service of ['codebuild.amazonaws.com', 'codepipeline.amazonaws.com', 'events.amazonaws.com', 'backup.amazonaws.com',
      'firehose.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'cloudwatch.amazonaws.com', 'ecs-tasks.amazonaws.com']) {
      expect([...seen]).toContain(service);
    }
  });

  test('mutation: the condition stripped from the platform pipeline\'s Synth role trust is named', () => {
    const broken = withMutation(example.stacks, 'springboard-platform-pipeline', template => {
      const role = Object.entries<any>(template.Resources).find(([id]) => id.startsWith('PipelineSynthRole') && !id.includes('Policy'))![1];
      delete role.Properties.AssumeRolePolicyDocument.Statement[0].Condition;
    });
    expect(problems(broken)).toEqual([expect.stringMatching(/^springboard-platform-pipeline\/PipelineSynthRole[0-9A-F]{8} \(AWS::IAM::Role\): codebuild\.amazonaws\.com without aws:SourceAccount, aws:SourceArn/)]);
  });

  test('mutation: a service the table does not list fails', () => {
    const broken = withMutation(example.stacks, 'springboard-platform-pipeline', template => {
      template.Resources.Extra = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } };
    });
    expect(problems(broken)).toEqual(['springboard-platform-pipeline/Extra (AWS::IAM::Role): glue.amazonaws.com in a trust policy is not in the confused-deputy table']);
  });
});
