import { app } from '../src/app';
import { createLogger, loadConfig, RunningService, startService } from '../src/platform';

// The team's own tests: change them with the routes in src/app.ts.
const logger = createLogger({}, { write: () => undefined });
let service: RunningService;
let base: string;

beforeAll(async () => {
  service = await startService(app(logger), { config: loadConfig({ PORT: '0' }), logger });
  base = `http://127.0.0.1:${service.port}`;
});

afterAll(() => service.close());

test('GET / says hello', async () => {
  const response = await fetch(base + '/');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ message: 'Hello from Springboard' });
});

test('unknown paths are 404', async () => {
  const response = await fetch(base + '/nope');
  expect(response.status).toBe(404);
});
