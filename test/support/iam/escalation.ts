/**
 * The escalation engine (lib/escalation) over a synthesized assembly for the tests, evaluated with
 * @cloud-copilot/iam-simulate (a development dependency, imported statically here).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Closure, EscalationGraph, closureOf, evaluatorOf, teamStarts } from '../../../lib/escalation';

export { EVERYTHING, escalationGraph, forbiddenInClosure, principalOf, teamStarts } from '../../../lib/escalation';

export const evaluateWithSimulator = evaluatorOf(runSimulation);

/** Every team's closures over one graph, start principal by start principal. */
export async function teamClosures(graph: EscalationGraph, teamId: string, region: string): Promise<Closure[]> {
  const closures: Closure[] = [];
  for (const start of teamStarts(graph, teamId)) closures.push(await closureOf(graph, start, evaluateWithSimulator, { region }));
  return closures;
}
