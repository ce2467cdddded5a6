/**
 * The platform pipeline's last step: start every team's platform pipeline on the commit the
 * platform pipeline has just deployed, paced, so no team pipeline ever runs an older definition
 * or an unreviewed commit. Each team pipeline then succeeds or fails on its own.
 */
import { CodePipelineClient, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { teamPlatformPipelineName } from '../../contract/naming';

export interface ReleaseOptions {
  readonly client: Pick<CodePipelineClient, 'send'>;
  readonly teams: readonly string[];
  readonly commitId: string;
  readonly log: (line: string) => void;
  /** Pause between starts (CodePipeline's write APIs throttle). @default 200 */
  readonly pauseMs?: number;
}

/** Returns the teams whose pipeline could not be started (the others were). */
export async function startTeamPipelines(o: ReleaseOptions): Promise<string[]> {
  const failed: string[] = [];
  for (const team of o.teams) {
    const name = teamPlatformPipelineName(team);
    try {
      const out = await o.client.send(new StartPipelineExecutionCommand({
        name,
        sourceRevisions: [{ actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: o.commitId }],
      }));
      o.log(`started ${name} at ${o.commitId}: execution ${out.pipelineExecutionId}`);
    } catch (e) {
      // One team's missing or broken pipeline must not keep the others from starting.
      o.log(`could not start ${name}: ${(e as Error).message}`);
      failed.push(team);
    }
    await new Promise(r => setTimeout(r, o.pauseMs ?? 200));
  }
  return failed;
}
