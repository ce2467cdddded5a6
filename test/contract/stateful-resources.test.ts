/**
 * The stateful-resource table, proven through the guard that reads it: for every type in the
 * table and every destructive change of it (delete, replace, each protected property's destructive
 * change, each policy moved away from keeping the data), a generated change set is blocked; the
 * acknowledgment of exactly that change allows it; the opposite, safe change passes.
 */
import type { Change, ResourceChangeDetail } from '@aws-sdk/client-cloudformation';
import * as fc from 'fast-check';
import { POLICY_ATTRIBUTES, STATEFUL_RESOURCES, type ProtectedProperty } from '../../lib/contract/stateful-resources';
import { inspectChangeSet } from '../../lib/delivery/change-set-inspector';
import type { AcknowledgedChange } from '../../lib/registry/types';

const TYPES = Object.keys(STATEFUL_RESOURCES);
const anyLogicalId = fc.stringMatching(/^[A-Z][A-Za-z0-9]{3,20}$/);

function resourceChange(id: string, type: string, action: string, extra: Record<string, unknown> = {}): Change {
  return { Type: 'Resource', ResourceChange: { Action: action as never, LogicalResourceId: id, ResourceType: type, ...extra } };
}

const propertyDetail = (path: string, before: unknown, after: unknown): ResourceChangeDetail => ({
  Target: {
    Attribute: 'Properties',
    Name: path.split('/')[0],
    Path: `/Properties/${path}`,
    RequiresRecreation: 'Never',
    AttributeChangeType: before === undefined ? 'Add' : after === undefined ? 'Remove' : 'Modify',
    BeforeValue: before === undefined ? undefined : typeof before === 'string' ? before : JSON.stringify(before),
    AfterValue: after === undefined ? undefined : typeof after === 'string' ? after : JSON.stringify(after),
  },
  Evaluation: 'Static',
});

/** A destructive [before, after] pair for a protected property, and its safe reverse when there is one. */
function destructiveValues(rule: ProtectedProperty): fc.Arbitrary<{ before: unknown; after: unknown }> {
  const days = (min: number) => fc.integer({ min, max: 3653 });
  switch (rule.kind) {
    case 'turned-off':
      return fc.constantFrom(
        { before: rule.on, after: typeof rule.on === 'boolean' ? !rule.on : 'DISABLED' },
        ...(rule.absentIsOn ? [{ before: undefined, after: typeof rule.on === 'boolean' ? false : 'DISABLED' }] : [{ before: rule.on, after: undefined }]),
      );
    case 'lowered':
      return fc.oneof(
        days(1).chain(was => fc.integer({ min: 0, max: was - 1 }).map(now => ({ before: was, after: now }))),
        ...(rule.absent === Infinity ? [days(0).map(now => ({ before: undefined, after: now }))] : []),
      );
    case 'expiry-shortened': {
      const rules = (n: number) => ({ Rules: [{ Id: 'expire', Status: 'Enabled', ExpirationInDays: n }] });
      return fc.oneof(
        days(2).chain(was => fc.integer({ min: 1, max: was - 1 }).map(now => ({ before: rules(was), after: rules(now) }))),
        days(1).map(now => ({ before: undefined, after: rules(now) })),
      );
    }
    case 'changed':
      return days(1).map(n => ({ before: { Mode: 'COMPLIANCE', Days: n }, after: undefined }));
  }
}

const ack = (logicalId: string, action: AcknowledgedChange['action'], property?: string): AcknowledgedChange =>
  ({ logicalId, action, property, reason: 'accepted after review of the data export', reviewer: 'Dana Reviewer' });

/** Blocked without acknowledgment, allowed with exactly the acknowledgment the report names. */
function blockedThenAllowed(change: Change, allowedBy: AcknowledgedChange): void {
  const blocked = inspectChangeSet([change], []).blocked;
  expect(blocked).toHaveLength(1);
  expect([blocked[0].action, blocked[0].property]).toEqual([allowedBy.action, allowedBy.property]);
  expect(inspectChangeSet([change], [allowedBy]).blocked).toEqual([]);
}

test.each(TYPES)('%s: deletion and (conditional) replacement are blocked', (type) => {
  fc.assert(fc.property(anyLogicalId, fc.constantFrom('True', 'Conditional'), (id, replacement) => {
    blockedThenAllowed(resourceChange(id, type, 'Remove'), ack(id, 'Delete'));
    blockedThenAllowed(resourceChange(id, type, 'Modify', { Replacement: replacement, Details: [] }), ack(id, 'Replace'));
  }), { numRuns: 20 });
});

test.each(TYPES)('%s: a policy attribute moved away from keeping the data is blocked', (type) => {
  const keeps = fc.constantFrom(...STATEFUL_RESOURCES[type].keeps);
  fc.assert(fc.property(anyLogicalId, fc.constantFrom(...POLICY_ATTRIBUTES), keeps, (id, attribute, kept) => {
    const detail = (after: string) => ({ Target: { Attribute: attribute, AttributeChangeType: 'Modify' as const, BeforeValue: kept, AfterValue: after } });
    blockedThenAllowed(resourceChange(id, type, 'Modify', { Replacement: 'False', Details: [detail('Delete')] }), ack(id, 'Modify', attribute));
    // Towards keeping is safe.
    expect(inspectChangeSet([resourceChange(id, type, 'Modify', { Replacement: 'False', Details: [detail('Retain')] })], []).blocked).toEqual([]);
  }), { numRuns: 10 });
});

const PROPERTY_CASES = TYPES.flatMap(type => STATEFUL_RESOURCES[type].protectedProperties.map(rule => [type, rule.path, rule] as const));

test.each(PROPERTY_CASES)('%s %s: every destructive change of it is blocked, its reverse is not', (type, path, rule) => {
  fc.assert(fc.property(anyLogicalId, destructiveValues(rule), (id, { before, after }) => {
    const change = resourceChange(id, type, 'Modify', { Replacement: 'False', Details: [propertyDetail(path, before, after)] });
    blockedThenAllowed(change, ack(id, 'Modify', path.split('/')[0]));
    if (rule.kind !== 'changed') {
      const reverse = resourceChange(id, type, 'Modify', { Replacement: 'False', Details: [propertyDetail(path, after, before)] });
      expect(inspectChangeSet([reverse], []).blocked).toEqual([]);
    }
  }), { numRuns: 25 });
});

test('a value cut short or resolved only at apply time fails closed, for every protected property', () => {
  for (const [type, path] of PROPERTY_CASES) {
    for (const after of ['{"Rules": [{"Id": "expire", "Stat', '{{changeSet:KNOWN_AFTER_APPLY}}']) {
      const change = resourceChange('Res', type, 'Modify', { Replacement: 'False', Details: [propertyDetail(path, '{"a": 1}', after)] });
      const [blocked] = inspectChangeSet([change], []).blocked;
      expect(blocked).toMatchObject({ certainty: 'undetermined', action: 'Modify' });
      expect(blocked.why).toMatch(/^cannot be judged, so it is treated as destructive: /);
    }
  }
});

test('changes of types outside the table, and of unprotected properties, are never blocked', () => {
  const task = resourceChange('Task', 'AWS::ECS::TaskDefinition', 'Remove');
  const tags = resourceChange('Db', 'AWS::RDS::DBInstance', 'Modify', { Replacement: 'False', Details: [propertyDetail('AllocatedStorage', 20, 40)] });
  expect(inspectChangeSet([task, tags], []).blocked).toEqual([]);
});

test('changes reported above or below a protected property are judged there too', () => {
  const blocked = (type: string, path: string, before: unknown, after: unknown) =>
    inspectChangeSet([resourceChange('Res', type, 'Modify', { Replacement: 'False', Details: [propertyDetail(path, before, after)] })], []).blocked;
  // Point-in-time recovery reported as its whole parent object.
  expect(blocked('AWS::DynamoDB::Table', 'PointInTimeRecoverySpecification', { PointInTimeRecoveryEnabled: true }, { PointInTimeRecoveryEnabled: false }))
    .toEqual([expect.objectContaining({ property: 'PointInTimeRecoverySpecification', why: 'point-in-time recovery is turned off' })]);
  expect(blocked('AWS::DynamoDB::Table', 'PointInTimeRecoverySpecification', { PointInTimeRecoveryEnabled: false }, { PointInTimeRecoveryEnabled: true })).toEqual([]);
  // One lifecycle rule's days reported as a leaf: shorter expiration blocks, a transition does not, a rule's status cannot be judged.
  expect(blocked('AWS::S3::Bucket', 'LifecycleConfiguration/Rules/0/ExpirationInDays', 913, 30)).toEqual([expect.objectContaining({ property: 'LifecycleConfiguration', certainty: 'certain' })]);
  expect(blocked('AWS::S3::Bucket', 'LifecycleConfiguration/Rules/0/ExpirationInDays', 30, 913)).toEqual([]);
  expect(blocked('AWS::S3::Bucket', 'LifecycleConfiguration/Rules/0/Transitions/0/TransitionInDays', 90, 30)).toEqual([]);
  expect(blocked('AWS::S3::Bucket', 'LifecycleConfiguration/Rules/0/Status', 'Disabled', 'Enabled')).toEqual([expect.objectContaining({ certainty: 'undetermined' })]);
});
