/**
 * A small fleet whose figures are computed by hand below, to check the whole path (HTTP, SDK,
 * pagination, definitions) against numbers a person can verify.
 *
 * Window [2026-03-01T00:00Z, 2026-03-11T00:00Z): 10 days.
 *
 * alpha
 *   e0  started 02-20 10:00, prod ok at 02-20 12:20            before the window: not counted
 *   e1  started 02-27 10:00, Deploy ok 02-28 23:50, Verify ok 03-01 00:10
 *       time 03-01 00:10 (in the window, although Deploy ended before it): success, lead 1d 14h 10m = 137400 s
 *   e2  started 03-02 08:00, Deploy failed 03-02 09:20                           failure
 *   e3  started 03-02 10:00, Deploy ok 11:15, Verify ok 03-02 11:30: success, lead 1h 30m = 5400 s;
 *       restores e2 after 2h 10m = 7800 s
 *   e4  started 03-05 12:00, Deploy ok 13:10, Verify failed 03-05 13:20          failure (a later action failed)
 *   e5  started 03-06 09:00, Build failed                                        not a deployment
 *   e6  started 03-07 09:00, Deploy ok 10:30, Verify ok 03-07 10:45: success, lead 1h 45m = 6300 s;
 *       restores e4 after 1d 21h 25m = 163500 s
 *   e7  started 03-10 20:00, Deploy failed 03-10 23:40                           failure, never restored in the window
 *   e8  started 03-10 23:50, Deploy ok 03-11 00:40, Verify ok 03-11 00:50        after the window: not counted
 *   => deployments 3, failures 3, per day 0.3, lead median of {5400, 6300, 137400} = 6300,
 *      change fail rate 3/6 = 0.5, restore median of {7800, 163500} = 85650
 *
 * beta
 *   f1  started 03-03 00:00, Deploy failed 01:10, stage retried: Deploy ok 02:10, Verify ok 02:20
 *       two runs: a failure at 01:10 and a success at 02:20 (lead 8400 s, restores after 4200 s)
 *   f2  started 03-04 00:00, Deploy still in progress                            not a deployment
 *   => deployments 1, failures 1, per day 0.1, lead 8400, rate 0.5, restore 4200
 *
 * gamma: no production deployment in the window => 0, 0, 0, null, null, null
 *
 * fleet (alpha, beta, gamma pooled): deployments 4, failures 4, per day 0.4,
 *   lead median of {5400, 6300, 8400, 137400} = (6300 + 8400) / 2 = 7350,
 *   rate 4/8 = 0.5, restore median of {4200, 7800, 163500} = 7800
 */
import type { FakeActionExecution, FakeExecution, FakePipeline } from './fake-codepipeline';
import { springboardStages } from './history-generator';
import { pipelineName } from '../../../lib/contract';

export const WINDOW = { since: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-03-11T00:00:00Z') };

type Step = readonly [stage: string, action: string, status: FakeActionExecution['status'], from: string, to: string];

const at = (text: string): Date => new Date(`2026-${text}:00Z`.replace(' ', 'T'));

function pipeline(team: string, runs: ReadonlyArray<{ id: string; start: string; status: string; steps: readonly Step[] }>): FakePipeline {
  const executions: FakeExecution[] = runs.map((r) => ({
    id: r.id, status: r.status, startTime: at(r.start), lastUpdateTime: at(r.steps[r.steps.length - 1]?.[4] ?? r.start),
  }));
  const actionExecutions: FakeActionExecution[] = runs.flatMap((r) => [
    { pipelineExecutionId: r.id, stageName: 'Source', actionName: 'Checkout', status: 'Succeeded' as const, startTime: at(r.start), lastUpdateTime: at(r.start) },
    ...r.steps.map(([stageName, actionName, status, from, to]) => ({
      pipelineExecutionId: r.id,
      stageName,
      actionName,
      status,
      startTime: at(from),
      lastUpdateTime: at(to),
      errorMessage: status === 'Failed' ? `${stageName} ${actionName} failed` : undefined,
    })),
  ]);
  return { name: pipelineName(team), stages: springboardStages(), executions, actionExecutions };
}

const prodOk = (deploy: string, deployEnd: string, verifyEnd: string): Step[] => [
  ['Prod', 'Approve', 'Succeeded', deploy, deploy],
  ['Prod', 'Deploy', 'Succeeded', deploy, deployEnd],
  ['Prod', 'Verify', 'Succeeded', deployEnd, verifyEnd],
];

export const ALPHA = pipeline('alpha', [
  { id: 'e0', start: '02-20 10:00', status: 'Succeeded', steps: prodOk('02-20 12:00', '02-20 12:10', '02-20 12:20') },
  { id: 'e1', start: '02-27 10:00', status: 'Succeeded', steps: prodOk('02-28 23:00', '02-28 23:50', '03-01 00:10') },
  { id: 'e2', start: '03-02 08:00', status: 'Failed', steps: [['Prod', 'Deploy', 'Failed', '03-02 09:00', '03-02 09:20']] },
  { id: 'e3', start: '03-02 10:00', status: 'Succeeded', steps: prodOk('03-02 11:00', '03-02 11:15', '03-02 11:30') },
  {
    id: 'e4',
    start: '03-05 12:00',
    status: 'Failed',
    steps: [
      ['Prod', 'Deploy', 'Succeeded', '03-05 13:00', '03-05 13:10'],
      ['Prod', 'Verify', 'Failed', '03-05 13:10', '03-05 13:20'],
    ],
  },
  { id: 'e5', start: '03-06 09:00', status: 'Failed', steps: [['Build', 'Synth', 'Failed', '03-06 09:00', '03-06 09:06']] },
  { id: 'e6', start: '03-07 09:00', status: 'Succeeded', steps: prodOk('03-07 10:00', '03-07 10:30', '03-07 10:45') },
  { id: 'e7', start: '03-10 20:00', status: 'Failed', steps: [['Prod', 'Deploy', 'Failed', '03-10 23:00', '03-10 23:40']] },
  { id: 'e8', start: '03-10 23:50', status: 'Succeeded', steps: prodOk('03-11 00:30', '03-11 00:40', '03-11 00:50') },
]);

export const BETA = pipeline('beta', [
  {
    id: 'f1',
    start: '03-03 00:00',
    status: 'Succeeded',
    steps: [
      ['Prod', 'Deploy', 'Failed', '03-03 01:00', '03-03 01:10'],
      ['Prod', 'Deploy', 'Succeeded', '03-03 02:00', '03-03 02:10'],
      ['Prod', 'Verify', 'Succeeded', '03-03 02:10', '03-03 02:20'],
    ],
  },
  { id: 'f2', start: '03-04 00:00', status: 'InProgress', steps: [['Prod', 'Deploy', 'InProgress', '03-04 01:00', '03-04 01:00']] },
]);

export const GAMMA = pipeline('gamma', [
  { id: 'g1', start: '02-10 10:00', status: 'Succeeded', steps: prodOk('02-10 11:00', '02-10 11:10', '02-10 11:20') },
]);

const figures = (
  deployments: number, failures: number, deploymentFrequencyPerDay: number,
  leadTimeSecondsMedian: number | null, changeFailureRate: number | null, timeToRestoreSecondsMedian: number | null,
) => ({ deployments, failures, deploymentFrequencyPerDay, leadTimeSecondsMedian, changeFailureRate, timeToRestoreSecondsMedian });

export const EXPECTED = {
  alpha: figures(3, 3, 0.3, 6300, 0.5, 85650),
  beta: figures(1, 1, 0.1, 8400, 0.5, 4200),
  gamma: figures(0, 0, 0, null, null, null),
  fleet: figures(4, 4, 0.4, 7350, 0.5, 7800),
};
