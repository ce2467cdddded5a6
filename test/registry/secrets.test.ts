/**
 * Corpus of `service.secrets` values: each bad one with its exact error and the line it is reported
 * at; the good shapes next to them, which load and resolve to ARNs of the environment's account.
 */
import { formatDiagnostic, validateRegistry } from '../../lib/registry';
import { EXAMPLE_TEAM_FILE, exampleTeamYaml, exampleWith, lineOf, registryWith, secondTeamYaml } from '../support/registry-files';

const WRITTEN = '    PARTNER_API_KEY: /benefits-screener/partner-api-key';
const SHAPE = 'expected an SSM parameter name like /benefits-screener/partner-api-key, an SSM parameter ARN '
  + '(arn:<partition>:ssm:<region>:<account>:parameter/<name>) or a complete Secrets Manager secret ARN '
  + '(arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), without wildcards';
const DEV_PARAMETER = 'arn:aws:ssm:us-east-1:222222222222:parameter/benefits-screener/signing-key';
const PROD_SECRET = 'arn:aws:secretsmanager:us-east-1:333333333333:secret:benefits-screener/partner-Ab12Cd';

function errorsOf(files: Record<string, string>): string[] {
  return validateRegistry(registryWith(files)).diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d).replace(/^.*?([\w.-]+\.ya?ml)/, '$1'));
}

function withSecretLine(line: string): string {
  return exampleWith(WRITTEN, line);
}

describe('bad secrets are refused at their line, with what was expected', () => {
  test.each([
    ['a variable name in lower case', '    partner_key: /benefits-screener/partner-api-key',
      'service.secrets.partner_key: expected an environment variable name in capitals, digits and underscores, like PARTNER_API_KEY, received key "partner_key"'],
    ['a variable the platform sets (PORT)', '    PORT: /benefits-screener/port',
      'service.secrets.PORT: expected a variable name the platform does not set itself (PORT, HEALTH_CHECK_PATH, SPRINGBOARD_*, DATABASE_*, AWS_* and ECS_* are reserved), received key "PORT"'],
    ['a variable the platform sets (DATABASE_*)', '    DATABASE_PASSWORD: /benefits-screener/db',
      'service.secrets.DATABASE_PASSWORD: expected a variable name the platform does not set itself'],
    ['a wildcard parameter name', '    PARTNER_API_KEY: /benefits-screener/*', `service.secrets.PARTNER_API_KEY: ${SHAPE}, received string "/benefits-screener/*"`],
    ['a parameter name without its leading slash', '    PARTNER_API_KEY: benefits-screener/key', `service.secrets.PARTNER_API_KEY: ${SHAPE}, received string "benefits-screener/key"`],
    ['a parameter under /aws (reserved by AWS)', '    PARTNER_API_KEY: /aws/reference/secretsmanager/x',
      'service.secrets.PARTNER_API_KEY: expected a parameter name outside /aws and /ssm (names AWS reserves for its own parameters), received string "/aws/reference/secretsmanager/x"'],
    ['a parameter ARN of the wrong partition', `    PARTNER_API_KEY: ${DEV_PARAMETER.replace('arn:aws:', 'arn:aws-us-gov:')}`,
      'service.secrets.PARTNER_API_KEY: expected partition aws for a parameter in us-east-1 (arn:aws:ssm:us-east-1:…), received string'],
    ['a GovCloud secret ARN in the commercial partition', `    PARTNER_API_KEY: ${PROD_SECRET.replace(/us-east-1/, 'us-gov-west-1')}`,
      'service.secrets.PARTNER_API_KEY: expected partition aws-us-gov for a secret in us-gov-west-1 (arn:aws-us-gov:secretsmanager:us-gov-west-1:…), received string'],
    ['a partial secret ARN (without the six characters Secrets Manager appends)', `    PARTNER_API_KEY: ${PROD_SECRET.replace('-Ab12Cd', '')}`,
      `service.secrets.PARTNER_API_KEY: ${SHAPE}, received string`],
    ['a wildcard secret ARN', `    PARTNER_API_KEY: ${PROD_SECRET.replace('partner-Ab12Cd', '*')}`, `service.secrets.PARTNER_API_KEY: ${SHAPE}, received string`],
    ['another service\'s ARN', '    PARTNER_API_KEY: arn:aws:s3:::bucket/key', `service.secrets.PARTNER_API_KEY: ${SHAPE}, received string "arn:aws:s3:::bucket/key"`],
    ['a value that is a number', '    PARTNER_API_KEY: 12345', 'service.secrets.PARTNER_API_KEY: expected a string, received number 12345'],
  ])('%s', (_name, line, expected) => {
    const content = withSecretLine(line);
    const errors = errorsOf({ [EXAMPLE_TEAM_FILE]: content });
    expect(errors).toEqual([expect.stringContaining(expected)]);
    expect(errors[0]).toMatch(new RegExp(`^${EXAMPLE_TEAM_FILE}:${lineOf(content, line.trim())}:\\d+: error: `));
  });

  test('more than 20 secrets', () => {
    const lines = Array.from({ length: 21 }, (_, i) => `    KEY_${i}: /benefits-screener/key-${i}`).join('\n');
    expect(errorsOf({ [EXAMPLE_TEAM_FILE]: withSecretLine(lines) })).toEqual([expect.stringContaining('service.secrets: expected at most 20 secrets per service')]);
  });

  test('an ARN of another account, at team level: one error per environment it would run in, at the line written', () => {
    const line = `    PARTNER_API_KEY: ${DEV_PARAMETER}`;
    const content = withSecretLine(line);
    const at = `${EXAMPLE_TEAM_FILE}:${lineOf(content, DEV_PARAMETER)}:\\d+: error: service.secrets.PARTNER_API_KEY: `;
    expect(errorsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      expect.stringMatching(new RegExp(`^${at}parameter for PARTNER_API_KEY is in account 222222222222 us-east-1, but environment prod runs in account 333333333333 us-east-1; `
        + 'a service reads secrets of its own environment\'s account and region only: create it there, or name it in environments.prod.service.secrets$')),
    ]);
  });

  test('an ARN of another region, in an environment override, points at the override', () => {
    const override = PROD_SECRET.replace('us-east-1', 'us-west-2');
    const content = exampleWith('      desiredCount: 3', `      desiredCount: 3\n      secrets:\n        PARTNER_API_KEY: ${override}`);
    expect(errorsOf({ [EXAMPLE_TEAM_FILE]: content })).toEqual([
      expect.stringMatching(new RegExp(`^${EXAMPLE_TEAM_FILE}:${lineOf(content, override)}:\\d+: error: environments\\.prod\\.service\\.secrets\\.PARTNER_API_KEY: `
        + 'secret for PARTNER_API_KEY is in account 333333333333 us-west-2, but environment prod runs in account 333333333333 us-east-1')),
    ]);
  });

  test('the same parameter named by two teams in the same account: both are told, at their lines', () => {
    const second = secondTeamYaml().replace(': /second-team/partner-api-key', ': /benefits-screener/partner-api-key');
    const shared = 'arn:aws:ssm:us-east-1:222222222222:parameter/benefits-screener/partner-api-key';
    expect(errorsOf({ 'second-team.yaml': second })).toEqual([
      expect.stringMatching(new RegExp(`^${EXAMPLE_TEAM_FILE}:${lineOf(second, '/benefits-screener/partner-api-key')}:\\d+: error: service\\.secrets\\.PARTNER_API_KEY: ${shared} is also read by team 'second-team' \\(.*second-team\\.yaml\\); a secret belongs to one team: give each team its own$`)),
      expect.stringMatching(new RegExp(`^second-team\\.yaml:\\d+:\\d+: error: service\\.secrets\\.PARTNER_API_KEY: ${shared} is also read by team 'benefits-screener'`)),
    ]);
  });

  test('the example and its copy with its own secret names load together', () => {
    expect(errorsOf({ 'second-team.yaml': secondTeamYaml() })).toEqual([]);
  });
});

describe('good secrets load and resolve in each environment', () => {
  test('a parameter name resolves to each environment\'s account and region; an override replaces it in its environment only', () => {
    const content = exampleWith('      desiredCount: 3', `      desiredCount: 3\n      secrets:\n        PARTNER_API_KEY: ${PROD_SECRET}\n        SIGNING_KEY: /benefits-screener/signing-key`);
    const result = validateRegistry(registryWith({ [EXAMPLE_TEAM_FILE]: content }));
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    const envs = result.registry!.teams[0].environments;
    expect(Object.fromEntries(envs.map(e => [e.name, e.secrets.map(s => `${s.variable}=${s.source}:${s.arn}`)]))).toEqual({
      dev: ['PARTNER_API_KEY=ssm-parameter:arn:aws:ssm:us-east-1:222222222222:parameter/benefits-screener/partner-api-key'],
      staging: ['PARTNER_API_KEY=ssm-parameter:arn:aws:ssm:us-east-1:222222222222:parameter/benefits-screener/partner-api-key'],
      prod: [
        `PARTNER_API_KEY=secrets-manager:${PROD_SECRET}`,
        'SIGNING_KEY=ssm-parameter:arn:aws:ssm:us-east-1:333333333333:parameter/benefits-screener/signing-key',
      ],
    });
  });

  test('GovCloud: a bare name resolves in the aws-us-gov partition', () => {
    const gov = (text: string) => text.replace(/arn:aws:/g, 'arn:aws-us-gov:').replace(/us-east-1/g, 'us-gov-west-1');
    const platform = gov('schemaVersion: 1\norganization: Example\ntooling:\n  account: "111111111111"\n  region: us-east-1\n');
    const result = validateRegistry(registryWith({ '_platform.yaml': platform, [EXAMPLE_TEAM_FILE]: gov(exampleTeamYaml()) }));
    expect(result.registry!.teams[0].environments[0].secrets[0].arn).toBe('arn:aws-us-gov:ssm:us-gov-west-1:222222222222:parameter/benefits-screener/partner-api-key');
  });
});
