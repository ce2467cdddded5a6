import { createLogger, loadConfig, RunningService, startService } from '../../src/platform';
import { TEAM } from '../../src/platform/team';

const lines: string[] = [];
const logger = createLogger({}, { level: 'debug', write: (line) => lines.push(line) });
let service: RunningService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
  lines.length = 0;
});

async function start(handler: Parameters<typeof startService>[0]): Promise<string> {
  const config = loadConfig({ PORT: '0' });
  service = await startService(handler, { config, logger, shutdownTimeoutMs: 1000 });
  return `http://127.0.0.1:${service.port}`;
}

test('answers the registry health check path with 200 without calling the team handler', async () => {
  const handler = jest.fn();
  const base = await start(handler);
  const response = await fetch(base + TEAM.healthCheckPath);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
  expect(handler).not.toHaveBeenCalled();
});

test('a failing handler becomes a 500 and an error line', async () => {
  const base = await start(() => {
    throw new Error('kaput');
  });
  const response = await fetch(base + '/anything');
  expect(response.status).toBe(500);
  const errors = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0].error.message).toBe('kaput');
});

test('graceful shutdown: an in-flight request completes, then the server stops', async () => {
  let release: () => void = () => undefined;
  const base = await start(async (_request, response) => {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    response.end('done');
  });
  const inFlight = fetch(base + '/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closed = service!.close();
  expect(service!.draining).toBe(true);
  release();
  const response = await inFlight;
  expect(await response.text()).toBe('done');
  await closed;
  expect(service!.server.listening).toBe(false);
  expect(lines.some((line) => line.includes('"message":"service stopped"'))).toBe(true);
});

test('rejects a PORT that is not a port number', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow("PORT must be a whole number from 0 to 65535, received 'eighty'");
});
