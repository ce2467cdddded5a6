import { app } from '../src/app';
import { createLogger, loadConfig, RunningService, startService } from '../src/platform';
import { readSecret } from '../src/secrets';
import { SIGNATURE_HEADER, verify } from '../src/signing';

// The team's own tests: change them with the routes in src/app.ts.
const lines: string[] = [];
const logger = createLogger({}, { write: (line) => lines.push(line) });
const signingKey = 'test-signing-key';
let service: RunningService;
let base: string;

beforeAll(async () => {
  service = await startService(app(logger, { signingKey }), { config: loadConfig({ PORT: '0' }), logger });
  base = `http://127.0.0.1:${service.port}`;
});

afterAll(() => service.close());

test('GET / says hello, signed with the signing key', async () => {
  const response = await fetch(base + '/');
  expect(response.status).toBe(200);
  const body = await response.text();
  expect(JSON.parse(body)).toEqual({ message: 'Hello from Springboard' });
  expect(verify(body, response.headers.get(SIGNATURE_HEADER) ?? '', signingKey)).toBe(true);
  expect(verify(body, response.headers.get(SIGNATURE_HEADER) ?? '', 'another-key')).toBe(false);
  expect(lines.join('\n')).not.toContain(signingKey);
});

test('unknown paths are 404', async () => {
  const response = await fetch(base + '/nope');
  expect(response.status).toBe(404);
});

test('a secret missing in AWS stops the start with a message saying how to fix it', () => {
  expect(() => readSecret('SIGNING_KEY', { environment: 'dev', teamId: 'my-team', logger, env: {} })).toThrow(
    /SIGNING_KEY is not set in environment 'dev'.*service\.secrets in teams\/my-team\.yaml/,
  );
});

test('locally, a missing secret is replaced by a random key, with a warning that never shows it', () => {
  const warnings: string[] = [];
  const local = createLogger({}, { write: (line) => warnings.push(line) });
  const key = readSecret('SIGNING_KEY', { environment: 'local', teamId: 'my-team', logger: local, env: {} });
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  expect(warnings.join('\n')).toContain('SIGNING_KEY is not set');
  expect(warnings.join('\n')).not.toContain(key);
  expect(readSecret('SIGNING_KEY', { environment: 'dev', teamId: 'my-team', logger, env: { SIGNING_KEY: 'from-ssm' } })).toBe('from-ssm');
});
