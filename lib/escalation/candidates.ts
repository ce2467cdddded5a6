/**
 * Which principals one principal could possibly reach in one step, before asking the evaluator:
 * a pair is skipped only when no identity statement of `from` could allow an edge request on `to`
 * (its action and resource patterns cannot match; conditions and boundaries only take away) and
 * `to`'s trust neither names `from` nor admits everyone. IAM allows nothing without such a
 * statement, so a skipped pair has no edge; the evaluator is spared the pairs that cannot matter,
 * which are almost all of them (a closure otherwise costs principals² evaluations).
 */
import { ROLE_WRITES, RUNNER_REQUESTS } from './edges';
import type { Principal, Runner } from './types';

const EDGE_ACTIONS = ['sts:AssumeRole', 'iam:PassRole', ...ROLE_WRITES];
const RUNNER_ACTIONS = Object.values(RUNNER_REQUESTS).flat();

const pattern = (p: string, caseInsensitive: boolean) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
// A pattern that is not a plain string (a policy variable would be one) counts as matching.
const matchesAny = (patterns: unknown, value: string, caseInsensitive: boolean) => [patterns].flat()
  .some(p => typeof p !== 'string' || p.includes('${') || pattern(p, caseInsensitive).test(value));

/** Could any Allow statement of `from` grant one of `actions` on `arn`? (NotAction / NotResource count as yes.) */
export function couldAllow(from: Principal, actions: readonly string[], arn: string): boolean {
  return from.identityPolicies.some(doc => doc.Statement.some(s => s.Effect === 'Allow'
    && (s.NotAction !== undefined || actions.some(a => matchesAny(s.Action, a, true)))
    && (s.NotResource !== undefined || matchesAny(s.Resource, arn, false))));
}

function trustAdmits(to: Principal, from: Principal): boolean {
  return JSON.stringify(to.trust).includes(from.arn)
    || to.trust.Statement.some(s => s.Effect === 'Allow' && [s.Principal === '*' ? '*' : s.Principal?.AWS ?? []].flat().includes('*'));
}

/** The principals `from` might have an edge to; every other principal certainly has none. */
export function edgeCandidates(principals: readonly Principal[], runners: readonly Runner[], from: Principal): Principal[] {
  return principals.filter(to => to.arn !== from.arn && (
    trustAdmits(to, from)
    || couldAllow(from, EDGE_ACTIONS, to.arn)
    || runners.some(r => r.roleArn === to.arn && couldAllow(from, RUNNER_ACTIONS, r.arn))));
}
