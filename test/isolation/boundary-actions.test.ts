/**
 * The boundary's action lists against AWS's service authorization data: every create that accepts
 * `aws:RequestTag` among the actions the team and delivery boundaries allow requires the team's own
 * tag, every create that cannot carry a tag is denied or contained, and both boundaries fit IAM's
 * managed-policy size limit.
 */
import { Stack } from 'aws-cdk-lib';
import {
  ACCOUNT_LEVEL_DENIED, TAG_ON_CREATE_ACTIONS, TAG_ON_UPSERT_ACTIONS, TEAM_ALLOWED_ACTIONS, UNTAGGED_CREATES_CONTAINED, actionMatches,
} from '../../lib/baseline/boundary-actions';
import { TeamPermissionsBoundary } from '../../lib/baseline/permissions-boundary';
import { createApp } from '../../lib/construct-kit/springboard-app';
import { DELIVERY_ALLOWED_ACTIONS, DeliveryBoundary } from '../../lib/delivery/delivery-boundary';
import { ServiceActions, actsOnTaggedResource, classifyAllowedActions, expandPatterns } from '../support/iam/service-data';

/** IAM's limit on a customer-managed policy, in characters without whitespace. */
const MANAGED_POLICY_LIMIT = 6144;

const ALLOWED = [...TEAM_ALLOWED_ACTIONS, ...DELIVERY_ALLOWED_ACTIONS].filter(a => !a.startsWith('sts:'));
let derived: ServiceActions;
beforeAll(async () => {
  derived = await classifyAllowedActions(ALLOWED);
});

const sorted = (xs: readonly string[]) => [...new Set(xs.map(x => x.toLowerCase()))].sort();

test('TAG_ON_CREATE_ACTIONS expands to exactly the allowed creates that accept aws:RequestTag', async () => {
  expect(derived.creates.length).toBeGreaterThan(50);
  expect(sorted(derived.creates)).toContain('s3:createbucket');
  expect(sorted(await expandPatterns(TAG_ON_CREATE_ACTIONS))).toEqual(sorted(derived.creates));
});

test('TAG_ON_UPSERT_ACTIONS expands to exactly the allowed Put/Update actions that accept aws:RequestTag', async () => {
  expect(sorted(derived.upserts)).toContain('ssm:putparameter');
  expect(sorted(await expandPatterns(TAG_ON_UPSERT_ACTIONS))).toEqual(sorted(derived.upserts));
});

test('every allowed create that cannot carry a tag is governed by a tagged resource, denied account-wide, or listed with its containment', async () => {
  const contained = UNTAGGED_CREATES_CONTAINED.flatMap(c => c.actions);
  const uncovered: string[] = [];
  const used = new Set<string>();
  for (const action of derived.untaggableCreates) {
    if (await actsOnTaggedResource(action)) continue;
    const by = [...ACCOUNT_LEVEL_DENIED, ...contained].filter(p => actionMatches(p, action));
    by.forEach(p => used.add(p));
    if (by.length === 0) uncovered.push(action);
  }
  expect(uncovered).toEqual([]);
  // No dead entries: each pattern covers at least one allowed create.
  expect([...ACCOUNT_LEVEL_DENIED, ...contained].filter(p => !used.has(p))).toEqual([]);
});

describe('size', () => {
  const app = createApp();
  // GovCloud: the longest partition name makes the longest ARNs.
  const stack = new Stack(app, 'Boundaries', { env: { account: '111111111111', region: 'us-gov-west-1' } });
  const team = new TeamPermissionsBoundary(stack, 'Team');
  // The longest team id the contract allows (24 characters) makes the longest delivery boundary.
  const delivery = new DeliveryBoundary(stack, 'Delivery', { teamId: 'abcdefghij-klmnopqrst-uvw'.slice(0, 24) });
  const size = (document: unknown) => JSON.stringify(stack.resolve(document))
    .replace(/\s/g, '').length;

  test(`team and delivery boundaries fit a managed policy (${MANAGED_POLICY_LIMIT} characters)`, () => {
    const sizes = { team: size(team.policy.document), delivery: size(delivery.policy.document) };
    expect(JSON.stringify(stack.resolve(team.policy.document))).toContain('arn:aws-us-gov:s3:::cdk-*');
    expect(sizes.team).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    expect(sizes.delivery).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
  });
});
