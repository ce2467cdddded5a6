/**
 * The audit lists the prod data guard's acknowledged changes with team, environment, reason and
 * reviewer, read from the environment stack's template metadata, and flags acknowledgments that
 * no longer match anything (which would otherwise pre-approve a future resource reusing the id).
 */
import { acknowledgedChanges, staleness } from '../../lib/audit/acknowledged-changes';
import type { AssemblyStack, CloudAssemblyModel } from '../../lib/audit/assembly';
import { buildReport } from '../../lib/audit/build-report';
import { renderMarkdown } from '../../lib/audit/render-markdown';
import { resourceViews } from '../../lib/audit/template';
import { ACKNOWLEDGED_CHANGES_METADATA_KEY, environmentStackName } from '../../lib/contract/naming';
import type { AcknowledgedChange } from '../../lib/registry/types';
import { environmentStack, resourcesOf } from '../environment/helpers';

const REVIEWER = 'Dana Reviewer';
const ack = (logicalId: string, action: AcknowledgedChange['action'], property?: string): AcknowledgedChange =>
  ({ logicalId, action, ...(property ? { property } : {}), reason: 'restore rehearsed from the snapshot on 2026-11-30', reviewer: REVIEWER });

const STACK = environmentStackName('a', 'prod');
const built = environmentStack({ environment: 'prod', envOverrides: { acknowledgedChanges: [ack('Placeholder', 'Replace')] } });
const db = Object.keys(resourcesOf(built.json, 'AWS::RDS::DBInstance'))[0];
const role = Object.keys(resourcesOf(built.json, 'AWS::IAM::Role'))[0];

function assemblyWith(acks: readonly AcknowledgedChange[], template: Record<string, any> = built.json): CloudAssemblyModel {
  const json = { ...template, Metadata: { ...template.Metadata, [ACKNOWLEDGED_CHANGES_METADATA_KEY]: acks } };
  const stack = {
    stackName: STACK,
    templateFile: `${STACK}.template.json`,
    kind: 'env',
    team: 'a',
    environment: 'prod',
    strict: true,
    resources: resourceViews(json, STACK),
    templateBytes: 0,
    outputCount: 0,
    parameterCount: 0,
    stackTags: {},
    terminationProtection: true,
    templatePath: `/tmp/${STACK}.template.json`,
    template: json,
  } as unknown as AssemblyStack;
  return { directory: 'cdk.out', schemaVersion: '48.0.0', stacks: [stack] } as unknown as CloudAssemblyModel;
}

test('the environment stack records its environment\'s acknowledged changes in the template metadata', () => {
  expect(built.json.Metadata[ACKNOWLEDGED_CHANGES_METADATA_KEY]).toEqual([ack('Placeholder', 'Replace')]);
  expect(environmentStack({ environment: 'prod' }).json.Metadata?.[ACKNOWLEDGED_CHANGES_METADATA_KEY]).toBeUndefined();
});

test('every acknowledged change is listed with team, environment, reason and reviewer; those that apply are not flagged', () => {
  const entries = acknowledgedChanges(assemblyWith([ack(db, 'Replace'), ack(db, 'Modify', 'BackupRetentionPeriod'), ack(db, 'Modify', 'DeletionPolicy'), ack('Gone', 'Delete')]));
  expect(entries.map(e => [e.team, e.environment, e.logicalId, e.action, e.property, e.reviewer, e.stale])).toEqual([
    ['a', 'prod', db, 'Replace', undefined, REVIEWER, undefined],
    ['a', 'prod', db, 'Modify', 'BackupRetentionPeriod', REVIEWER, undefined],
    ['a', 'prod', db, 'Modify', 'DeletionPolicy', REVIEWER, undefined],
    ['a', 'prod', 'Gone', 'Delete', undefined, REVIEWER, undefined],
  ]);
});

test('acknowledgments that match nothing are flagged, say why, and fail the audit', () => {
  const current = assemblyWith([ack('NoSuchResource', 'Replace'), ack(role, 'Replace'), ack(db, 'Modify', 'AllocatedStorage'), ack(db, 'Delete')]);
  const entries = acknowledgedChanges(current);
  expect(entries.map(e => e.stale)).toEqual([
    `no resource NoSuchResource in ${STACK}`,
    `${role} is a AWS::IAM::Role, which holds no data: the guard never stops a change to it`,
    expect.stringMatching(/^AllocatedStorage is not a property of AWS::RDS::DBInstance whose change the guard stops \(DeletionPolicy, UpdateReplacePolicy, BackupRetentionPeriod, DeletionProtection\)$/),
    `${db} is still in the template: nothing deletes it`,
  ]);
  const report = buildReport({
    assembly: current,
    acknowledgedChanges: entries,
    policy: {},
    timings: { readSeconds: 0, rulePacksSeconds: 0 },
    evaluation: { findings: [], acknowledgments: [], disabledRules: [], stats: { templates: 0, distinctTemplates: 0, cacheHits: 0, seconds: 0 } },
  });
  expect(report.verdict).toBe('fail');
  expect(report.reasons).toContain('4 acknowledged changes that no longer match anything (remove them from the registry)');
  expect(renderMarkdown(report)).toContain(`| a | prod | \`${db}\` | Delete | restore rehearsed from the snapshot on 2026-11-30 | ${REVIEWER} | **no**: ${db} is still in the template: nothing deletes it |`);
});

test('a deletion acknowledged after it is done (absent from the approved baseline too) is stale', () => {
  const approved = assemblyWith([]);
  const [stack] = assemblyWith([ack('Gone', 'Delete')]).stacks;
  expect(staleness(ack('Gone', 'Delete'), stack, approved.stacks[0])).toBe('Gone is in neither the template nor the approved baseline: its deletion is done');
  expect(staleness(ack(db, 'Delete'), { ...stack, resources: stack.resources.filter(r => r.logicalId !== db) }, approved.stacks[0])).toBeUndefined();
});
