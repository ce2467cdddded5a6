/** Pure functions: window parsing, what counts as a deployment, the DORA figures, the bands. */
import * as fc from 'fast-check';
import { bandsOf } from '../../lib/fleet/bands';
import { type ActionRun, deploymentsFrom, PipelineShapeError, prodStageShape } from '../../lib/fleet/deployments';
import { doraFigures, median, restoreTimes } from '../../lib/fleet/dora';
import { resolveWindow, WindowError } from '../../lib/fleet/window';

const now = new Date('2026-03-31T12:00:00Z');
const t = (iso: string): Date => new Date(`2026-03-${iso}Z`);

describe('window', () => {
  test('defaults to the 30 days before now', () => {
    expect(resolveWindow({ now })).toEqual({ since: new Date('2026-03-01T12:00:00Z'), until: now });
  });
  test('a relative --since counts back from --until', () => {
    expect(resolveWindow({ now, since: '7d', until: '2026-03-10' }).since).toEqual(new Date('2026-03-03T00:00:00Z'));
    expect(resolveWindow({ now, since: '12h' }).since).toEqual(new Date('2026-03-31T00:00:00Z'));
  });
  test('ISO dates and date-times with a zone', () => {
    expect(resolveWindow({ now, since: '2026-03-01', until: '2026-03-02T06:30:00+02:00' })).toEqual({
      since: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-03-02T04:30:00Z'),
    });
  });
  test.each([
    ['30', /--since needs a unit: did you mean "30d"\?/],
    ['yesterday', /--since must be a duration like 30d or 12h, or an ISO 8601 date, received "yesterday"/],
    ['0d', /positive duration, received "0d"/],
    ['2026-02-30', /not a real calendar date, received "2026-02-30"/],
    ['2026-03-01T10:00', /ISO 8601 date .* or date-time with a zone .*received "2026-03-01T10:00"/],
  ])('--since %s is refused with a message that says what was expected', (since, message) => {
    expect(() => resolveWindow({ now, since })).toThrow(WindowError);
    expect(() => resolveWindow({ now, since })).toThrow(message);
  });
  test('--since after --until is refused', () => {
    expect(() => resolveWindow({ now, since: '2026-03-20', until: '2026-03-10' })).toThrow(/--since must be before --until/);
  });
});

describe('deployments', () => {
  const shape = { stageName: 'Prod', deployAction: 'Deploy', laterActions: ['Verify'] };
  const run = (id: string, action: string, status: string, from: string, to: string): ActionRun =>
    ({ pipelineExecutionId: id, actionName: action, status, startTime: t(from), lastUpdateTime: t(to) });

  test('the deploy action is the last of category Deploy in the stage named by the contract', () => {
    const pipeline = {
      name: 'springboard-a',
      stages: [{
        name: 'Prod',
        actions: [
          { name: 'Approve', actionTypeId: { category: 'Approval' as const, owner: 'AWS' as const, provider: 'Manual', version: '1' } },
          { name: 'Migrate', actionTypeId: { category: 'Deploy' as const, owner: 'AWS' as const, provider: 'CloudFormation', version: '1' } },
          { name: 'Ship', actionTypeId: { category: 'Deploy' as const, owner: 'AWS' as const, provider: 'ECS', version: '1' } },
          { name: 'Smoke', actionTypeId: { category: 'Test' as const, owner: 'AWS' as const, provider: 'CodeBuild', version: '1' } },
        ],
      }],
    };
    expect(prodStageShape(pipeline as never)).toEqual({ stageName: 'Prod', deployAction: 'Ship', laterActions: ['Smoke'] });
    expect(() => prodStageShape({ name: 'springboard-a', stages: [{ name: 'Build', actions: [] }] } as never)).toThrow(PipelineShapeError);
    expect(() => prodStageShape({ name: 'springboard-a', stages: [{ name: 'Build', actions: [] }] } as never)).toThrow(/no stage named "Prod" \(stages: Build\)/);
  });

  test('failed when the deploy or a later action failed; time is the last update; in-progress deploys do not count', () => {
    const deployments = deploymentsFrom(shape, [
      run('a', 'Deploy', 'Succeeded', '01T10:00:00', '01T10:10:00'),
      run('a', 'Verify', 'Failed', '01T10:10:00', '01T10:20:00'),
      run('b', 'Deploy', 'Failed', '02T10:00:00', '02T10:05:00'),
      run('c', 'Deploy', 'Succeeded', '03T10:00:00', '03T10:05:00'),
      run('c', 'Verify', 'Succeeded', '03T10:05:00', '03T10:09:00'),
      run('d', 'Deploy', 'InProgress', '04T10:00:00', '04T10:00:00'),
      run('e', 'Verify', 'Succeeded', '05T10:00:00', '05T10:01:00'),
    ]);
    expect(deployments.map((d) => [d.pipelineExecutionId, d.failed, d.time.toISOString()])).toEqual([
      ['a', true, '2026-03-01T10:20:00.000Z'],
      ['b', true, '2026-03-02T10:05:00.000Z'],
      ['c', false, '2026-03-03T10:09:00.000Z'],
    ]);
  });

  test('a retried stage is one deployment per deploy run', () => {
    const deployments = deploymentsFrom(shape, [
      run('a', 'Deploy', 'Failed', '01T10:00:00', '01T10:05:00'),
      run('a', 'Deploy', 'Succeeded', '01T11:00:00', '01T11:05:00'),
      run('a', 'Verify', 'Succeeded', '01T11:05:00', '01T11:07:00'),
    ]);
    expect(deployments.map((d) => [d.failed, d.time.toISOString()])).toEqual([
      [true, '2026-03-01T10:05:00.000Z'], [false, '2026-03-01T11:07:00.000Z'],
    ]);
  });
});

describe('figures', () => {
  const window = { since: t('01T00:00:00'), until: t('11T00:00:00') };
  const d = (time: string, failed: boolean, start?: string) =>
    ({ pipelineExecutionId: time, time: t(time), failed, executionStart: start ? t(start) : undefined });

  test('median: middle value, mean of the two middle values, null for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  test('restore: the next success after each failure; unrestored failures left out', () => {
    expect(restoreTimes([d('02T00:00:00', true), d('02T01:00:00', true), d('02T03:00:00', false), d('04T00:00:00', true)]))
      .toEqual([3 * 3600, 2 * 3600]);
  });

  test('only deployments whose time lies in [since, until) count', () => {
    const deployments = [d('01T00:00:00', false, '01T00:00:00'), d('11T00:00:00', false, '10T00:00:00'), d('05T00:00:00', true)];
    const figures = doraFigures([deployments], window);
    expect(figures).toMatchObject({ deployments: 1, failures: 1, changeFailureRate: 0.5 });
    expect(figures.deploymentFrequencyPerDay).toBeCloseTo(0.1);
  });

  test('no data gives null figures, and zero deployments a frequency of 0', () => {
    expect(doraFigures([[]], window)).toEqual({
      deployments: 0,
      failures: 0,
      deploymentFrequencyPerDay: 0,
      leadTimeSecondsMedian: null,
      changeFailureRate: null,
      timeToRestoreSecondsMedian: null,
    });
  });

  test('the fleet pools deployments, but a failure is restored only by its own pipeline', () => {
    const a = [d('02T00:00:00', true)];
    const b = [d('02T01:00:00', false, '02T00:30:00')];
    expect(doraFigures([a, b], window)).toMatchObject({ deployments: 1, failures: 1, timeToRestoreSecondsMedian: null, leadTimeSecondsMedian: 1800 });
  });

  test('property: counts add up, the rate lies in [0, 1], medians lie within their samples', () => {
    const arbDeployment = fc.record({
      offset: fc.integer({ min: -2 * 86_400, max: 12 * 86_400 }),
      failed: fc.boolean(),
      lead: fc.integer({ min: 0, max: 86_400 }),
    });
    fc.assert(fc.property(fc.array(fc.array(arbDeployment, { maxLength: 20 }), { maxLength: 5 }), (teams) => {
      const pipelines = teams.map((list) => list.map((x, i) => {
        const time = new Date(window.since.getTime() + x.offset * 1000);
        return { pipelineExecutionId: String(i), time, failed: x.failed, executionStart: new Date(time.getTime() - x.lead * 1000) };
      }));
      const fleet = doraFigures(pipelines, window);
      const perTeam = pipelines.map((p) => doraFigures([p], window));
      expect(fleet.deployments).toBe(perTeam.reduce((s, f) => s + f.deployments, 0));
      expect(fleet.failures).toBe(perTeam.reduce((s, f) => s + f.failures, 0));
      if (fleet.changeFailureRate !== null) expect(fleet.changeFailureRate).toBeGreaterThanOrEqual(0);
      if (fleet.changeFailureRate !== null) expect(fleet.changeFailureRate).toBeLessThanOrEqual(1);
      if (fleet.leadTimeSecondsMedian !== null) expect(fleet.leadTimeSecondsMedian).toBeLessThanOrEqual(86_400);
      expect(fleet.changeFailureRate === null).toBe(fleet.deployments + fleet.failures === 0);
    }));
  });
});

describe('bands (2024 Accelerate State of DevOps report)', () => {
  const band = (figures: Partial<Parameters<typeof bandsOf>[0]>) => bandsOf({
    deploymentFrequencyPerDay: null, leadTimeSecondsMedian: null, changeFailureRate: null, timeToRestoreSecondsMedian: null, ...figures,
  });
  test.each([
    [2, 'elite'], [1, 'high'], [1 / 7, 'high'], [0.1, 'medium'], [1 / 30, 'medium'], [0.01, 'low'], [0, 'low'],
  ])('deploying %f times a day is %s', (perDay, expected) => {
    expect(band({ deploymentFrequencyPerDay: perDay }).deploymentFrequency).toBe(expected);
  });
  test.each([
    [3600, 'elite'], [86_399, 'elite'], [86_400, 'high'], [6 * 86_400, 'high'], [7 * 86_400, 'medium'], [29 * 86_400, 'medium'], [30 * 86_400, 'low'],
  ])('a lead time of %d s is %s', (seconds, expected) => {
    expect(band({ leadTimeSecondsMedian: seconds }).leadTime).toBe(expected);
  });
  test.each([[0, 'elite'], [0.05, 'elite'], [0.08, 'high'], [0.2, 'high'], [0.21, 'low'], [0.5, 'low']])('a change fail rate of %f is %s', (rate, expected) => {
    expect(band({ changeFailureRate: rate }).changeFailureRate).toBe(expected);
  });
  test.each([[600, 'elite'], [3600, 'high'], [86_399, 'high'], [86_400, 'low'], [10 * 86_400, 'low']])('recovering in %d s is %s', (seconds, expected) => {
    expect(band({ timeToRestoreSecondsMedian: seconds }).timeToRestore).toBe(expected);
  });
  test('a null figure has no band', () => {
    expect(band({})).toEqual({ deploymentFrequency: null, leadTime: null, changeFailureRate: null, timeToRestore: null });
  });
});
