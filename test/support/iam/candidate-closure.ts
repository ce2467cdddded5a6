/**
 * The escalation engine's closure (lib/escalation/closure.ts) from several starts at once, with
 * the parent of each principal reached, for paths in failure messages; like the engine, it asks
 * the evaluator only about candidate pairs (lib/escalation/candidates.ts).
 */
import { evaluateWithSimulator } from './escalation';
import { Closure, Edge, edgeCandidates, edgesBetween, EscalationGraph, Principal } from '../../../lib/escalation';

export { couldAllow } from '../../../lib/escalation';

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
    for (const to of edgeCandidates(graph.principals, graph.runners, from).filter(p => !reached.has(p.arn))) {
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
