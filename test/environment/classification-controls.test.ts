import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CLASSIFICATION_CONTROLS, controlsFor, searchableRetention } from '../../lib/environment';

describe('classification controls', () => {
  test('moderate and high require FIPS-capable TLS and a web ACL', () => {
    for (const c of ['moderate', 'high'] as const) {
      expect(controlsFor(c).sslPolicy).toMatch(/FIPS/);
      expect(controlsFor(c).webAclRequired).toBe(true);
      expect(controlsFor(c).managedRuleGroups.length).toBeGreaterThan(0);
    }
    expect(controlsFor('low').webAclRequired).toBe(false);
  });

  test('moderate and high serve HTTPS in every environment; low only in prod', () => {
    expect(['low', 'moderate', 'high'].map(c => controlsFor(c as never).httpsEverywhere)).toEqual([false, true, true]);
  });

  test('high keeps logs searchable longer than moderate, which keeps them longer than low', () => {
    const { low, moderate, high } = CLASSIFICATION_CONTROLS;
    expect(high.minSearchableDays).toBeGreaterThan(moderate.minSearchableDays);
    expect(moderate.minSearchableDays).toBeGreaterThan(low.minSearchableDays);
    expect(searchableRetention(30, 'high', false)).toBe(RetentionDays.TWO_YEARS);
  });

  test('prod logs stay searchable at least a year whatever the setting', () => {
    expect(searchableRetention(30, 'low', true)).toBe(RetentionDays.ONE_YEAR);
    expect(searchableRetention(30, 'low', false)).toBe(RetentionDays.ONE_MONTH);
  });

  test('rounds up to a retention CloudWatch Logs accepts', () => {
    expect(searchableRetention(370, 'moderate', false)).toBe(RetentionDays.THIRTEEN_MONTHS);
  });

  test('refuses an unknown classification', () => {
    expect(() => controlsFor('secret' as never)).toThrow('data classification must be one of low, moderate, high, received "secret"');
  });
});
