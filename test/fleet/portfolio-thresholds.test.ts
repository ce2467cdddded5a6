/** The scorecard's thresholds in `_platform.yaml` (`portfolio:`): defaults, overrides, and the errors a reviewer sees. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, loadRegistry, validateRegistry } from '../../lib/registry';
import { EXAMPLE_REGISTRY, registryWith } from '../support/registry-files';

const platform = readFileSync(join(EXAMPLE_REGISTRY, '_platform.yaml'), 'utf8');
const team = readFileSync(join(EXAMPLE_REGISTRY, 'benefits-screener.yaml'), 'utf8');
const withPortfolio = (yaml: string): string => registryWith({ '_platform.yaml': `${platform}\n${yaml}`, 'benefits-screener.yaml': team });

test('without a portfolio block, every threshold has its documented default', () => {
  expect(loadRegistry(withPortfolio('')).platform.portfolio).toEqual({
    doraBand: { amber: 'medium', red: 'low' },
    templateMinorVersionsBehind: { amber: 1, red: 3 },
    prodReleaseAgeDays: { amber: 30, red: 90 },
    acknowledgedFindings: { amber: 25, red: 100 },
    alarmsInAlarm: { amber: 1, red: 3 },
    budgetUsePercent: { amber: 80, red: 100 },
    criticalMaxAgeDays: 15,
  });
});

test('a threshold written in _platform.yaml replaces its default and leaves the others', () => {
  const p = loadRegistry(withPortfolio('portfolio:\n  budgetUsePercent:\n    amber: 60\n  criticalMaxAgeDays: 30\n')).platform.portfolio!;
  expect(p.budgetUsePercent).toEqual({ amber: 60, red: 100 });
  expect(p.criticalMaxAgeDays).toBe(30);
  expect(p.prodReleaseAgeDays).toEqual({ amber: 30, red: 90 });
});

test('red below amber is refused with the file and the field', () => {
  const result = validateRegistry(withPortfolio('portfolio:\n  alarmsInAlarm:\n    amber: 5\n    red: 2\n'));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n');
  expect(errors).toMatch(/_platform\.yaml:\d+.*portfolio\.alarmsInAlarm.*red must be at or above amber/);
});
