/**
 * The layers of Springboard's source, lowest first, and what each may import. One table feeds the
 * ESLint zones (.projenrc.ts) and is checked against docs/architecture.md by test/architecture/layers.test.ts,
 * so the picture a newcomer reads is the rule the linter enforces.
 */

export interface Layer {
  /** Folders (relative to the repository root) that make up the layer. */
  readonly folders: readonly string[];
  /** Folders of lower layers this layer may import (its own folder always). */
  readonly mayImport: readonly string[];
  /** What the layer is for, in one line (the docs table says the same). */
  readonly role: string;
}

const CONTRACT = 'lib/contract';
const REGISTRY = 'lib/registry';
const KIT = 'lib/construct-kit';
const COMPLIANCE = 'lib/compliance';
const OBSERVABILITY = 'lib/observability';
const BASELINE = 'lib/baseline';
const DELIVERY = 'lib/delivery';
const ENVIRONMENT = 'lib/environment';
const PLATFORM_PIPELINE = 'lib/platform-pipeline';
const APP = 'lib/app';
const AUDIT = 'lib/audit';
const FLEET = 'lib/fleet';
const ESCALATION = 'lib/escalation';
const PR_CHECK = 'lib/pr-check';
const DOCTOR = 'lib/doctor';
const CLI = 'lib/cli';

const BELOW_CONSTRUCTS = [CONTRACT, REGISTRY, KIT, COMPLIANCE];

/** Every layer of lib/ and bin/, lowest first. */
export const LAYERS: readonly Layer[] = [
  { folders: [CONTRACT], mayImport: [], role: 'names, AWS addressing, limits, catalogues: plain data and pure functions, no aws-cdk-lib' },
  { folders: [REGISTRY], mayImport: [CONTRACT], role: 'reads and validates teams/*.yaml into typed TeamSpec[]; no aws-cdk-lib' },
  { folders: [KIT], mayImport: [CONTRACT], role: 'what every construct and App shares: the App factory and its feature flags, tags, key policy, bucket defaults' },
  { folders: [COMPLIANCE], mayImport: [CONTRACT, REGISTRY, KIT], role: 'the compliance gate: rules, acknowledgments, verdict' },
  { folders: [OBSERVABILITY], mayImport: BELOW_CONSTRUCTS, role: 'constructs: alarms, dashboards, budgets, log archive delivery' },
  { folders: [BASELINE], mayImport: [...BELOW_CONSTRUCTS, OBSERVABILITY], role: 'constructs: one baseline per account and region, the permissions boundary' },
  { folders: [DELIVERY], mayImport: [...BELOW_CONSTRUCTS, BASELINE], role: 'constructs: a team\'s delivery pipeline, builds, change-set guard' },
  { folders: [ENVIRONMENT], mayImport: [...BELOW_CONSTRUCTS, OBSERVABILITY, BASELINE, DELIVERY], role: 'constructs: a team environment (network, service, database)' },
  { folders: [PLATFORM_PIPELINE], mayImport: [...BELOW_CONSTRUCTS, OBSERVABILITY, BASELINE, DELIVERY, ENVIRONMENT], role: 'the platform\'s own pipelines: plan and stacks' },
  { folders: [APP], mayImport: [...BELOW_CONSTRUCTS, OBSERVABILITY, BASELINE, DELIVERY, ENVIRONMENT, PLATFORM_PIPELINE], role: 'use cases over the whole registry: build the platform, quotas, retire a team' },
  { folders: [ESCALATION], mayImport: [CONTRACT], role: 'privilege-escalation analysis over IAM principals; the policy evaluator is passed in' },
  { folders: [AUDIT], mayImport: [CONTRACT, REGISTRY, KIT, COMPLIANCE, ESCALATION], role: 'audit evidence from a synthesized cloud assembly' },
  { folders: [FLEET], mayImport: [CONTRACT, REGISTRY], role: 'read-only fleet view: CodePipeline history, DORA figures' },
  { folders: [PR_CHECK], mayImport: [CONTRACT, REGISTRY, KIT, COMPLIANCE, APP, AUDIT], role: 'the check of a registry pull request: validate, gate, audit against the approved assembly, the reviewer\'s summary' },
  { folders: [DOCTOR], mayImport: [CONTRACT, REGISTRY, FLEET], role: 'springboard doctor: the live prerequisites of a deploy, read through the reader role' },
  { folders: [CLI], mayImport: [CONTRACT, REGISTRY, COMPLIANCE, DELIVERY, APP, AUDIT, FLEET, PR_CHECK, DOCTOR], role: 'the springboard command: parses flags, calls the layers below' },
  { folders: ['lib/index.ts'], mayImport: [CONTRACT, REGISTRY, KIT, COMPLIANCE, APP, AUDIT, ESCALATION], role: 'the programmatic entry: what a user of the package imports' },
  { folders: ['bin'], mayImport: [CONTRACT, REGISTRY, KIT, COMPLIANCE, APP, AUDIT, CLI], role: 'executables: the CDK app and the CLI' },
];

/** Packages that lib/contract and lib/registry may not import: the templates package bundles them as source. */
export const CDK_FREE_FOLDERS = [CONTRACT, REGISTRY];
/** Packages that lib/construct-kit may use besides node's own modules. */
export const KIT_PACKAGES = ['aws-cdk-lib', 'constructs'];

/** A zone of eslint-plugin-import's no-restricted-paths rule. */
export interface RestrictedZone {
  readonly target: string;
  readonly from: string;
  readonly except?: string[];
  readonly message: string;
}

function relativeTo(folder: string, path: string): string {
  return `./${path.slice(folder.length + 1)}`;
}

/**
 * The zones: each layer may import from lib/ only its own folder and those it lists; nothing in
 * lib/ or bin/ imports tests or benches, and nothing imports bin/.
 */
export function layerZones(): RestrictedZone[] {
  const layered = LAYERS.flatMap(layer => layer.folders.map(folder => {
    const allowed = [...layer.mayImport, ...layer.folders].filter(f => f.startsWith('lib/') && f !== 'lib/index.ts');
    const listed = layer.mayImport.join(', ');
    return {
      target: `./${folder}`,
      from: './lib',
      except: allowed.map(f => relativeTo('lib', f)),
      message: `${folder} ${listed ? `may import only ${listed}` : 'may import nothing else from lib/'} (docs/architecture.md)`,
    };
  }));
  return [
    ...layered,
    { target: './lib', from: './bin', message: 'nothing imports bin/ (docs/architecture.md)' },
    { target: './lib', from: './test', message: 'test support lives under test/ and is never imported by lib/ (docs/architecture.md)' },
    { target: './lib', from: './bench', message: 'bench/ is never imported by lib/ (docs/architecture.md)' },
    { target: './bin', from: './test', message: 'test support lives under test/ and is never imported by bin/ (docs/architecture.md)' },
  ];
}
