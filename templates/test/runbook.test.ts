import { headingSlug } from '../src/markdown';
import { bothShapes, MARKER } from './support/fixtures';
import { ALARM_CATALOGUE, runbookAnchor } from '../src/shared/contract/alarm-catalogue';

const { defaults, registry } = bothShapes();

function anchors(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => headingSlug(line.replace(/^#+ /, '')));
}

test('RUNBOOK.md is platform-owned', () => {
  expect(defaults['RUNBOOK.md'].split('\n')[0]).toContain(MARKER);
});

test('has exactly one entry per catalogue alarm, each under the anchor alarm descriptions link', () => {
  const found = anchors(defaults['RUNBOOK.md']);
  for (const entry of ALARM_CATALOGUE) {
    expect(found.filter((a) => a === runbookAnchor(entry.id))).toHaveLength(1);
  }
  const alarmHeadings = defaults['RUNBOOK.md'].split('\n').filter((l: string) => l.startsWith('### '));
  expect(alarmHeadings).toHaveLength(ALARM_CATALOGUE.length);
});

test('each entry gives meaning, first steps and thresholds per environment', () => {
  const runbook: string = defaults['RUNBOOK.md'];
  for (const entry of ALARM_CATALOGUE) {
    const section = runbook.slice(runbook.indexOf(`### ${entry.id}\n`)).split('\n### ')[0];
    expect(section).toContain(entry.meaning);
    for (const step of entry.firstSteps) expect(section).toContain(step);
    if (entry.threshold) {
      expect(section).toContain(`| prod | ${entry.threshold.prod} |`);
      expect(section).toContain(`| dev | ${entry.threshold.nonProd} |`);
    }
  }
});

test('with a registry, thresholds include the team\'s overrides and database alarms say they are not created', () => {
  const runbook: string = registry['RUNBOOK.md'];
  const http5xx = runbook.slice(runbook.indexOf('### http5xxRate')).split('\n### ')[0];
  expect(http5xx).toContain('| test | 33 | percent of requests |');
  expect(http5xx).toContain('| prod | 5 | percent of requests |');
  const dbCpu = runbook.slice(runbook.indexOf('### dbCpu')).split('\n### ')[0];
  expect(dbCpu).toContain('Not created for this team');
  expect(runbook).toContain('On-call: Permit On-Call <permits-oncall@example.gov>');
});

test('headingSlug follows GitHub: lower case, punctuation dropped, spaces to hyphens', () => {
  expect(headingSlug('http5xxRate')).toBe('http5xxrate');
  expect(headingSlug('Slow responses (p90 latency)')).toBe('slow-responses-p90-latency');
});
