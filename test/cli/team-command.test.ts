import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { teamCommand, TeamCommandIo } from '../../lib/cli/team-command';
import { derivedCidr, validateRegistry } from '../../lib/registry';
import { pickCidrs, renderTeamYaml } from '../../lib/registry/team-entry';
import { registryWith } from '../support/registry-files';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `team ...` in-process with captured output; `answers` feed the prompts in order. */
async function team(args: string[], answers?: string[]): Promise<Run & { questions: string[] }> {
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  const queue = [...(answers ?? [])];
  const io: Partial<TeamCommandIo> = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    prompt: answers ? async (q) => (questions.push(q), queue.shift() ?? '') : undefined,
  };
  const previous = process.exitCode;
  process.exitCode = 0;
  const command = teamCommand(io).exitOverride();
  command.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: (t) => (stderr += t), writeOut: (t) => (stdout += t) }));
  let code: number;
  try {
    await command.parseAsync(args, { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    code = (error as { exitCode?: number }).exitCode ?? 99;
  } finally {
    process.exitCode = previous;
  }
  return { code, stdout, stderr, questions };
}

const FLAGS = [
  '--display-name', 'Permit Portal',
  '--program-office', 'Office of Permits',
  '--cost-center', 'CC-1200',
  '--owner-name', 'Ana Owner',
  '--owner-email', 'ana.owner@example.gov',
  '--on-call-name', 'Permit On-Call',
  '--on-call-email', 'permits-oncall@example.gov',
  '--data-classification', 'moderate',
  '--repository', 'example-state/permit-portal',
  '--connection-arn', 'arn:aws:codeconnections:us-east-1:111111111111:connection/7a3e9c10-2b4d-4f6a-8c1e-5d0b9a8f7e6d',
  '--account', '444444444444',
  '--certificate-arn', 'arn:aws:acm:us-east-1:444444444444:certificate/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  '--env-certificate', 'dev=arn:aws:acm:us-east-1:444444444444:certificate/2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
  '--env-certificate', 'staging=arn:aws:acm:us-east-1:444444444444:certificate/3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b',
  '--budget', '900',
];

const without = (flag: string) => {
  const i = FLAGS.indexOf(flag);
  return [...FLAGS.slice(0, i), ...FLAGS.slice(i + 2)];
};

describe('springboard team add', () => {
  test('writes an entry that passes validateRegistry and says what comes next', async () => {
    const registry = registryWith({});
    const result = await team(['add', 'permit-portal', '--registry', registry, ...FLAGS]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = join(registry, 'permit-portal.yaml');
    expect(result.stdout).toContain(`wrote ${file} for team 'permit-portal' (environments dev, staging, prod)`);
    expect(result.stdout).toContain('springboard-service --team-id permit-portal');
    const validated = validateRegistry(registry);
    expect(validated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const added = validated.registry!.teams.find((t) => t.id === 'permit-portal')!;
    expect(added.contacts.owner).toEqual({ name: 'Ana Owner', email: 'ana.owner@example.gov' });
    expect(added.environments.map((e) => [e.name, e.account])).toEqual([['dev', '444444444444'], ['staging', '444444444444'], ['prod', '444444444444']]);
    expect(added.environments[2].certificateArn).toBe('arn:aws:acm:us-east-1:444444444444:certificate/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f');
    const yaml = readFileSync(file, 'utf8');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/team.schema.json');
    expect(yaml).toContain('account: "444444444444"');
  });

  test('environments from --env keep their order with prod last, and take per-environment accounts', async () => {
    const registry = registryWith({});
    const flags = without('--account').filter((a) => !a.startsWith('dev=') && !a.startsWith('staging=') && a !== '--env-certificate')
      .map((a) => a.replace(':444444444444:certificate', ':555555555555:certificate'));
    const qa = 'qa=arn:aws:acm:us-east-1:444444444444:certificate/4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c';
    const result = await team(['add', 'permit-portal', '--registry', registry, ...flags, '--env', 'prod=555555555555', '--env', 'qa=444444444444', '--env-certificate', qa, '--port', '9090']);
    expect(result.stderr).toBe('');
    const doc = parse(readFileSync(join(registry, 'permit-portal.yaml'), 'utf8'));
    expect(Object.keys(doc.environments)).toEqual(['qa', 'prod']);
    expect(doc.environments.prod).toEqual({ account: '555555555555', certificateArn: 'arn:aws:acm:us-east-1:555555555555:certificate/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' });
    expect(doc.service).toEqual({ port: 9090 });
  });

  test('refuses to overwrite an existing team', async () => {
    const registry = registryWith({});
    const before = readFileSync(join(registry, 'benefits-screener.yaml'), 'utf8');
    const result = await team(['add', 'benefits-screener', '--registry', registry, ...FLAGS]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("benefits-screener.yaml already exists: team 'benefits-screener' is registered; edit that file");
    expect(readFileSync(join(registry, 'benefits-screener.yaml'), 'utf8')).toBe(before);
  });

  test('an invalid flag value leaves no file and points at the flag with the registry\'s diagnostic', async () => {
    const registry = registryWith({});
    const args = FLAGS.map((a) => (a === 'ana.owner@example.gov' ? 'ana' : a));
    const result = await team(['add', 'permit-portal', '--registry', registry, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/permit-portal\.yaml:\d+:\d+: error: contacts\.owner\.email: expected an e-mail address, received string "ana"/);
    expect(result.stderr).toContain('fix: --owner-email');
    expect(existsSync(join(registry, 'permit-portal.yaml'))).toBe(false);
  });

  test('a prod certificate of another account is refused with the flag to fix', async () => {
    const registry = registryWith({});
    const prod = FLAGS[FLAGS.indexOf('--certificate-arn') + 1];
    const args = FLAGS.map((a) => (a === prod ? a.replace(':444444444444:certificate', ':999999999999:certificate') : a));
    const result = await team(['add', 'permit-portal', '--registry', registry, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a load balancer needs a certificate of its own account and region');
    expect(result.stderr).toContain('fix: --certificate-arn\n');
    expect(existsSync(join(registry, 'permit-portal.yaml'))).toBe(false);
  });

  test('a repository of another team is refused, on any branch, and rolled back', async () => {
    const registry = registryWith({});
    const args = FLAGS.map((a) => (a === 'example-state/permit-portal' ? 'example-state/benefits-screener' : a));
    const result = await team(['add', 'permit-portal', '--registry', registry, ...args, '--branch', 'permits']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("github repository example-state/benefits-screener is also the source of team 'benefits-screener'");
    expect(result.stderr).toContain('fix: --repository');
    expect(readdirSync(registry).sort()).toEqual(['_platform.yaml', 'benefits-screener.yaml']);
  });

  test.each([
    [['add', 'Permit_Portal'], "'Permit_Portal' is not a team id: expected lower-case words joined by single hyphens"],
    [['add', 'springboard', ...FLAGS], "team id 'springboard' is reserved: it is the owner tag (Team=springboard) of platform-owned resources; choose another id"],
    [['add', 'cdk-tools', ...FLAGS], "team id 'cdk-tools' is reserved: ids starting with 'cdk-' belong to the platform, AWS or CDK"],
    [['add', 'permit-portal', ...without('--budget'), '--budget', 'lots'], "--budget expects a positive number, received 'lots'"],
    [['add', 'permit-portal', ...FLAGS, '--port', '80x'], "--port expects a whole number, received '80x'"],
    [['add', 'permit-portal', ...FLAGS, '--provider', 'svn'], "--provider must be one of github, gitlab, bitbucket, codecommit; received 'svn'"],
    [['add', 'permit-portal', ...FLAGS.map((a) => (a === 'moderate' ? 'secret' : a))], "--data-classification must be one of low, moderate, high; received 'secret'"],
    [['add', 'permit-portal', ...FLAGS, '--env', 'prod=1=2'], "--env expects name or name=account, like --env prod=333333333333; received 'prod=1=2'"],
  ])('bad flags %j get a clear error', async (args, message) => {
    const registry = registryWith({});
    const result = await team([...args, '--registry', registry]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(readdirSync(registry)).toHaveLength(2);
  });

  test('without a terminal, missing required flags are listed instead of asked', async () => {
    const registry = registryWith({});
    const result = await team(['add', 'permit-portal', '--registry', registry, '--display-name', 'Permit Portal']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing required flags for team 'permit-portal': --program-office, --cost-center, --owner-name, --owner-email, --on-call-name");
    expect(result.stderr).toContain('--budget');
    expect(result.stderr).not.toContain('--branch');
  });

  test('on a terminal, missing fields are asked for, with defaults', async () => {
    const registry = registryWith({});
    const answers = [
      'Permit Portal', 'Office of Permits', 'CC-1200', 'Ana Owner', 'ana.owner@example.gov',
      '', // on-call name: default "Permit Portal On-Call"
      'permits-oncall@example.gov', 'low',
      '', // provider: github
      'example-state/permit-portal',
      '', // branch: main
      'arn:aws:codeconnections:us-east-1:111111111111:connection/7a3e9c10-2b4d-4f6a-8c1e-5d0b9a8f7e6d', '444444444444',
      'arn:aws:acm:us-east-1:444444444444:certificate/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', '250',
    ];
    const result = await team(['add', 'permit-portal', '--registry', registry], answers);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.questions[5]).toBe('On-call: name [Permit Portal On-Call]: ');
    const doc = parse(readFileSync(join(registry, 'permit-portal.yaml'), 'utf8'));
    expect(doc.contacts.onCall.name).toBe('Permit Portal On-Call');
    expect(doc.repository).toMatchObject({ provider: 'github', branch: 'main' });
    expect(doc.budget).toEqual({ monthlyUsd: 250 });
  });

  test('moderate: every non-prod environment needs a certificate or --internal, asked by name on a terminal', async () => {
    const registry = registryWith({});
    const base = FLAGS.filter((a, i) => a !== '--env-certificate' && FLAGS[i - 1] !== '--env-certificate');
    const refused = await team(['add', 'permit-portal', '--registry', registry, ...base, '--env', 'dev', '--env', 'qa', '--env', 'prod']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("missing required flags for team 'permit-portal': --env-certificate dev=<arn> (or --internal dev), --env-certificate qa=<arn> (or --internal qa)");

    const qaCertificate = 'arn:aws:acm:us-east-1:444444444444:certificate/4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c';
    const asked = await team(['add', 'permit-portal', '--registry', registry, ...base, '--env', 'dev', '--env', 'qa', '--env', 'prod', '--internal', 'dev'], ['', '', qaCertificate]);
    expect(asked.stderr).toBe('');
    // Provider and branch (defaults taken), then the one environment without a certificate.
    expect(asked.questions.slice(2)).toEqual(['ACM certificate ARN of the qa load balancer (moderate data is served over HTTPS in every environment): ']);
    const doc = parse(readFileSync(join(registry, 'permit-portal.yaml'), 'utf8'));
    expect(doc.environments.dev).toEqual({ loadBalancer: { scheme: 'internal' } });
    expect(doc.environments.qa).toEqual({ certificateArn: qaCertificate });
    const added = validateRegistry(registry).registry!.teams.find((t) => t.id === 'permit-portal')!;
    expect(added.environments.map((e) => [e.name, e.loadBalancer.internal, Boolean(e.certificateArn)])).toEqual([['dev', true, false], ['qa', false, true], ['prod', false, true]]);
  });

  test('a certificate of another team is refused with the flag to fix', async () => {
    const registry = registryWith({});
    const theirs = 'arn:aws:acm:us-east-1:222222222222:certificate/5d2c8e4a-7b1f-4c3d-9e6a-1f0b2c3d4e5f';
    const args = [...without('--account'), '--account', '222222222222'].map((a) => (a.startsWith('dev=') ? `dev=${theirs}` : a.replace(':444444444444:certificate', ':222222222222:certificate')));
    const result = await team(['add', 'permit-portal', '--registry', registry, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("environments.dev.certificateArn: certificate is also used by team 'benefits-screener'");
    expect(result.stderr).toContain('fix: --env-certificate');
  });

  test('--no-input never asks', async () => {
    const registry = registryWith({});
    const result = await team(['add', 'permit-portal', '--registry', registry, '--no-input'], ['x']);
    expect(result.questions).toEqual([]);
    expect(result.code).toBe(1);
  });
});

describe('network ranges for a new team', () => {
  test('a derived range that overlaps one in the same account and region is replaced by a free /20', () => {
    const registry = validateRegistry(registryWith({})).registry!;
    const existing = registry.teams[0].environments.find((e) => e.name === 'dev')!;
    // A team whose dev range would be derived onto benefits-screener's dev range in the same account.
    const entry = {
      id: 'permit-portal',
      displayName: 'Permit Portal',
      programOffice: 'Office of Permits',
      costCenter: 'CC-1',
      owner: { name: 'A', email: 'a@example.gov' },
      onCall: { name: 'B', email: 'b@example.gov' },
      dataClassification: 'low' as const,
      repository: { provider: 'codecommit' as const, name: 'permit-portal' },
      environments: [{ name: 'dev', account: existing.account }],
      monthlyBudgetUsd: 1,
    };
    expect(pickCidrs(registry, entry)).toEqual({});
    const crowded = { ...registry, teams: registry.teams.map((t) => ({ ...t, environments: t.environments.map((e) => ({ ...e, cidr: derivedCidr('permit-portal', 'dev') })) })) };
    const picked = pickCidrs(crowded, entry);
    expect(picked.dev).toMatch(/^10\.\d+\.\d+\.0\/20$/);
    expect(picked.dev).not.toBe(derivedCidr('permit-portal', 'dev'));
    expect(renderTeamYaml(entry, picked)).toContain(`cidr: ${picked.dev}`);
  });
});
