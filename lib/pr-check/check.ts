/**
 * The check of a pull request to the registry: `springboard validate`, the compliance gate (a synth
 * of the pull request's registry) and `springboard audit --baseline` against the approved assembly,
 * either given (a kept copy of an approved cdk.out) or synthesized from the registry at the base ref.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commitOf, registryAtRef } from './base-registry';
import { SynthesisResult, synthesizeRegistry } from './synthesize';
import { runAuditWithClosures } from '../audit';
import type { AuditReport } from '../audit';
import { InvalidInputError } from '../contract';
import { Diagnostic, validateRegistry } from '../registry';

/** pass: nothing to look at; review: valid and compliant, with flagged changes for the reviewer; fail: it cannot merge as is. */
export type PullRequestVerdict = 'pass' | 'review' | 'fail';

export interface PullRequestCheckOptions {
  /** The registry folder of the pull request's checkout. @default 'teams' */
  readonly registry?: string;
  /** An approved cloud assembly to compare with. One of `baseline` and `baseRef` is required. */
  readonly baseline?: string;
  /** A git ref (the pull request's base): its registry, synthesized with this code, is the approved assembly. */
  readonly baseRef?: string;
  /** The git repository `baseRef` is read from. @default '.' */
  readonly repo?: string;
  /** Where the assemblies, the audit report and `summary.md` go. @default 'pr-check' */
  readonly out?: string;
  /** Reuse rule-pack results cached by template content. @default true */
  readonly cache?: boolean;
}

export interface PullRequestCheckResult {
  readonly verdict: PullRequestVerdict;
  readonly registry: { readonly ok: boolean; readonly teams: readonly string[]; readonly diagnostics: readonly Diagnostic[] };
  /** Absent when the registry is invalid (nothing to synthesize). */
  readonly synthesis?: SynthesisResult;
  readonly audit?: AuditReport;
  /** What the pull request was compared with: the approved assembly's folder, and the base commit when synthesized from a ref. */
  readonly baseline: { readonly assembly: string; readonly ref?: string; readonly commit?: string };
  readonly out: string;
}

export async function runPullRequestCheck(options: PullRequestCheckOptions): Promise<PullRequestCheckResult> {
  const registryDir = options.registry ?? 'teams';
  const out = options.out ?? 'pr-check';
  if ((options.baseline === undefined) === (options.baseRef === undefined)) {
    throw new InvalidInputError('pr-check needs exactly one of --baseline <approved assembly> and --base-ref <git ref>');
  }
  fs.mkdirSync(out, { recursive: true });
  const validation = validateRegistry(registryDir);
  const registry = {
    ok: Boolean(validation.registry),
    teams: validation.registry?.teams.map(t => t.id) ?? [],
    diagnostics: validation.diagnostics,
  };
  // An invalid registry is reported before anything is synthesized.
  if (!validation.registry) return { verdict: 'fail', registry, baseline: { assembly: options.baseline ?? '', ref: options.baseRef }, out };
  const baseline = options.baseline !== undefined ? { assembly: options.baseline } : approvedFromRef(options.repo ?? '.', options.baseRef!, registryDir, out);
  const synthesis = synthesizeRegistry(registryDir, path.join(out, 'cdk.out'), { gate: true });
  if (!fs.existsSync(path.join(synthesis.assembly, 'manifest.json'))) return { verdict: 'fail', registry, synthesis, baseline, out };
  const { report } = await runAuditWithClosures({ assembly: synthesis.assembly, out: path.join(out, 'audit'), baseline: baseline.assembly, cache: options.cache });
  return { verdict: verdictOf(synthesis, report), registry, synthesis, audit: report, baseline, out };
}

/** The registry at the base ref, synthesized with this code (no gate: it was approved when it merged). */
function approvedFromRef(repo: string, ref: string, registryDir: string, out: string): PullRequestCheckResult['baseline'] {
  const root = path.resolve(repo);
  const relative = path.relative(root, path.resolve(registryDir));
  if (relative.startsWith('..')) throw new InvalidInputError(`registry ${registryDir} is outside the repository ${repo}; expected a folder of the checkout`);
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'springboard-pr-base-'));
  try {
    const baseRegistry = registryAtRef(root, ref, relative || '.', checkout);
    const assembly = path.join(out, 'baseline.out');
    synthesizeRegistry(baseRegistry, assembly, { gate: false });
    return { assembly, ref, commit: commitOf(root, ref) };
  } finally {
    fs.rmSync(checkout, { recursive: true, force: true });
  }
}

function verdictOf(synthesis: SynthesisResult, audit: AuditReport): PullRequestVerdict {
  if (synthesis.errors.length > 0 || synthesis.gate?.verdict !== 'pass') return 'fail';
  // Every reason of the audit but the flagged changes (open findings, escalations, stale acknowledgments) fails.
  const flagged = audit.summary.baselineFlagged;
  if (audit.reasons.length > (flagged > 0 ? 1 : 0)) return 'fail';
  return flagged > 0 ? 'review' : 'pass';
}
