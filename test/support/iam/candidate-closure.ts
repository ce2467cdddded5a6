/**
 * The escalation engine's closure (lib/escalation/closure.ts) over a large assembly, from several
 * starts at once, asking the engine's `edgesBetween` only about candidate pairs: a pair is skipped
 * only when no identity statement of `from` could allow an edge request on `to` (its action and
 * resource patterns cannot match, conditions and boundary aside) and `to`'s trust does not name
 * `from`. IAM allows nothing without such a statement, so the skipped pairs have no edge and the
 * result is the engine's; the filter only spares the evaluator the pairs that cannot matter (at 40
 * teams, 1,400 principals: each expansion would otherwise cost about 30 s).
 */
import { evaluateWithSimulator } from './escalation';
import { Closure, Edge, edgesBetween, EscalationGraph, Principal, ROLE_WRITES, RUNNER_REQUESTS } from '../../../lib/escalation';

const EDGE_ACTIONS = ['sts:AssumeRole', 'iam:PassRole', ...ROLE_WRITES];
const RUNNER_ACTIONS = Object.values(RUNNER_REQUESTS).flat();

const pattern = (p: string, caseInsensitive: boolean) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
const matchesAny = (patterns: unknown, value: string, caseInsensitive: boolean) => [patterns].flat()
  .some(p => typeof p !== 'string' || pattern(p, caseInsensitive).test(value));

/** Could any Allow statement of `from` grant one of `actions` on `arn`? (NotAction / NotResource count as yes.) */
export function couldAllow(from: Principal, actions: readonly string[], arn: string): boolean {
  return from.identityPolicies.some(doc => doc.Statement.some(s => s.Effect === 'Allow'
    && (s.NotAction !== undefined || actions.some(a => matchesAny(s.Action, a, true)))
    && (s.NotResource !== undefined || matchesAny(s.Resource, arn, false))));
}

function candidates(graph: EscalationGraph, from: Principal): Principal[] {
  return graph.principals.filter(to => to.arn !== from.arn && (
    JSON.stringify(to.trust).includes(from.arn)
    || to.trust.Statement.some(s => s.Effect === 'Allow' && [s.Principal === '*' ? '*' : s.Principal?.AWS ?? []].flat().includes('*'))
    || couldAllow(from, EDGE_ACTIONS, to.arn)
    || graph.runners.some(r => r.roleArn === to.arn && couldAllow(from, RUNNER_ACTIONS, r.arn))));
}

/** Every principal the starts can come to act as, with the edges found; administrators are not expanded (as in closureOf). */
export async function candidateClosure(
  graph: EscalationGraph, starts: readonly Principal[], region: string,
): Promise<Closure & { readonly parents: ReadonlyMap<string, Edge> }> {
  const reached = new Map<string, Principal>(starts.map(s => [s.arn, s]));
  const parents = new Map<string, Edge>();
  const edges: Edge[] = [];
  const queue = [...starts];
  while (queue.length > 0) {
    const from = queue.shift()!;
    if (from.administrator) continue;
    for (const to of candidates(graph, from).filter(p => !reached.has(p.arn))) {
      const found = await edgesBetween(evaluateWithSimulator, from, to, graph.runners, region);
      if (found.length === 0) continue;
      edges.push(...found);
      parents.set(to.arn, found[0]);
      reached.set(to.arn, to);
      queue.push(to);
    }
  }
  return { start: starts.map(s => s.arn).join(','), reached: [...reached.values()], edges, parents };
}

/** The path of edges from a start to `arn`, as `from -[kind: via]-> to` lines. */
export function pathTo(parents: ReadonlyMap<string, Edge>, arn: string): string[] {
  const lines: string[] = [];
  for (let e = parents.get(arn); e; e = parents.get(e.from)) lines.unshift(`${e.from} -[${e.kind}: ${e.via}]-> ${e.to}`);
  return lines;
}
