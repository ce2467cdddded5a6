import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'projen';
import { DECISION_RECORD, SAMPLE_FILES } from '../src/service-sample';
import { MARKER, project, synth } from './support/fixtures';

test('a new repository gets the team-owned samples, without projen markers', () => {
  const files = synth({ teamId: 'pay-portal' });
  for (const path of [...SAMPLE_FILES, DECISION_RECORD]) {
    expect(files[path]).toBeDefined();
    expect(files[path]).not.toContain(MARKER);
  }
  expect(files['src/app.ts']).toContain("from './platform'");
  expect(files['test/app.test.ts']).toContain("test('GET / says hello'");
  expect(files[DECISION_RECORD]).toContain('# 1. Run the service on Springboard');
  expect(files[DECISION_RECORD]).toContain('team `pay-portal`');
  // The team's documentation folder, where projen would otherwise put a "replace this" README.
  expect(files['docs/README.md']).toContain('# Team documentation');
});

test('an existing repository (springboard.json present) gets no samples: the team owns them', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'springboard-existing-'));
  writeFileSync(join(outdir, 'springboard.json'), '{}');
  const files = Testing.synth(project({ teamId: 'pay-portal', outdir }));
  for (const path of [...SAMPLE_FILES, DECISION_RECORD]) expect(files[path]).toBeUndefined();
  expect(files['src/platform/logger.ts']).toBeDefined();
});
