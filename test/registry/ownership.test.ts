/**
 * Corpus of bad values for what a team entry names (its source connection, certificates, load
 * balancer exposure and web ACL): each one with the exact error text and the line it is reported at;
 * and the good values next to them, which load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, validateRegistry } from '../../lib/registry';
import { EXAMPLE_REGISTRY, EXAMPLE_TEAM_FILE, exampleTeamYaml, exampleWith, lineOf, registryWith, secondTeamYaml as secondTeam } from '../support/registry-files';

const CONNECTION = 'arn:aws:codeconnections:us-east-1:111111111111:connection/6f1d3a52-0c4e-4b8a-9f0e-2d7c5b1a9e34';
const PROD_CERTIFICATE = 'arn:aws:acm:us-east-1:333333333333:certificate/0b9a6f2e-3c1d-4e5f-8a7b-9c0d1e2f3a4b';
const DEV_CERTIFICATE = 'arn:aws:acm:us-east-1:222222222222:certificate/5d2c8e4a-7b1f-4c3d-9e6a-1f0b2c3d4e5f';

const CONNECTION_SHAPE = 'expected a CodeConnections connection ARN naming one connection by its id, no wildcards: '
  + 'arn:<partition>:codeconnections:<region>:<12-digit account>:connection/<lower-case UUID>, like ' + CONNECTION;
const CERTIFICATE_SHAPE = 'expected an ACM certificate ARN naming one certificate by its id, no wildcards: '
  + 'arn:<partition>:acm:<region>:<12-digit account>:certificate/<lower-case UUID>, like ' + PROD_CERTIFICATE;
const HTTPS_EVERYWHERE = (level: string) => `expected an ACM certificate ARN: data classified ${level} is served over HTTPS only in every environment `
  + '(or set loadBalancer.scheme: internal to keep this environment off the internet), received nothing';

/** Errors of the example registry with one team file, formatted, the temporary folder's path removed. */
function diagnosticsOf(files: Record<string, string>, severity = 'error'): string[] {
  return validateRegistry(registryWith(files)).diagnostics
    .filter((d) => d.severity === severity)
    .map((d) => formatDiagnostic(d).replace(/^.*?([\w.-]+\.ya?ml)/, '$1'));
}

function withStaging(lines: string): string {
  return exampleWith('  staging:\n    account: "222222222222"\n', `  staging:\n    account: "222222222222"\n${lines}`);
}

describe('strict ARNs: one resource by its id, in its own partition', () => {
  test.each([
    ['a wildcard connection', CONNECTION, CONNECTION.replace(/connection\/.*/, 'connection/*'), `repository.connectionArn: ${CONNECTION_SHAPE}, received string "arn:aws:codeconnections:us-east-1:111111111111:connectio..."`],
    ['a connection id that is not a UUID', CONNECTION, CONNECTION.replace(/connection\/.*/, 'connection/abc'), `repository.connectionArn: ${CONNECTION_SHAPE}, received string`],
    ['an upper-case connection id', CONNECTION, CONNECTION.toUpperCase().replace('ARN:AWS:CODECONNECTIONS:US-EAST-1', 'arn:aws:codeconnections:us-east-1'), `repository.connectionArn: ${CONNECTION_SHAPE}, received string`],
    ['a connection with a path after its id', CONNECTION, `${CONNECTION}/extra`, `repository.connectionArn: ${CONNECTION_SHAPE}, received string`],
    ['a connection without a region', CONNECTION, CONNECTION.replace('us-east-1', ''), `repository.connectionArn: ${CONNECTION_SHAPE}, received string`],
    ['another service\'s ARN as the connection', CONNECTION, 'arn:aws:iam::111111111111:role/anything', `repository.connectionArn: ${CONNECTION_SHAPE}, received string "arn:aws:iam::111111111111:role/anything"`],
    ['a GovCloud region in the commercial partition', CONNECTION, CONNECTION.replace('us-east-1', 'us-gov-west-1'), 'repository.connectionArn: expected partition aws-us-gov for a connection in us-gov-west-1 (arn:aws-us-gov:codeconnections:us-gov-west-1:…), received string'],
    ['a commercial region in the GovCloud partition', CONNECTION, CONNECTION.replace('arn:aws:', 'arn:aws-us-gov:'), 'repository.connectionArn: expected partition aws for a connection in us-east-1 (arn:aws:codeconnections:us-east-1:…), received string'],
    ['a wildcard certificate', PROD_CERTIFICATE, PROD_CERTIFICATE.replace(/certificate\/.*/, 'certificate/*'), `environments.prod.certificateArn: ${CERTIFICATE_SHAPE}, received string "arn:aws:acm:us-east-1:333333333333:certificate/*"`],
    ['a certificate id that is not a UUID', PROD_CERTIFICATE, PROD_CERTIFICATE.replace(/certificate\/.*/, 'certificate/abc'), `environments.prod.certificateArn: ${CERTIFICATE_SHAPE}, received string`],
    ['a certificate in the wrong partition', PROD_CERTIFICATE, PROD_CERTIFICATE.replace('arn:aws:', 'arn:aws-cn:'), 'environments.prod.certificateArn: expected partition aws for a certificate in us-east-1 (arn:aws:acm:us-east-1:…), received string'],
  ])('%s', (_name, find, replace, expected) => {
    const content = exampleWith(find, replace);
    const errors = diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content });
    expect(errors).toEqual([expect.stringContaining(expected)]);
    expect(errors[0]).toMatch(new RegExp(`^${EXAMPLE_TEAM_FILE}:${lineOf(content, replace)}:\\d+: error: `));
  });

  test('the same values with their own partition load (GovCloud tooling, connection and certificates)', () => {
    const gov = (text: string) => text.replace(/arn:aws:/g, 'arn:aws-us-gov:').replace(/us-east-1/g, 'us-gov-west-1');
    const platform = gov('schemaVersion: 1\norganization: Example\ntooling:\n  account: "111111111111"\n  region: us-east-1\n');
    expect(diagnosticsOf({ '_platform.yaml': platform, [EXAMPLE_TEAM_FILE]: gov(exampleTeamYaml()) })).toEqual([]);
  });
});

describe('ownership: what a team names is its own', () => {
  test('a connection of another account than the tooling account', () => {
    const content = exampleWith('codeconnections:us-east-1:111111111111', 'codeconnections:us-east-1:999999999999');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      `${EXAMPLE_TEAM_FILE}:${lineOf(content, '999999999999')}:18: error: repository.connectionArn: connection is in account 999999999999 us-east-1, `
        + 'but team pipelines run in the tooling account 111111111111 us-east-1; use a connection created there (the tooling account and region are set in _platform.yaml)',
    ]);
  });

  test('a connection of the tooling account in another region', () => {
    const content = exampleWith('codeconnections:us-east-1:111111111111', 'codeconnections:us-west-2:111111111111');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      expect.stringContaining('repository.connectionArn: connection is in account 111111111111 us-west-2, but team pipelines run in the tooling account 111111111111 us-east-1'),
    ]);
  });

  test('the platform pipeline\'s connection outside the tooling account', () => {
    const platform = readFileSync(join(EXAMPLE_REGISTRY, '_platform.yaml'), 'utf8').replace('codeconnections:us-east-1:111111111111', 'codeconnections:us-east-1:999999999999');
    expect(diagnosticsOf({ '_platform.yaml': platform })).toEqual([
      expect.stringMatching(/^_platform\.yaml:24:\d+: error: pipeline\.repository\.connectionArn: expected a connection of the tooling account 111111111111 us-east-1, where the platform pipelines run \(this one is in account 999999999999 us-east-1\), received string/),
    ]);
  });

  test('a second team of its own loads', () => {
    expect(diagnosticsOf({ 'second-team.yaml': secondTeam() })).toEqual([]);
  });

  test('one repository belongs to one team, whatever the branch or letter case', () => {
    const claims = secondTeam().replace('name: example-state/second-team', 'name: Example-State/Benefits-Screener').replace('branch: main', 'branch: release');
    const errors = diagnosticsOf({ 'second-team.yaml': claims });
    const ownership = 'a repository belongs to one team, whose pipeline alone may read it: give each team its own repository';
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^benefits-screener\\.yaml:18:9: error: repository\\.name: github repository example-state/benefits-screener is also the source of team 'second-team' \\(.*second-team\\.yaml\\); ${ownership}$`)),
      expect.stringMatching(new RegExp(`^second-team\\.yaml:18:9: error: repository\\.name: github repository Example-State/Benefits-Screener is also the source of team 'benefits-screener' \\(.*benefits-screener\\.yaml\\); ${ownership}$`)),
    ]);
  });

  test('a team may not build from the Springboard repository of the platform pipelines', () => {
    const claims = secondTeam().replace('name: example-state/second-team', 'name: example-state/springboard');
    expect(diagnosticsOf({ 'second-team.yaml': claims })).toEqual([
      expect.stringMatching(/^second-team\.yaml:18:9: error: repository\.name: github repository example-state\/springboard is the Springboard repository of the platform pipelines \(.*_platform\.yaml\); a team builds from a repository of its own$/),
    ]);
  });

  test('a certificate is used by one team (one team may use it in several environments)', () => {
    const claims = secondTeam().replace(/certificateArn: arn:aws:acm:us-east-1:222222222222:certificate\/.*/, `certificateArn: ${DEV_CERTIFICATE}`);
    const errors = diagnosticsOf({ 'second-team.yaml': claims });
    expect(errors).toEqual([
      expect.stringMatching(/^benefits-screener\.yaml:40:21: error: environments\.dev\.certificateArn: certificate is also used by team 'second-team' \(.*second-team\.yaml, dev\); a certificate belongs to one team: request one for this team's own domain name$/),
      expect.stringMatching(/^second-team\.yaml:40:21: error: environments\.dev\.certificateArn: certificate is also used by team 'benefits-screener' \(.*benefits-screener\.yaml, dev\); a certificate belongs to one team/),
    ]);
    const ownTwice = exampleWith(/(  staging:\n.*\n    certificateArn: ).*/, `$1${DEV_CERTIFICATE}`);
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: ownTwice })).toEqual([]);
  });
});

describe('HTTPS by classification', () => {
  const withoutDevCertificate = exampleWith(/    certificateArn: arn:aws:acm:us-east-1:222222222222:certificate\/5d2c.*\n/, '');

  test.each(['moderate', 'high'])('%s: an internet-facing environment without a certificate is refused at its line', (level) => {
    const content = withoutDevCertificate.replace('dataClassification: moderate', `dataClassification: ${level}`);
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      `${EXAMPLE_TEAM_FILE}:${lineOf(content, '  dev:') + 1}:5: error: environments.dev.certificateArn: required field is missing: ${HTTPS_EVERYWHERE(level)}`,
    ]);
  });

  test('moderate: an internal environment may go without a certificate', () => {
    const content = withoutDevCertificate.replace('  dev:\n', '  dev:\n    loadBalancer:\n      scheme: internal\n');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([]);
  });

  test('low keeps today\'s rule: only prod needs a certificate', () => {
    const content = withoutDevCertificate.replace('dataClassification: moderate', 'dataClassification: low');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([]);
    const noProd = content.replace(/    certificateArn: arn:aws:acm:us-east-1:333333333333.*\n/, '');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: noProd })).toEqual([
      expect.stringContaining('environments.prod.certificateArn: required field is missing: expected an ACM certificate ARN: prod serves HTTPS only, received nothing'),
    ]);
  });

  test('an internal prod still needs a certificate', () => {
    const content = exampleWith(/(  prod:\n    account: "333333333333"\n)    certificateArn: .*\n/, '$1    loadBalancer:\n      scheme: internal\n');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([expect.stringContaining('environments.prod.certificateArn: required field is missing: expected an ACM certificate ARN: prod serves HTTPS only')]);
  });

  test('a team without an environments map is told prod needs a certificate', () => {
    const content = exampleWith(/# Moderate data[\s\S]*$/, '').replace('budget:', 'account: "222222222222"\nbudget:');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      expect.stringContaining('environments: required field is missing: expected an `environments` map that gives prod a certificateArn (prod serves HTTPS only), received nothing'),
    ]);
  });
});

describe('narrowed ingress', () => {
  test.each([
    ['0.0.0.0/0', 'expected a range narrower than 0.0.0.0/0 (without allowedCidrs the load balancer is open to everyone already), like 203.0.113.0/24, received string "0.0.0.0/0"'],
    ['203.0.113.5/24', 'expected a range that starts on its boundary, like 203.0.113.0/24, received string "203.0.113.5/24"'],
    ['2001:db8::/32', 'expected an IPv4 range in CIDR notation, like 203.0.113.0/24 (the load balancers accept IPv4 only), received string "2001:db8::/32"'],
    ['300.1.1.0/24', 'expected an IPv4 range in CIDR notation, like 203.0.113.0/24 (the load balancers accept IPv4 only), received string "300.1.1.0/24"'],
    ['10.0.0.0/33', 'expected an IPv4 range in CIDR notation, like 203.0.113.0/24 (the load balancers accept IPv4 only), received string "10.0.0.0/33"'],
    ['vendor office', 'expected an IPv4 range in CIDR notation, like 203.0.113.0/24 (the load balancers accept IPv4 only), received string "vendor office"'],
  ])('%s', (value, expected) => {
    const content = withStaging(`    loadBalancer:\n      allowedCidrs:\n        - 198.51.100.0/24\n        - "${value}"\n`);
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      `${EXAMPLE_TEAM_FILE}:${lineOf(content, `- "${value}"`)}:11: error: environments.staging.loadBalancer.allowedCidrs.1: ${expected}`,
    ]);
  });

  test('an empty list and too many ranges are refused; a vendor\'s office and a single host load', () => {
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: withStaging('    loadBalancer:\n      allowedCidrs: []\n') })).toEqual([
      expect.stringContaining('environments.staging.loadBalancer.allowedCidrs: expected at least 1 items, received a list'),
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `        - 198.51.100.${i}/32`).join('\n');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: withStaging(`    loadBalancer:\n      allowedCidrs:\n${many}\n`) })).toEqual([
      expect.stringContaining('environments.staging.loadBalancer.allowedCidrs: expected at most 20 items, received a list'),
    ]);
    const good = withStaging('    loadBalancer:\n      allowedCidrs: [203.0.113.0/24, 198.51.100.7/32]\n');
    const result = validateRegistry(registryWith({ [EXAMPLE_TEAM_FILE]: good }));
    expect(result.diagnostics).toEqual([]);
    expect(result.registry!.teams[0].environments[1].loadBalancer).toEqual({ internal: false, allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(result.registry!.teams[0].environments[0].loadBalancer).toEqual({ internal: false, allowedCidrs: undefined });
  });
});

describe('rate limit', () => {
  test('defaults to 2000 requests per client IP in 5 minutes; the team sets it, an environment overrides it', () => {
    const defaults = validateRegistry(registryWith({})).registry!.teams[0];
    expect(defaults.environments.map((e) => e.rateLimit)).toEqual([2000, 2000, 2000]);
    const content = withStaging('    webAcl:\n      rateLimit: 20000\n').replace('budget:', 'webAcl:\n  rateLimit: 5000\nbudget:');
    const set = validateRegistry(registryWith({ [EXAMPLE_TEAM_FILE]: content })).registry!.teams[0];
    expect(set.environments.map((e) => e.rateLimit)).toEqual([5000, 20000, 5000]);
  });

  test.each([
    ['50', 'webAcl.rateLimit: expected at least 100, received number 50'],
    ['2.5', 'webAcl.rateLimit: expected a whole number, received number 2.5'],
    ['3000000000', 'webAcl.rateLimit: expected at most 2000000000, received number 3000000000'],
  ])('a limit of %s is refused', (value, expected) => {
    const content = exampleWith('budget:', `webAcl:\n  rateLimit: ${value}\nbudget:`);
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([`${EXAMPLE_TEAM_FILE}:${lineOf(content, `rateLimit: ${value}`)}:14: error: ${expected}`]);
  });

  test('low data has no web ACL, so a rate limit there is refused rather than ignored', () => {
    const content = exampleWith('budget:', 'webAcl:\n  rateLimit: 5000\nbudget:').replace('dataClassification: moderate', 'dataClassification: low');
    expect(diagnosticsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      expect.stringContaining('webAcl: expected no `webAcl` setting at data classification low: a low environment has no web ACL (remove it, or classify the data moderate)'),
    ]);
  });
});
