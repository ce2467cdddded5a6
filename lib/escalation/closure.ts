/**
 * The closure of a principal: every principal it can come to act as, by any chain of edges. A
 * breadth-first search; each principal reached is expanded once, with its own policies.
 */
import { edgeCandidates } from './candidates';
import { edgesBetween } from './edges';
import type { Closure, Edge, Evaluate, Principal, Runner } from './types';

export interface EscalationGraph {
  readonly principals: readonly Principal[];
  readonly runners: readonly Runner[];
}

export interface ClosureOptions {
  /** Region the service probes (stacks, projects, functions) are created in. */
  readonly region: string;
  /**
   * Ask the evaluator about every pair, not only the candidates (./candidates.ts): the reference
   * the candidate filter is tested against.
   * @default false
   */
  readonly exhaustive?: boolean;
}

export async function closureOf(graph: EscalationGraph, start: Principal, evaluate: Evaluate, options: ClosureOptions): Promise<Closure> {
  const reached = new Map<string, Principal>([[start.arn, start]]);
  const edges: Edge[] = [];
  const queue: Principal[] = [start];
  while (queue.length > 0) {
    const from = queue.shift()!;
    // An administrator acts as anything: there is nothing further to find through it.
    if (from.administrator) continue;
    const next = options.exhaustive ? graph.principals : edgeCandidates(graph.principals, graph.runners, from);
    for (const to of next.filter(p => p.arn !== from.arn && !reached.has(p.arn))) {
      const found = await edgesBetween(evaluate, from, to, graph.runners, options.region);
      if (found.length === 0) continue;
      edges.push(...found);
      reached.set(to.arn, to);
      queue.push(to);
    }
  }
  return { start: start.arn, reached: [...reached.values()], edges };
}

/** One line per edge, `from -[kind: via]-> to`, for failure messages and reports. */
export function describeClosure(closure: Closure): string[] {
  return closure.edges.map(e => `${e.from} -[${e.kind}: ${e.via}]-> ${e.to}`);
}
