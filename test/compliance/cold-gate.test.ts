/**
 * The cheaper cold gate reaches the same findings: cfn-guard rule files given templates cut to the
 * resources they can read (lib/compliance/guard-scope.ts) against the reference path, where every
 * rule file reads the whole template, on the example registry and on 10 generated teams.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { PolicyViolationBeta1 } from 'aws-cdk-lib';
import { tempDir } from './support';
import { writeGeneratedRegistry } from '../../bench/lib/generate-registry';
import { buildPlatform } from '../../lib/app';
import { guardCatalog } from '../../lib/compliance';
import { evaluateAssembly, templatesInAssembly } from '../../lib/compliance/assembly';
import { GuardData, GuardJob, startGuardJobs } from '../../lib/compliance/guard-runner';
import { ruleScope, scopeOfRuleText, scopedTemplate } from '../../lib/compliance/guard-scope';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { loadRegistry } from '../../lib/registry';

/** The assembly `cdk synth` writes (path metadata on), gate not applied: the test evaluates it itself. */
function synthesize(registryDir: string): string {
  const outdir = tempDir('cold-gate-out');
  const app = createApp({ outdir, builtinCloudFormationValidation: false, context: { 'aws:cdk:enable-path-metadata': true } });
  buildPlatform(app, loadRegistry(registryDir));
  app.synth();
  return outdir;
}

function guardJobs(assembly: string): GuardJob[] {
  const catalog = guardCatalog();
  return templatesInAssembly(assembly).map(({ templatePath }) => {
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as { Resources: Record<string, { Type: string }> };
    return { templatePath, ruleFiles: catalog.ruleFilesFor(new Set(Object.values(template.Resources).map(r => r.Type))) };
  });
}

/** Violations per template, in a stable order (the scoped path reports a template's rules in another order). */
function guardViolations(jobs: readonly GuardJob[], data: GuardData): Record<string, string[]> {
  const outcomes = startGuardJobs(jobs, { data, concurrency: 2 }).wait();
  return Object.fromEntries(jobs.map((job, i) => [path.basename(job.templatePath), outcomes[i].map(describeViolation).sort()]));
}

function describeViolation(v: PolicyViolationBeta1): string {
  const resources = v.violatingResources.map(r => `${r.resourceLogicalId} ${r.locations.join(',')} ${path.basename(r.templatePath)}`).sort();
  return JSON.stringify({ rule: v.ruleName, description: v.description, fix: v.fix, severity: v.severity, resources });
}

describe('the cold gate, scoped against the whole-template reference', () => {
  const example = synthesize(path.join(__dirname, '..', '..', 'teams'));
  const registry = tempDir('cold-gate-registry');
  writeGeneratedRegistry(registry, 10);
  const fleet = synthesize(registry);

  test('the example: the same findings and acknowledgments', () => {
    const scoped = evaluateAssembly(example, { guardData: 'scoped' });
    const reference = evaluateAssembly(example, { guardData: 'whole-template' });
    expect(scoped.findings.filter(f => f.pack === 'ControlTower').length).toBeGreaterThan(10);
    expect(scoped.findings).toEqual(reference.findings);
    expect(scoped.acknowledgments).toEqual(reference.acknowledgments);
  });

  test('10 generated teams: every template gets the same cfn-guard violations', () => {
    const jobs = guardJobs(fleet);
    expect(jobs.length).toBeGreaterThan(70);
    const scoped = guardViolations(jobs, 'scoped');
    const reference = guardViolations(jobs, 'whole-template');
    expect(Object.values(reference).flat().length).toBeGreaterThan(100);
    expect(scoped).toEqual(reference);
  });

  // Mutation: a scope that loses a resource a rule looks up changes what cfn-guard reports, so the comparisons above would catch it.
  test('a scope that drops the key a log group rule looks up changes the result', () => {
    const rule = guardCatalog().rules.find(r => r.file.endsWith('ct-cloudwatch-pr-3.guard'))!;
    const scope = ruleScope(rule.file);
    expect(scope).toEqual({ kind: 'types', types: ['AWS::KMS::Key', 'AWS::Logs::LogGroup'], follow: true });
    const template = {
      Resources: {
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } },
        Queue: { Type: 'AWS::SQS::Queue' },
      },
    };
    const dir = tempDir('cold-gate-mutation');
    let runs = 0;
    const outcome = (data: Record<string, unknown>): string => {
      const file = path.join(dir, `${runs++}.json`);
      fs.writeFileSync(file, JSON.stringify(data));
      try {
        const [violations] = startGuardJobs([{ templatePath: file, ruleFiles: [rule.file] }], { data: 'whole-template', concurrency: 1 }).wait();
        return JSON.stringify(violations.map(v => [v.ruleName, v.violatingResources.map(r => r.resourceLogicalId)]));
      } catch (e) {
        return `failed: ${(e as Error).message}`;
      }
    };
    const whole = outcome(template);
    expect(whole).toBe('[]');
    expect(outcome(scopedTemplate(template, scope as Extract<typeof scope, { kind: 'types' }>))).toBe(whole);
    expect(outcome(scopedTemplate(template, { kind: 'types', types: ['AWS::Logs::LogGroup'], follow: false }))).not.toBe(whole);
  });
});

describe('rule scopes', () => {
  test('a selection by type reads only those types; a lookup by logical id follows references', () => {
    const selection = 'let b = Resources.*[ Type == "AWS::S3::Bucket" ]\nrule r when %b not empty { %b.Properties exists }';
    expect(scopeOfRuleText(selection)).toEqual({ kind: 'types', types: ['AWS::S3::Bucket'], follow: false });
    const lookup = `${selection}\nrule q(doc, k) { let x = %doc.Resources[ keys == %k ]\n %x not empty }`;
    expect(scopeOfRuleText(lookup)).toEqual({ kind: 'types', types: ['AWS::S3::Bucket'], follow: true });
  });

  test('anything else reads the whole template', () => {
    expect(scopeOfRuleText('let b = Resources.*[ Type == /AWS::S3::.*/ ]')).toEqual({ kind: 'template' });
    expect(scopeOfRuleText('let b = Resources[\n Type == "AWS::EC2::SecurityGroup" ]')).toEqual({ kind: 'template' });
    expect(scopeOfRuleText('let b = Resources.*[ Type in ["AWS::S3::Bucket"] ]')).toEqual({ kind: 'template' });
    expect(scopeOfRuleText('let b = Resources.*.Properties')).toEqual({ kind: 'template' });
    // Comments do not count, but code after them does.
    expect(scopeOfRuleText('# Resources.* any\nlet b = Resources.*[ Type == "AWS::KMS::Key" ]')).toEqual({ kind: 'types', types: ['AWS::KMS::Key'], follow: false });
  });

  test('a followed reference is kept transitively; an unreferenced resource is not', () => {
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: 'Logs' } } } },
        Logs: { Type: 'AWS::S3::Bucket', Properties: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
        Key: { Type: 'AWS::KMS::Key', Properties: { Description: { 'Fn::Sub': 'for ${Role.Arn}' } } },
        Role: { Type: 'AWS::IAM::Role' },
        Other: { Type: 'AWS::SQS::Queue' },
      },
      Parameters: { P: { Type: 'String' } },
    };
    const followed = scopedTemplate(template, { kind: 'types', types: ['AWS::S3::Bucket'], follow: true });
    expect(Object.keys(followed.Resources as object).sort()).toEqual(['Bucket', 'Key', 'Logs', 'Role']);
    expect(followed.Parameters).toEqual(template.Parameters);
    const typed = scopedTemplate(template, { kind: 'types', types: ['AWS::S3::Bucket'], follow: false });
    expect(Object.keys(typed.Resources as object).sort()).toEqual(['Bucket', 'Logs']);
  });
});
