/**
 * The one buildspec of a platform pipeline's CodeBuild project. Each action selects its step with
 * STEP (and STACK, GUARDED, SUBSET); the commands are the platform's, read from this repository's
 * reviewed code, never from a team's.
 */
import { PLATFORM_PIPELINE_STACK_NAME, teamPlatformPipelineStackName } from '../contract/naming';
import { NODE_MAJOR_VERSION } from '../contract/runtime';

/** The synthesized assembly: the Synth action's output, a secondary input of every later action. */
export const SYNTH_ARTIFACT = 'Synth';
export const ASSEMBLY_DIR = `"$CODEBUILD_SRC_DIR_${SYNTH_ARTIFACT}"`;
/** Where each pipeline keeps the assembly its prod stacks were last approved with. */
export const APPROVED_PREFIX = 'approved';
/** The step runner (lib/platform-pipeline/steps/cli.ts), run from the source with tsx. */
const STEPS = 'npx tsx lib/platform-pipeline/steps/cli.ts';
const DEPLOY = 'npx cdk deploy --app "$ASSEMBLY" --exclusively --require-approval never --progress events';

export interface BuildspecOptions {
  /** Teams the Synth step builds (`-c teams=`); undefined for a full build. */
  readonly synthTeams?: readonly string[];
  /** `platform`: the Synth step builds only the platform pipeline's stacks (`-c scope=platform`). */
  readonly synthScope?: 'platform';
  /** Concurrency of the team-pipeline update. @default 10 */
  readonly updateConcurrency?: number;
}

export function buildspecObject(options: BuildspecOptions): Record<string, unknown> {
  const teams = options.synthTeams ? ` -c teams=${options.synthTeams.join(',')}` : '';
  const scope = options.synthScope ? ` -c scope=${options.synthScope}` : '';
  const steps: Record<string, string[]> = {
    'synth': [`npx cdk synth --quiet${teams}${scope}`],
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
    'broadening-check': [
      `${STEPS} subset --assembly "$ASSEMBLY" $SUBSET --out review`,
      `aws s3 sync --only-show-errors "s3://$ARTIFACT_BUCKET/${APPROVED_PREFIX}/$PIPELINE/" approved/`,
      // The audit's baseline diff exits non-zero on IAM broadening or a stateful replacement.
      'if [ -f approved/manifest.json ]; then npx springboard audit --assembly review --baseline approved --out audit; '
        + 'else echo "first release: no approved assembly to compare with"; npx springboard audit --assembly review --out audit; fi',
    ],
    'record-approved': [
      `${STEPS} subset --assembly "$ASSEMBLY" $SUBSET --out review`,
      `aws s3 sync --only-show-errors --delete review/ "s3://$ARTIFACT_BUCKET/${APPROVED_PREFIX}/$PIPELINE/"`,
    ],
    'release': [`${STEPS} release --registry teams --commit "$COMMIT_ID"`],
  };
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
      install: { 'runtime-versions': { nodejs: NODE_MAJOR_VERSION }, 'commands': ['npm ci --no-audit --no-fund'] },
      build: { commands: ['set -euo pipefail', dispatch] },
    },
    artifacts: { 'files': ['**/*'], 'base-directory': 'cdk.out' },
  };
}
