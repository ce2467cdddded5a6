import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, loadRegistry, RegistryError, validateRegistry } from '../../lib/registry';
import { EXAMPLE_REGISTRY, EXAMPLE_TEAM_FILE, exampleTeamYaml, exampleWith, lineOf, registryWith, secondTeamYaml } from '../support/registry-files';

/** The formatted errors of a registry, with the temporary folder's path removed. */
function errorsOf(dir: string): string[] {
  const result = validateRegistry(dir);
  expect(result.registry).toBeUndefined();
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d).replace(/^.*?([\w.-]+\.ya?ml)/, '$1'));
}

describe('the example registry', () => {
  test('loads with defaults applied and prod last', () => {
    const registry = loadRegistry(EXAMPLE_REGISTRY);
    expect(registry.teams.map((t) => t.id)).toEqual(['benefits-screener']);
    const team = registry.teams[0];
    expect(team.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(team.environments.map((e) => e.isProd)).toEqual([false, false, true]);
    expect(team.environments[0].service.desiredCount).toBe(1);
    expect(team.environments[2].service.desiredCount).toBe(3);
    expect(team.environments[2].region).toBe('us-east-1');
    expect(team.environments.every((e) => /^10\.\d+\.\d+\.0\/20$/.test(e.cidr))).toBe(true);
    expect(registry.platform.permissionsBoundaryName).toBe('springboard-team-boundary');
  });
});

describe('errors name the file, line, field, what was received and what was expected', () => {
  test.each([
    ['misspelt key', ['desiredCount: 2', 'desiredCont: 2'], "service.desiredCont: unknown key 'desiredCont'; did you mean 'desiredCount'?"],
    ['misspelt enum value', ['dataClassification: moderate', 'dataClassification: modrate'], 'dataClassification: expected one of "low", "moderate", "high", received string "modrate"; did you mean \'moderate\'?'],
    ['unquoted account', ['account: "333333333333"', 'account: 333333333333'], 'environments.prod.account: expected a string, received number 333333333333; put it in quotes'],
    ['invalid Fargate cpu', ['cpu: 512', 'cpu: 500'], 'service.cpu: expected 256 or 512 or 1024 or 2048 or 4096, received number 500'],
    ['memory outside the cpu range', ['memory: 1024', 'memory: 512'], 'service.memory: expected memory between 1024 and 4096 MiB for cpu 512 (a Fargate limit), received number 512'],
    ['missing connection', [/  connectionArn: .*\n/, ''], 'repository.connectionArn: required field is missing: expected a CodeConnections connection ARN (required for provider github), received nothing'],
    ['bad e-mail', ['dana.rivera@example.gov', 'dana.rivera'], 'contacts.owner.email: expected an e-mail address, received string "dana.rivera"'],
  ] as const)('%s', (_name, [find, replace], expected) => {
    const content = exampleWith(find, replace);
    const errors = errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: content }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
    // The reported line is the line of the changed text (or of its parent when the field is missing).
    const line = typeof find === 'string' ? lineOf(content, replace) : lineOf(content, 'repository:') + 1;
    expect(errors[0]).toMatch(new RegExp(`^${EXAMPLE_TEAM_FILE}:${line}:\\d+: error: `));
  });

  test('a Teams channel id CloudFormation cannot take, even encoded', () => {
    const content = exampleWith('dataClassification: moderate', [
      'dataClassification: moderate', 'contacts:', '  owner: { name: Dana Rivera, email: dana.rivera@example.gov }',
      '  onCall: { name: On-Call, email: oncall@example.gov }',
      '  chat: { kind: teams, workspaceId: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, channelId: general, teamId: 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9 }',
    ].join('\n')).replace(/^contacts:\n(  .*\n)+/m, '');
    expect(errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: content }))).toEqual([
      expect.stringContaining('contacts.chat.channelId: expected a Microsoft Teams channel id like 19:0123abcd@thread.tacv2 (as Teams copies it) or 19%3a0123abcd%40thread.tacv2 (URL-encoded), received string "general"'),
    ]);
  });

  test('prod missing', () => {
    const content = exampleWith(/  prod:\n[\s\S]*$/, '');
    expect(errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: content }))).toEqual([
      expect.stringContaining('environments: expected an environment named prod (every team has production); found dev, staging'),
    ]);
  });

  test('every problem in every file at once', () => {
    const dir = registryWith({
      [EXAMPLE_TEAM_FILE]: exampleWith('desiredCount: 2', 'desiredCont: 2').replace('dataClassification: moderate', 'dataClassification: secret'),
      'other-team.yaml': exampleTeamYaml().replace('id: benefits-screener', 'id: other-team').replace('costCenter: CC-4410', 'costCentre: CC-4410'),
    });
    const errors = errorsOf(dir);
    expect(errors).toHaveLength(3); // the misspelt costCentre is one error, not also a missing costCenter
    expect(errors.join('\n')).toContain('other-team.yaml');
    expect(errors.join('\n')).toContain("did you mean 'costCenter'?");
  });

  test('an id that does not match its file name', () => {
    const errors = errorsOf(registryWith({ 'screener.yaml': exampleTeamYaml() }));
    expect(errors).toContainEqual(expect.stringMatching(/^screener\.yaml:\d+:5: error: id: id 'benefits-screener' does not match the file name: expected 'screener'/));
  });

  test('an id longer than the contract allows', () => {
    const id = 'a'.repeat(25);
    const errors = errorsOf(registryWith({ [`${id}.yaml`]: exampleTeamYaml().replace('id: benefits-screener', `id: ${id}`).replace('branch: main', 'branch: other') }));
    expect(errors).toEqual([expect.stringContaining('id: expected at most 24 characters')]);
  });

  test('an id shaped like a CloudFormation expression', () => {
    const errors = errorsOf(registryWith({ 'evil.yaml': exampleTeamYaml().replace('id: benefits-screener', 'id: "${AWS::AccountId}"') }));
    expect(errors).toEqual([expect.stringContaining('id: expected lower-case words joined by single hyphens, like benefits-screener, received string "${AWS::AccountId}"')]);
  });
});

describe('cross-file checks', () => {
  test('duplicate ids', () => {
    const errors = errorsOf(registryWith({ 'benefits-screener.yml': exampleTeamYaml().replace('branch: main', 'branch: release') }));
    expect(errors).toEqual([
      expect.stringContaining("duplicate team id 'benefits-screener', also in"),
      expect.stringContaining("duplicate team id 'benefits-screener', also in"),
    ]);
  });

  test('no platform settings', () => {
    const dir = registryWith({});
    rmSync(join(dir, '_platform.yaml'));
    expect(errorsOf(dir)).toEqual([expect.stringContaining('_platform.yaml: error: no platform settings')]);
  });

  test('a folder that does not exist', () => {
    expect(errorsOf('/nonexistent/teams')).toEqual([expect.stringContaining('registry directory not found')]);
  });
});

describe('hostile input is refused quickly with bounded memory', () => {
  test('an alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    const started = Date.now();
    const before = process.memoryUsage().heapUsed;
    const errors = errorsOf(registryWith({ 'bomb.yaml': levels.join('\n') }));
    expect(errors).toEqual([expect.stringContaining('bomb.yaml: error: refused: Excessive alias count')]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a binary file', () => {
    const errors = errorsOf(registryWith({ 'blob.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]) }));
    expect(errors).toEqual([expect.stringContaining('blob.yaml: error: file is binary or not UTF-8 text')]);
  });

  test('an oversized file', () => {
    const errors = errorsOf(registryWith({ 'huge.yaml': `# ${'x'.repeat(300 * 1024)}\n` }));
    expect(errors).toEqual([expect.stringContaining('huge.yaml: error: file is 307203 bytes; registry files are at most 262144 bytes')]);
  });

  test('several documents in one file', () => {
    const errors = errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: `${exampleTeamYaml()}\n---\nid: second\n` }));
    expect(errors).toEqual([expect.stringContaining('file holds 2 YAML documents')]);
  });
});

describe('schema versions', () => {
  test('an older version gets a migration message', () => {
    const errors = errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: exampleWith('schemaVersion: 1', 'schemaVersion: 0') }));
    expect(errors).toEqual([expect.stringMatching(/schemaVersion: schemaVersion 0 is older than 1; migrate the file \(to 1: .*\), see docs\/registry\.md#migrations/)]);
  });

  test('a newer version asks for an upgrade', () => {
    const errors = errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: exampleWith('schemaVersion: 1', 'schemaVersion: 7') }));
    expect(errors).toEqual([expect.stringContaining('schemaVersion 7 is newer than this springboard reads (1): upgrade springboard')]);
  });
});

test('loadRegistry throws a RegistryError whose message is the formatted list', () => {
  const dir = registryWith({ [EXAMPLE_TEAM_FILE]: exampleWith('desiredCount: 2', 'desiredCont: 2') });
  expect(() => loadRegistry(dir)).toThrow(RegistryError);
  expect(() => loadRegistry(dir)).toThrow(/unknown key 'desiredCont'[\s\S]*1 error, 0 warnings/);
});

describe('certificates', () => {
  test('prod without a certificate is refused at its line', () => {
    const content = exampleWith(/    certificateArn: arn:aws:acm:us-east-1:333333333333.*\n/, '');
    expect(errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: content }))).toEqual([
      expect.stringContaining('environments.prod.certificateArn: required field is missing: expected an ACM certificate ARN: prod serves HTTPS only, received nothing'),
    ]);
  });

  test('a certificate from another region is refused', () => {
    const content = exampleWith('arn:aws:acm:us-east-1:333333333333', 'arn:aws:acm:us-west-2:333333333333');
    expect(errorsOf(registryWith({ [EXAMPLE_TEAM_FILE]: content }))).toEqual([
      expect.stringContaining('environments.prod.certificateArn: certificate is in account 333333333333 us-west-2, but environment prod runs in account 333333333333 us-east-1'),
    ]);
  });
});

test('overlapping network ranges in one account and region are a warning, also when only partly overlapping', () => {
  const devCidr = loadRegistry(EXAMPLE_REGISTRY).teams[0].environments[0].cidr;
  const second = secondTeamYaml()
    .replace('    service:\n      desiredCount: 1', `    cidr: ${devCidr.replace(/\.\d+\.0\/20$/, '.0.0/16')}\n    service:\n      desiredCount: 1`);
  const result = validateRegistry(registryWith({ 'second-team.yaml': second }));
  expect(result.registry).toBeDefined();
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([
    expect.stringMatching(/second-team\.yaml:\d+:\d+: warning: environments\.dev: network range 10\.\d+\.0\.0\/16 overlaps benefits-screener\/dev in account 222222222222 us-east-1/),
  ]);
});

describe('the prod data guard\'s acknowledgments and the backup copy', () => {
  const prodAccount = /(\n {2}prod:\n {4}account: "333333333333"\n)/;
  const withAck = (lines: string) => registryWith({ [EXAMPLE_TEAM_FILE]: exampleWith(prodAccount, `$1    acknowledgedChanges:\n${lines}`) });

  test('an acknowledgment names its reviewer; Modify names a property, Replace and Delete do not', () => {
    const reason = '        reason: restore rehearsed from the snapshot in CR-1042\n';
    const registry = loadRegistry(withAck(`      - logicalId: DatabaseInstance5C8B7E41\n        action: Modify\n        property: BackupRetentionPeriod\n${reason}        reviewer: Dana Rivera\n`));
    expect(registry.teams[0].environments.find((e) => e.isProd)!.acknowledgedChanges).toEqual([
      { logicalId: 'DatabaseInstance5C8B7E41', action: 'Modify', property: 'BackupRetentionPeriod', reason: 'restore rehearsed from the snapshot in CR-1042', reviewer: 'Dana Rivera' },
    ]);
    expect(errorsOf(withAck(`      - logicalId: Db\n        action: Replace\n${reason}`))).toEqual([expect.stringContaining('reviewer: required field is missing')]);
    expect(errorsOf(withAck(`      - logicalId: Db\n        action: Modify\n${reason}        reviewer: Dana Rivera\n`)))
      .toEqual([expect.stringContaining('acknowledgedChanges.0.property: required field is missing: expected the property whose change is accepted (required with action Modify)')]);
    expect(errorsOf(withAck(`      - logicalId: Db\n        action: Delete\n        property: DeletionPolicy\n${reason}        reviewer: Dana Rivera\n`)))
      .toEqual([expect.stringContaining('no property with action Delete')]);
  });

  test('the backup account gets its default vault, and must leave the accounts it protects', () => {
    const platform = (extra: string) => `${readFileSync(join(EXAMPLE_REGISTRY, '_platform.yaml'), 'utf8')}${extra}`;
    const ok = loadRegistry(registryWith({ '_platform.yaml': platform('backupCopy:\n  account: "444444444444"\n') }));
    expect(ok.platform.backupCopy).toEqual({ account: '444444444444', vaultName: 'springboard-backup-copy' });
    expect(ok.platform.breakGlassRoleName).toBe('springboard-break-glass');
    const clash = registryWith({ '_platform.yaml': platform('backupCopy:\n  account: "333333333333"\n') });
    expect(errorsOf(clash)).toEqual([
      expect.stringMatching(new RegExp(`^${EXAMPLE_TEAM_FILE}:${lineOf(exampleTeamYaml(), 'account: "333333333333"')}:\\d+: error: environments.prod.account: `
        + '.*environment prod runs in 333333333333, the backup account of _platform.yaml')),
    ]);
    expect(errorsOf(registryWith({ '_platform.yaml': platform('backupCopy:\n  account: "111111111111"\n') })))
      .toEqual([expect.stringContaining('backupCopy.account: expected a backup account other than the tooling account')]);
  });
});
