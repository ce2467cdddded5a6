/**
 * AWS's CloudFormation template validation (the engine shipped with aws-cdk-lib) over the written
 * templates of four registries: zero errors, and every warning either fixed in the constructs or
 * accepted with its reason in compliance/validation-accepted.yaml. A new finding fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { EVERY_OPTION_REGISTRY, GENERATED_TEAMS, REGISTRY_NAMES, RegistryName, removeWrittenFolders, synthesizedTemplates, temporaryFolder } from './registries';
import {
  AcceptedWarning, judgeFindings, judgementProblems, loadAcceptedWarnings, parseAcceptedWarnings, StackTemplate, validateTemplates, ValidationFinding,
} from '../support/cfn-validation';
import { runSpringboard } from '../support/cli';

// Four synths and the engine's start take minutes on a loaded 2-core machine.
jest.setTimeout(600_000);

const synthesized = {} as Record<RegistryName, StackTemplate[]>;
const findings = {} as Record<RegistryName, ValidationFinding[]>;
let accepted: AcceptedWarning[];

beforeAll(() => {
  accepted = loadAcceptedWarnings();
  for (const name of REGISTRY_NAMES) synthesized[name] = synthesizedTemplates(name);
  // One call: the engine loads its schemas and rules once for every resource type of the four registries.
  const all = validateTemplates(REGISTRY_NAMES.flatMap(name => synthesized[name]));
  for (const name of REGISTRY_NAMES) {
    const templates = new Set(synthesized[name].map(t => t.templatePath));
    findings[name] = all.filter(f => templates.has(f.templatePath));
  }
});

afterAll(removeWrittenFolders);

describe.each(REGISTRY_NAMES)('the %s registry', name => {
  test('every written template passes: no errors, every warning accepted with its reason', () => {
    expect(judgementProblems(judgeFindings(findings[name], accepted)).filter(p => !p.includes('no template has that warning'))).toEqual([]);
  });
});

test('every entry of the accepted warnings file is still needed by one of the four registries', () => {
  const judgement = judgeFindings(REGISTRY_NAMES.flatMap(name => findings[name]), accepted);
  expect(judgement.unusedEntries.map(e => `${e.source} ${e.rule}`)).toEqual([]);
});

test('the validation covers every kind of stack, in the account and region it deploys to', () => {
  const KINDS = ['baseline', 'delivery', 'env', 'platform-deploy', 'platform-pipeline', 'platform-portfolio'];
  const kindsOf = (name: RegistryName) => KINDS.filter(kind => synthesized[name].some(t => t.stackName.startsWith(`springboard-${kind}-`) || t.stackName === `springboard-${kind}`));
  expect(kindsOf('example')).toEqual(KINDS);
  expect(kindsOf('every-option')).toEqual(KINDS);
  expect(synthesized['generated-10'].filter(t => t.stackName.startsWith('springboard-delivery-')).length).toBeGreaterThanOrEqual(GENERATED_TEAMS);
  expect(new Set(synthesized.govcloud.map(t => t.region))).toEqual(new Set(['us-gov-west-1']));
  expect(new Set(synthesized['every-option'].map(t => t.region))).toEqual(new Set(['us-east-1', 'us-west-2']));
  for (const name of REGISTRY_NAMES) expect(synthesized[name].every(t => /^\d{12}$/.test(t.account))).toBe(true);
});

describe('a new finding fails', () => {
  const template = () => synthesized.example.find(t => t.stackName === 'springboard-env-benefits-screener-prod')!;
  /** A copy of the example's prod environment template, transformed, written to its own folder. */
  function mutated(change: (resources: Record<string, any>) => void): StackTemplate {
    const original = template();
    const body = JSON.parse(fs.readFileSync(original.templatePath, 'utf8'));
    change(body.Resources);
    const file = path.join(temporaryFolder('springboard-cfn-validation-mutated-'), path.basename(original.templatePath));
    fs.writeFileSync(file, JSON.stringify(body));
    return { ...original, templatePath: file };
  }
  const firstOfType = (resources: Record<string, any>, type: string) => Object.entries(resources).find(([, r]) => r.Type === type)!;

  test('a property CloudFormation does not know (F3002) is an error, and an error cannot be accepted', () => {
    const broken = validateTemplates([mutated(resources => {
      firstOfType(resources, 'AWS::S3::Bucket')[1].Properties.VersioningConfig = { Status: 'Enabled' };
    })]);
    const acceptAll: AcceptedWarning[] = [...new Set(broken.map(f => f.ruleId))].map(rule => ({
      rule, stacks: '*', reason: 'Trying to accept an error, which the judge must refuse.', source: 'test:1',
    }));
    const judgement = judgeFindings(broken, acceptAll);
    expect(judgement.verdict).toBe('fail');
    expect(judgement.errors).toEqual([expect.objectContaining({ ruleId: 'F3002', severity: 'error', stackName: 'springboard-env-benefits-screener-prod', location: expect.stringContaining('VersioningConfig') })]);
    expect(judgementProblems(judgement)[0]).toMatch(/^error \w+ on springboard-env-benefits-screener-prod\/\w+ .*VersioningConfig.*errors cannot be accepted/);
  });

  describe('a warning', () => {
    // SSH open to the internet on a security group (W2508): a security property the engine's own rules check.
    let warned: ValidationFinding[];
    beforeAll(() => {
      warned = validateTemplates([mutated(resources => {
        const [, group] = firstOfType(resources, 'AWS::EC2::SecurityGroup');
        group.Properties.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }];
      })]);
    });

    test('that no entry accepts fails as new', () => {
      expect(warned.map(f => [f.ruleId, f.severity, f.location])).toEqual([['W2508', 'warning', 'Properties.SecurityGroupIngress']]);
      const judgement = judgeFindings(warned, accepted);
      expect(judgement.verdict).toBe('fail');
      expect(judgementProblems(judgement)).toEqual([expect.stringMatching(/^warning \w+ on springboard-env-benefits-screener-prod\/\w+ .*\(new: fix the construct, or accept it in compliance\/validation-accepted.yaml with its reason\)$/)]);
    });

    test('passes once an entry accepts it, and only on the stacks, resources and property the entry names', () => {
      const [finding] = warned;
      const entry = (over: Partial<AcceptedWarning>): AcceptedWarning => ({
        rule: finding.ruleId, stacks: 'springboard-env-*', logicalId: finding.logicalId, reason: 'Mutation test: SSH is accepted here on purpose.', source: 'test:1', ...over,
      });
      expect(judgeFindings(warned, [entry({})]).verdict).toBe('pass');
      expect(judgeFindings(warned, [entry({})]).accepted).toHaveLength(1);
      expect(judgeFindings(warned, [entry({ stacks: 'springboard-delivery-*' })]).verdict).toBe('fail');
      expect(judgeFindings(warned, [entry({ logicalId: 'Other*' })]).verdict).toBe('fail');
      expect(judgeFindings(warned, [entry({ location: 'Properties.Tags*' })]).verdict).toBe('fail');
      expect(judgeFindings(warned, [entry({ rule: 'W0000' })]).verdict).toBe('fail');
    });

    test('an entry that accepts nothing is reported for removal', () => {
      const stale: AcceptedWarning = { rule: 'W9999', stacks: 'springboard-*', reason: 'A warning that no template has any more.', source: 'compliance/validation-accepted.yaml:12' };
      const judgement = judgeFindings([], [stale]);
      expect(judgementProblems(judgement)).toEqual(['compliance/validation-accepted.yaml:12: accepts W9999 on springboard-* but no template has that warning any more; remove the entry']);
    });
  });
});

describe('the accepted warnings file', () => {
  test('the shipped file loads', () => {
    expect(Array.isArray(loadAcceptedWarnings())).toBe(true);
  });

  test('each problem names the file, the line and what was expected', () => {
    const text = [
      'accepted:',
      '  - rule: W3005',
      '    stacks: springboard-env-*',
      '    reason: Because the dependency is implied and explicit for the deploy order of the stacks.',
      '  - rule: 3005',
      '    stacks: springboard-env-*',
      '    reason: todo',
      '  - rule: W2508',
      '    stack: springboard-env-*',
      '    reason: Security group ingress is narrowed by the load balancer allowed ranges.',
    ].join('\n');
    expect(() => parseAcceptedWarnings(text, 'accepted.yaml')).toThrow([
      'invalid accepted validation warnings:',
      '  accepted.yaml:5: accepted[1]: rule: expected a validation rule id such as W3005, received 3005',
      '  accepted.yaml:5: accepted[1]: reason: received the placeholder "todo"; expected why the rule does not apply here and what compensates',
      '  accepted.yaml:8: accepted[2]: stack: not a field; expected rule, stacks, logicalId, location, reason',
      '  accepted.yaml:8: accepted[2]: stacks: expected a name or a pattern with *, like springboard-env-*, received undefined',
    ].join('\n'));
    expect(() => parseAcceptedWarnings('accepted:\n', 'accepted.yaml')).toThrow('accepted.yaml:1: expected a top-level `accepted:` list of warnings (write `accepted: []` when nothing is accepted)');
    expect(parseAcceptedWarnings(text.split('\n').slice(0, 4).join('\n'), 'accepted.yaml')).toEqual([expect.objectContaining({ rule: 'W3005', source: 'accepted.yaml:2' })]);
  });
});

describe('the every-option fixture registry', () => {
  test('is valid: `springboard validate` passes it without a warning', async () => {
    const run = await runSpringboard(['validate', '--registry', EVERY_OPTION_REGISTRY]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/2 teams valid \(case-intake, records-portal\)/);
  });

  test.each([
    ['platform', '_platform.yaml'],
    ['team', '*.yaml'],
  ])('sets every field of the %s schema', (kind, pattern) => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', `${kind}.schema.json`), 'utf8'));
    const files = fs.readdirSync(EVERY_OPTION_REGISTRY).filter(f => (pattern === '*.yaml' ? !f.startsWith('_') && f.endsWith('.yaml') : f === pattern));
    const documents = files.map(f => YAML.parse(fs.readFileSync(path.join(EVERY_OPTION_REGISTRY, f), 'utf8')) as unknown);
    const missing = fieldsOf(schema).filter(field => !documents.some(doc => hasField(doc, field.split('.'))));
    // A new registry field needs a value in test/fixtures/every-option-registry, so its templates are validated too.
    expect(missing).toEqual([]);
  });
});

/** Every field path of a JSON Schema, `*` standing for a key of a map (like environment names). */
function fieldsOf(schema: any, prefix = ''): string[] {
  const own = Object.entries<any>(schema.properties ?? {}).flatMap(([key, value]) => [`${prefix}${key}`, ...fieldsOf(value, `${prefix}${key}.`)]);
  const items = schema.items && typeof schema.items === 'object' ? fieldsOf(schema.items, `${prefix}*.`) : [];
  const map = schema.additionalProperties && typeof schema.additionalProperties === 'object' && schema.additionalProperties.properties
    ? fieldsOf(schema.additionalProperties, `${prefix}*.`) : [];
  return [...own, ...items, ...map];
}

function hasField(value: unknown, parts: string[]): boolean {
  if (parts.length === 0) return value !== undefined;
  if (value === null || typeof value !== 'object') return false;
  const [head, ...rest] = parts;
  if (head === '*') return Object.values(value).some(child => hasField(child, rest));
  return hasField((value as Record<string, unknown>)[head], rest);
}
