import { createLogger } from '../../src/platform';

function capture(level?: 'debug' | 'info') {
  const lines: string[] = [];
  const logger = createLogger({ team: 'example' }, { level, write: (line) => lines.push(line), now: () => new Date('2030-01-02T03:04:05Z') });
  return { logger, lines };
}

test('writes one JSON object per line with time, level, message and the base fields', () => {
  const { logger, lines } = capture();
  logger.info('hello', { requestId: 'r-1' });
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toEqual({ time: '2030-01-02T03:04:05.000Z', level: 'info', message: 'hello', team: 'example', requestId: 'r-1' });
});

test('error lines carry "level":"error", which the appLogErrors alarm counts', () => {
  const { logger, lines } = capture();
  logger.error('boom', { error: new Error('database unreachable') });
  expect(lines[0]).toContain('"level":"error"');
  const entry = JSON.parse(lines[0]);
  expect(entry.error.message).toBe('database unreachable');
  expect(entry.error.stack).toContain('Error: database unreachable');
});

test('drops lines below the level and keeps reserved fields', () => {
  const { logger, lines } = capture('info');
  logger.debug('noise');
  logger.child({ component: 'jobs' }).warn('slow', { level: 'spoofed', message: 'spoofed' });
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', message: 'slow', component: 'jobs' });
});
