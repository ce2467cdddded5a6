/**
 * Each team's escalation closure over a synthesized assembly, as plain data for the audit report:
 * every team's principals, holding the broadest grant their boundary permits, and what each reaches.
 * The evaluator is passed in; without one the result says the closure was not computed.
 */
import { readDeployedStacks } from './assembly/deployed';
import { buildIamModel } from './assembly/iam-model';
import { escalationGraph, forbiddenInClosure, teamStarts } from './assembly-graph';
import { closureOf } from './closure';
import type { Closure, Evaluate } from './types';
import { PLATFORM_OWNER, TAG_KEYS, deliveryStackName } from '../contract';

export interface StartClosure {
  /** The team's principal the search starts from (holding `*` on `*`, under its boundary). */
  readonly start: string;
  readonly account: string;
  /** Every principal it can act as, the start excluded. */
  readonly reached: readonly string[];
  /** What it must never reach, `arn: why` (another team's, platform-owned, untagged, administrator). */
  readonly flagged: readonly string[];
  /** For each flagged principal, the chain of edges from the start, `from -[kind: via]-> to`. */
  readonly paths: Readonly<Record<string, readonly string[]>>;
}

export interface TeamClosure {
  readonly team: string;
  readonly starts: readonly StartClosure[];
}

export type TeamClosureEvidence =
  | { readonly computed: true; readonly teams: readonly TeamClosure[] }
  | { readonly computed: false; readonly reason: string; readonly howTo: string };

export const NOT_COMPUTED_HOW_TO = 'run `springboard audit` from a checkout of Springboard with its development dependencies installed (`npm ci`), where the IAM evaluator @cloud-copilot/iam-simulate is available';

/** Every team's closures over the assembly in `directory`; `evaluate` undefined gives the not-computed evidence. */
export async function teamClosureEvidence(directory: string, evaluate: Evaluate | undefined): Promise<TeamClosureEvidence> {
  if (!evaluate) return { computed: false, reason: 'the IAM evaluator @cloud-copilot/iam-simulate is not installed (a development dependency, AGPL-3.0)', howTo: NOT_COMPUTED_HOW_TO };
  const stacks = readDeployedStacks(directory);
  const model = buildIamModel(stacks);
  const teams = [...new Set(model.roles.filter(r => r.boundaryArn).map(r => r.tags[TAG_KEYS.team]))]
    .filter((t): t is string => t !== undefined && t !== PLATFORM_OWNER).sort();
  const tooling = stacks.find(s => teams.some(t => s.stackName === deliveryStackName(t)))?.placement;
  if (!tooling) return { computed: true, teams: [] };
  const graph = escalationGraph(model, tooling.account);
  const result: TeamClosure[] = [];
  for (const team of teams) {
    const starts: StartClosure[] = [];
    for (const start of teamStarts(graph, team)) {
      starts.push(startClosure(await closureOf(graph, start, evaluate, { region: tooling.region }), start.account, team));
    }
    result.push({ team, starts });
  }
  return { computed: true, teams: result };
}

function startClosure(closure: Closure, account: string, team: string): StartClosure {
  const flagged = forbiddenInClosure(closure, team);
  const paths = Object.fromEntries(flagged.map(f => {
    const arn = f.slice(0, f.lastIndexOf(': '));
    return [arn, pathTo(closure, arn)];
  }));
  return { start: closure.start, account, reached: closure.reached.map(p => p.arn).filter(a => a !== closure.start), flagged, paths };
}

/** How many start principals reach something they must not. */
export function flaggedClosures(evidence: TeamClosureEvidence): number {
  return evidence.computed ? evidence.teams.reduce((n, t) => n + t.starts.filter(s => s.flagged.length).length, 0) : 0;
}

/** The chain of edges from the closure's start to `arn`: each principal was reached by the first edge into it. */
export function pathTo(closure: Closure, arn: string): string[] {
  const chain: string[] = [];
  let at = arn;
  while (at !== closure.start) {
    const edge = closure.edges.find(e => e.to === at);
    if (!edge) break;
    chain.unshift(`${edge.from} -[${edge.kind}: ${edge.via}]-> ${edge.to}`);
    at = edge.from;
  }
  return chain;
}
