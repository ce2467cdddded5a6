/**
 * The steps a platform pipeline's CodeBuild project runs (`npx tsx lib/platform-pipeline/steps/cli.ts`):
 * `subset`, `guarded-execute` (the prod data guard of lib/delivery/change-set-guard.ts) and `release`.
 * A thin shell over library functions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Command, CommanderError } from 'commander';
import { startTeamPipelines } from './release';
import { subsetAssembly } from './subset';
import { EXIT_CODES, failureReport, partitionOf } from '../../contract';
import { guardedExecute } from '../../delivery/change-set-guard';
import { loadRegistry } from '../../registry/load';

const log = (line: string) => process.stdout.write(`${line}\n`);

export function stepsProgram(): Command {
  const program = new Command('platform-pipeline-steps');
  program.command('subset')
    .requiredOption('--assembly <dir>').requiredOption('--out <dir>')
    .option('--team <id>', 'a team\'s stacks').option('--platform', 'the platform pipeline\'s stacks: baselines and fleet-wide stacks')
    .action((o: { assembly: string; out: string; team?: string; platform?: boolean }) => {
      if (!o.team && !o.platform) throw new Error('subset: give --team <id> or --platform');
      const kept = subsetAssembly(o.assembly, o.team ? { team: o.team } : { platform: true }, o.out);
      log(`${o.out}: ${kept.length} stack(s): ${kept.join(', ')}`);
    });
  program.command('guarded-execute')
    .requiredOption('--assembly <dir>').requiredOption('--stack <id>').requiredOption('--change-set <name>')
    .option('--registry <dir>', 'registry folder', 'teams')
    .action(async (o: { assembly: string; stack: string; changeSet: string; registry: string }) => {
      const artifact = manifestArtifact(o.assembly, o.stack);
      const client = new CloudFormationClient({
        region: artifact.region,
        credentials: fromTemporaryCredentials({ params: { RoleArn: artifact.roleArn, RoleSessionName: 'springboard-guard' } }),
      });
      process.exitCode = await guardedExecute({
        client,
        stackName: artifact.stackName,
        changeSetName: o.changeSet,
        registry: loadRegistry(o.registry),
        log,
        terminationProtection: artifact.terminationProtection,
      });
    });
  program.command('release')
    .requiredOption('--commit <id>').option('--registry <dir>', 'registry folder', 'teams')
    .action(async (o: { commit: string; registry: string }) => {
      const teams = loadRegistry(o.registry).teams.map(t => t.id);
      const failed = await startTeamPipelines({ client: new CodePipelineClient({}), teams, commitId: o.commit, log });
      if (failed.length > 0) process.exitCode = 1;
    });
  return program;
}

interface StackArtifact { stackName: string; region: string; roleArn: string; terminationProtection: boolean }

export function manifestArtifact(assembly: string, id: string): StackArtifact {
  const manifest = JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { environment: string; properties: Record<string, unknown> }> };
  const a = manifest.artifacts[id];
  if (!a) throw new Error(`${id} is not a stack of ${assembly}`);
  const [, account, region] = /^aws:\/\/(\d{12})\/(.+)$/.exec(a.environment) ?? [];
  if (!account || !region) throw new Error(`${id} of ${assembly} is placed at "${a.environment}"; expected aws://<account>/<region>`);
  const partition = partitionOf(region);
  const roleArn = String(a.properties.assumeRoleArn).replace('${AWS::Partition}', partition).replace('${AWS::AccountId}', account).replace('${AWS::Region}', region);
  return { stackName: String(a.properties.stackName ?? id), region, roleArn, terminationProtection: a.properties.terminationProtection === true };
}

/** Runs one step; exit codes as every Springboard command (lib/contract/command.ts). */
export async function runStep(argv: readonly string[]): Promise<number> {
  try {
    await stepsProgram().exitOverride().parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? EXIT_CODES.success);
  } catch (error) {
    // Commander has printed its own message (an unknown flag, a missing option).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
    const failure = failureReport(error, 'platform-pipeline-steps');
    process.stderr.write(failure.text);
    return failure.exitCode;
  }
}

if (require.main === module) {
  void runStep(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
