import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DescribeChangeSetOutput } from '@aws-sdk/client-cloudformation';
import { formatInspection, inspectChangeSet } from '../../lib/delivery/change-set-inspector';

function recorded(name: string): DescribeChangeSetOutput {
  return JSON.parse(readFileSync(join(__dirname, 'change-sets', `${name}.json`), 'utf8'));
}

test('a prod database replacement is blocked; a replaced task definition is not', () => {
  const inspection = inspectChangeSet(recorded('database-replacement').Changes!, []);
  expect(inspection.blocked).toEqual([
    { logicalId: 'DatabaseInstance5C8B7E41', resourceType: 'AWS::RDS::DBInstance', action: 'Replace', certainty: 'certain', policyAction: 'ReplaceAndSnapshot', why: 'the database is replaced by a new, empty one' },
  ]);
  expect(formatInspection('springboard-env-benefits-screener-prod', inspection)).toContain('BLOCKED: Replace DatabaseInstance5C8B7E41 (AWS::RDS::DBInstance): the database is replaced by a new, empty one');
});

test('a bucket deletion and a conditional log group replacement are both blocked', () => {
  const inspection = inspectChangeSet(recorded('bucket-deletion').Changes!, []);
  expect(inspection.blocked.map((c) => [c.action, c.logicalId, c.certainty])).toEqual([
    ['Delete', 'UploadsBucketA1B2C3D4', 'certain'],
    ['Replace', 'ServiceLogGroup0F1E2D3C', 'conditional'],
  ]);
});

test('an acknowledged change passes and carries its reason; an acknowledgment of another action does not', () => {
  const reason = 'moving the database into the new isolated subnets, snapshot restored by runbook DB-7';
  const inspection = inspectChangeSet(recorded('database-replacement').Changes!, [
    { logicalId: 'DatabaseInstance5C8B7E41', action: 'Replace', reason, reviewer: 'Dana Reviewer' },
  ]);
  expect(inspection.blocked).toEqual([]);
  expect(inspection.acknowledged).toEqual([expect.objectContaining({ logicalId: 'DatabaseInstance5C8B7E41', reason })]);

  const wrongAction = inspectChangeSet(recorded('database-replacement').Changes!, [{ logicalId: 'DatabaseInstance5C8B7E41', action: 'Delete', reason, reviewer: 'Dana Reviewer' }]);
  expect(wrongAction.blocked).toHaveLength(1);
});

test('harmless changes (in-place modification, additions, stateless removals) pass', () => {
  const inspection = inspectChangeSet(recorded('harmless').Changes!, []);
  expect(inspection).toEqual({ blocked: [], acknowledged: [], inspected: 3 });
  expect(formatInspection('s', inspection)).toContain('no stateful resource loses data without acknowledgment');
});
