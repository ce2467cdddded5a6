/**
 * The one buildspec of a platform pipeline's CodeBuild project. Each action selects its step with
 * STEP (and STACK, GUARDED, SUBSET); the commands are the platform's, read from this repository's
 * reviewed code, never from a team's.
 */
import type { StageProject } from './plan';
import { PLATFORM_PIPELINE_STACK_NAME, teamPlatformPipelineStackName } from '../contract/naming';
import { NODE_MAJOR_VERSION } from '../contract/runtime';

/** The synthesized assembly: the Synth action's output, a secondary input of every later action. */
export const SYNTH_ARTIFACT = 'Synth';
export const ASSEMBLY_DIR = `"$CODEBUILD_SRC_DIR_${SYNTH_ARTIFACT}"`;
/** Where each pipeline keeps the assembly its prod stacks were last approved with. */
export const APPROVED_PREFIX = 'approved';
/**
 * Where the broadening check writes its report, per execution (`reports/<pipeline>/<execution id>/`):
 * the approval that follows links it, so the approver reads what the check found.
 */
export const REPORTS_PREFIX = 'reports';
/** The report file the approval links (the audit's Markdown report). */
export const BROADENING_REPORT_FILE = 'report.md';
/** The step runner (lib/platform-pipeline/steps/cli.ts), run from the source with tsx. */
const STEPS = 'npx tsx lib/platform-pipeline/steps/cli.ts';
const DEPLOY = 'npx cdk deploy --app "$ASSEMBLY" --exclusively --require-approval never --progress events';

/**
 * Install without running any package's install script: a compromised dependency's `postinstall`
 * would otherwise run with the project's role. The only package of the lockfile with an install
 * script is esbuild (under tsx), whose script only checks its platform binary; npm installs that
 * binary as an optional dependency, so no script needs to run.
 */
export const INSTALL = 'npm ci --ignore-scripts --no-audit --no-fund';

/**
 * Provenance: the commit checked out (a full clone through the connection) must be reachable from
 * the configured branch. A shallow clone, a missing branch or a commit off the branch fails the build.
 */
export const PROVENANCE_CHECK = [
  'if [ "$(git rev-parse --is-shallow-repository)" != "false" ]; then echo "provenance: the source is not a full clone; refusing to build" >&2; exit 1; fi',
  'if ! git merge-base --is-ancestor HEAD "refs/remotes/origin/$SOURCE_BRANCH"; then '
    + 'echo "provenance: commit $(git rev-parse HEAD) is not reachable from branch $SOURCE_BRANCH; refusing to build it" >&2; exit 1; fi',
  'echo "provenance: $(git rev-parse HEAD) is on $SOURCE_BRANCH"',
].join('\n');

/**
 * The broadening check: the audit's baseline diff of the stacks this pipeline deploys against the
 * assembly last approved; it exits non-zero on IAM broadening or a stateful replacement. The report
 * is uploaded whatever the verdict (the approval links it; a failed check's report says why), and
 * the step then fails with the audit's status.
 */
export const BROADENING_CHECK = [
  `${STEPS} subset --assembly "$ASSEMBLY" $SUBSET --out review`,
  `aws s3 sync --only-show-errors "s3://$ARTIFACT_BUCKET/${APPROVED_PREFIX}/$PIPELINE/" approved/`,
  'status=0',
  'if [ -f approved/manifest.json ]; then npx springboard audit --assembly review --baseline approved --out audit || status=$?; '
    + 'else echo "first release: no approved assembly to compare with"; npx springboard audit --assembly review --out audit || status=$?; fi',
  `aws s3 cp --recursive --only-show-errors audit/ "s3://$ARTIFACT_BUCKET/${REPORTS_PREFIX}/$PIPELINE/$EXECUTION_ID/"`,
  `echo "broadening report: s3://$ARTIFACT_BUCKET/${REPORTS_PREFIX}/$PIPELINE/$EXECUTION_ID/${BROADENING_REPORT_FILE}"`,
  'if [ "$status" -ne 0 ]; then echo "broadening check failed (audit exit $status); see the report" >&2; exit "$status"; fi',
];

export interface BuildspecOptions {
  /** Teams the Synth step builds (`-c teams=`); undefined for a full build. */
  readonly synthTeams?: readonly string[];
  /** `platform`: the Synth step builds only the platform pipeline's stacks (`-c scope=platform`). */
  readonly synthScope?: 'platform';
  /** Concurrency of the team-pipeline update. @default 10 */
  readonly updateConcurrency?: number;
}

/** The steps each project may run, by STEP: a project cannot be made to run another project's step. */
export function projectSteps(project: StageProject, options: BuildspecOptions): Record<string, string[]> {
  const teams = options.synthTeams ? ` -c teams=${options.synthTeams.join(',')}` : '';
  const scope = options.synthScope ? ` -c scope=${options.synthScope}` : '';
  const review = [
    `${STEPS} subset --assembly "$ASSEMBLY" $SUBSET --out review`,
  ];
  switch (project) {
    case 'synth':
      return { synth: [PROVENANCE_CHECK, `npx cdk synth --quiet${teams}${scope}`] };
    case 'non-prod':
      return {
        // Non-prod stacks only: this project's role cannot assume a prod account's roles.
        'deploy': [`${DEPLOY} "$STACK"`],
        'broadening-check': BROADENING_CHECK,
      };
    case 'prod':
      return {
        'self-update': [`${DEPLOY} ${PLATFORM_PIPELINE_STACK_NAME}`],
        'update-team-pipelines': [`${DEPLOY} '${teamPlatformPipelineStackName('*')}' --concurrency ${options.updateConcurrency ?? 10}`],
        // The CDK CLI assumes the target's bootstrap roles, publishes the stack's assets and applies
        // the manifest's termination protection. Prod stacks stop at a change set for the inspection.
        'deploy': [
          'if [ "$GUARDED" = "true" ]; then',
          `  ${DEPLOY} "$STACK" --method prepare-change-set --change-set-name "springboard-$CODEBUILD_BUILD_NUMBER"`,
          `  ${STEPS} guarded-execute --assembly "$ASSEMBLY" --stack "$STACK" --change-set "springboard-$CODEBUILD_BUILD_NUMBER" --registry teams`,
          'else',
          `  ${DEPLOY} "$STACK"`,
          'fi',
        ],
        'record-approved': [
          ...review,
          `aws s3 sync --only-show-errors --delete review/ "s3://$ARTIFACT_BUCKET/${APPROVED_PREFIX}/$PIPELINE/"`,
        ],
        'release': [`${STEPS} release --registry teams --commit "$COMMIT_ID"`],
      };
  }
}

export function buildspecObject(project: StageProject, options: BuildspecOptions): Record<string, unknown> {
  const steps = projectSteps(project, options);
  const dispatch = [
    'export ASSEMBLY=' + ASSEMBLY_DIR,
    'case "$STEP" in',
    ...Object.entries(steps).map(([step, commands]) => `  ${step})\n${commands.map(c => `    ${c}`).join('\n')}\n    ;;`),
    '  *) echo "unknown step $STEP"; exit 2;;',
    'esac',
  ].join('\n');
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: { 'runtime-versions': { nodejs: NODE_MAJOR_VERSION }, 'commands': [INSTALL] },
      build: { commands: ['set -euo pipefail', dispatch] },
    },
    ...(project === 'synth' ? { artifacts: { 'files': ['**/*'], 'base-directory': 'cdk.out' } } : {}),
  };
}
