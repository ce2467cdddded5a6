/**
 * The feature flags in effect against aws-cdk-lib's recommendations: every recommended flag is set,
 * every value that differs is decided in docs/cdk-flags.md, cdk.json and createApp() carry the same
 * map, and a synthesized assembly leaves no flag that `cdk synth` would report as not configured.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FeatureFlags, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { SPRINGBOARD_FEATURE_FLAGS } from '../../lib/construct-kit/feature-flags';
import { createApp } from '../../lib/construct-kit/springboard-app';

const ROOT = path.join(__dirname, '..', '..');
const RECOMMENDED = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
const DOCS = fs.readFileSync(path.join(ROOT, 'docs', 'cdk-flags.md'), 'utf8');

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Rows of the decisions table in docs/cdk-flags.md: | `flag` | `recommended` | `springboard` | reason | */
function documentedDecisions(markdown: string): Map<string, { recommended: unknown; chosen: unknown; reason: string }> {
  const row = /^\| `(@aws-cdk[^`]+)` \| `([^`]+)` \| `([^`]+)` \| (.+) \|$/;
  const rows = markdown.split('\n').map(line => row.exec(line)).filter(m => m !== null);
  return new Map(rows.map(([, flag, recommended, chosen, reason]) => [flag, {
    recommended: JSON.parse(recommended), chosen: JSON.parse(chosen), reason: reason.trim(),
  }]));
}

/** Flags whose value differs from the library's recommendation. */
function deviations(flags: Readonly<Record<string, unknown>>, recommended: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(recommended).filter(flag => flag in flags && !same(flags[flag], recommended[flag])).sort();
}

interface FlagReport { readonly userValue?: unknown; readonly recommendedValue?: unknown; readonly unconfiguredBehavesLike?: { v2?: unknown } }

/** The CLI's own rule (aws-cdk `FlagOperations.filterNeedsAttention`): unset, and unset behaves unlike the recommendation. */
function notConfigured(report: Readonly<Record<string, FlagReport>>): string[] {
  return Object.entries(report)
    .filter(([, f]) => f.userValue === undefined && !same(f.unconfiguredBehavesLike?.v2 ?? false, f.recommendedValue))
    .map(([name]) => name).sort();
}

function flagReport(manifestDirectory: string): Record<string, FlagReport> {
  const manifest = JSON.parse(fs.readFileSync(path.join(manifestDirectory, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { flags?: Record<string, FlagReport> } }>;
  };
  const artifact = Object.values(manifest.artifacts).find(a => a.type === 'cdk:feature-flag-report');
  if (!artifact?.properties?.flags) throw new Error(`no feature-flag report in ${manifestDirectory}/manifest.json`);
  return artifact.properties.flags;
}

describe('feature flags against the recommendations of the installed aws-cdk-lib', () => {
  test('every recommended flag is set (an upgrade that adds one fails here until it is adopted or decided)', () => {
    const missing = Object.keys(RECOMMENDED).filter(flag => !(flag in SPRINGBOARD_FEATURE_FLAGS));
    expect(missing).toEqual([]);
  });

  test('every value that differs from the recommendation is decided in docs/cdk-flags.md, with its reason', () => {
    const decisions = documentedDecisions(DOCS);
    const differing = deviations(SPRINGBOARD_FEATURE_FLAGS, RECOMMENDED);
    expect([...decisions.keys()].sort()).toEqual(differing);
    for (const flag of differing) {
      const decision = decisions.get(flag)!;
      expect({ flag, recommended: decision.recommended, chosen: decision.chosen })
        .toEqual({ flag, recommended: RECOMMENDED[flag], chosen: SPRINGBOARD_FEATURE_FLAGS[flag] });
      expect(decision.reason.length).toBeGreaterThan(40);
    }
  });

  test('the decisions check fails when a flag is changed without a decision (mutation)', () => {
    const changed = { ...SPRINGBOARD_FEATURE_FLAGS, '@aws-cdk/aws-iam:minimizePolicies': false };
    expect(deviations(changed, RECOMMENDED)).not.toEqual([...documentedDecisions(DOCS).keys()].sort());
  });

  test('the flags the conflicts concern are decided, not left to the default', () => {
    for (const flag of ['@aws-cdk/core:validateAgainstDefaultRules', '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup', '@aws-cdk/core:enableAdditionalMetadataCollection']) {
      expect(DOCS).toContain(`\`${flag}\``);
      expect(SPRINGBOARD_FEATURE_FLAGS[flag]).toBeDefined();
    }
  });

  test('cdk.json (written by projen) holds exactly the same map', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    expect(cdkJson.context).toEqual(SPRINGBOARD_FEATURE_FLAGS);
  });
});

describe('createApp()', () => {
  test('every App made by the factory carries the map, and constructs read it', () => {
    const stack = new Stack(createApp(), 'Flags');
    for (const [flag, value] of Object.entries(SPRINGBOARD_FEATURE_FLAGS)) {
      expect({ flag, value: stack.node.tryGetContext(flag) }).toEqual({ flag, value });
    }
    expect(FeatureFlags.of(stack).isEnabled('@aws-cdk/aws-iam:minimizePolicies')).toBe(true);
    expect(FeatureFlags.of(stack).isEnabled('@aws-cdk/core:enableAdditionalMetadataCollection')).toBe(false);
  });

  test('explicit context still wins over a flag, for an experiment', () => {
    const app = createApp({ context: { '@aws-cdk/aws-iam:minimizePolicies': false } });
    expect(app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies')).toBe(false);
  });

  describe('the synthesized feature-flag report (what `cdk synth` reads)', () => {
    const app = createApp();
    new Stack(app, 'Empty');
    const report = flagReport(app.synth().directory);

    test('leaves no flag that cdk synth would report as not configured', () => {
      expect(notConfigured(report)).toEqual([]);
    });

    test('the check finds a flag whose configuration is removed (mutation)', () => {
      const { userValue: _removed, ...unset } = report['@aws-cdk/aws-iam:minimizePolicies'];
      expect(notConfigured({ ...report, '@aws-cdk/aws-iam:minimizePolicies': unset })).toEqual(['@aws-cdk/aws-iam:minimizePolicies']);
    });
  });

  describe('validateAgainstDefaultRules: when CloudFormation validation runs, a finding fails the synth', () => {
    /** A bucket with a property CloudFormation does not know (validation id F3002). */
    function appWithUnknownProperty(context: Record<string, unknown> = {}) {
      const app = createApp({ builtinCloudFormationValidation: true, context });
      const bucket = new CfnBucket(new Stack(app, 'Invalid'), 'Bucket');
      bucket.addPropertyOverride('NotABucketProperty', 'x');
      return app;
    }

    test('with the adopted flag the synth throws on the finding', () => {
      expect(() => appWithUnknownProperty().synth()).toThrow(/NotABucketProperty/);
    });

    test('with the flag turned off the same finding is only a warning (mutation)', () => {
      const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        expect(() => appWithUnknownProperty({ '@aws-cdk/core:validateAgainstDefaultRules': false }).synth()).not.toThrow();
        expect(printed.mock.calls.flat().join('\n')).toMatch(/WARNING NotABucketProperty/);
      } finally {
        printed.mockRestore();
      }
    });

    test('validation stays off unless CDK_VALIDATION=true asks for it', () => {
      expect(createApp()._builtinCloudFormationValidation).toBe(false);
    });
  });
});
