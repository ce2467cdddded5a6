/**
 * Retiring a team: the exact, ordered procedure that removes its stacks safely. CDK and the
 * platform pipelines never delete a stack by themselves (a team gone from the registry is only no
 * longer deployed), so this procedure is what deletes, and it names only the team's own stacks.
 * Shared baselines are never part of it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform } from './build-platform';
import { createApp } from '../construct-kit/springboard-app';
import { bootstrapRoleArn, DEFAULT_BOOTSTRAP_QUALIFIER, teamPlatformPipelineName, teamPlatformPipelineStackName } from '../contract';
import { effectivePolicy, isStateful, policyKeepsData, STATEFUL_RESOURCES } from '../contract/stateful-resources';
import { teamTargets, StackTarget } from '../platform-pipeline/targets';
import { InputError } from '../registry/diagnostics';
import type { Registry, TeamSpec } from '../registry/types';

/** What a deletion leaves behind, from the template's DeletionPolicy. */
export interface RetainedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  /** `Retain` (the resource stays) or `Snapshot` (a final snapshot stays). */
  readonly policy: string;
  /** A physical name when the template sets one. */
  readonly name?: string;
  /** How long the data lives on, in words. */
  readonly retention: string;
}

interface CfnResource {
  Type: string;
  DeletionPolicy?: string;
  Properties?: Record<string, unknown>;
}

/** Name properties of resources the stateful-resource table does not list (alarms, topics...). */
const OTHER_NAME_PROPERTIES = ['Name', 'TopicName', 'AlarmName'];

/** The DeletionPolicy in effect: the template's, or CloudFormation's default for stateful types (the contract's table). */
function deletionPolicyOf(r: CfnResource): string | undefined {
  return isStateful(r.Type) ? effectivePolicy(r.Type, 'DeletionPolicy', r.DeletionPolicy, r.Properties) : r.DeletionPolicy;
}

function nameOf(r: CfnResource): string | undefined {
  const properties = [STATEFUL_RESOURCES[r.Type]?.nameProperty, ...OTHER_NAME_PROPERTIES].filter((p): p is string => p !== undefined);
  return properties.map(p => r.Properties?.[p]).find((v): v is string => typeof v === 'string');
}

/** Resources of a template that outlive the stack. */
export function retainedResources(stackName: string, template: { Resources?: Record<string, CfnResource> }): RetainedResource[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(deletionPolicyOf(r) ?? 'Delete'))
    .filter(([, r]) => !r.Type.startsWith('AWS::IAM::') && r.Type !== 'AWS::KMS::Alias')
    .map(([logicalId, r]) => ({ stackName, logicalId, type: r.Type, policy: deletionPolicyOf(r)!, name: nameOf(r), retention: retentionOf(r) }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.logicalId.localeCompare(b.logicalId));
}

/** Stateful resources (the contract's table) that a stack's deletion would delete with their data. */
export function lostResources(
  stackName: string, template: { Resources?: Record<string, CfnResource> },
): Array<{ stackName: string; logicalId: string; type: string }> {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => isStateful(r.Type) && !policyKeepsData(r.Type, 'DeletionPolicy', deletionPolicyOf(r)!))
    .map(([logicalId, r]) => ({ stackName, logicalId, type: r.Type }));
}

function retentionOf(r: CfnResource): string {
  const p = r.Properties ?? {};
  switch (r.Type) {
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
      return deletionPolicyOf(r) === 'Snapshot'
        ? `final snapshot kept until deleted by hand (automated backups: ${String(p.BackupRetentionPeriod ?? 'default')} days; AWS Backup recovery points per the baseline plan)`
        : 'database kept running until deleted by hand';
    case 'AWS::Logs::LogGroup':
      return p.RetentionInDays ? `log events kept ${String(p.RetentionInDays)} days, then expire; the archive copy per the baseline` : 'log events kept indefinitely';
    case 'AWS::S3::Bucket':
      return 'bucket and objects kept, subject to its lifecycle rules';
    case 'AWS::KMS::Key':
      return 'key kept (still billed); schedule its deletion only after every snapshot, object and log it encrypts is gone';
    case 'AWS::SecretsManager::Secret':
      return 'secret kept until deleted by hand';
    case 'AWS::ECR::Repository':
      return 'repository and images kept, subject to its lifecycle policy';
    default:
      return 'kept until deleted by hand';
  }
}

export interface RetirementPlan {
  readonly team: string;
  readonly registryFile: string;
  /** Prod stacks' retained resources. */
  readonly retained: readonly RetainedResource[];
  /** Prod stacks' stateful resources that deleting the stack would delete with their data (none in a sound template). */
  readonly lost: ReadonlyArray<{ readonly stackName: string; readonly logicalId: string; readonly type: string }>;
  /** The procedure as Markdown with shell commands. */
  readonly text: string;
}

/**
 * The plan for one team of the registry. The prod template is synthesized for that team only
 * (`teams` filter, without the compliance gate) to list what its deletion retains.
 */
export function planRetirement(registry: Registry, teamId: string, options: { qualifier?: string } = {}): RetirementPlan {
  const team = registry.teams.find(t => t.id === teamId);
  if (!team) throw new InputError(`no team '${teamId}' in ${registry.directory}; teams: ${registry.teams.map(t => t.id).join(', ') || 'none'}`);
  const templates = synthesizeTeam(registry, teamId);
  const targets = teamTargets(registry, team);
  const prodTargets = targets.filter(t => t.prod);
  const retained = prodTargets.flatMap(t => retainedResources(t.stackName, templates[t.artifactId] ?? {}));
  const lost = prodTargets.flatMap(t => lostResources(t.stackName, templates[t.artifactId] ?? {}));
  const text = procedure(registry, team, targets, retained, lost, options.qualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER);
  return { team: teamId, registryFile: team.sourceFile, retained, lost, text };
}

function synthesizeTeam(registry: Registry, teamId: string): Record<string, { Resources?: Record<string, CfnResource> }> {
  const outdir = mkdtempSync(join(tmpdir(), 'springboard-retire-'));
  try {
    const app = createApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    buildPlatform(app, registry, { teams: [teamId] });
    const assembly = app.synth();
    return Object.fromEntries(assembly.stacks.map(s => [s.id, JSON.parse(readFileSync(join(assembly.directory, s.templateFile), 'utf8'))]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The commands that delete one stack, as the account's CDK deploy role, through its execution role. */
function deleteCommands(stackName: string, account: string, region: string, qualifier: string, protectedStack: boolean): string[] {
  const lines = [`# account ${account}, region ${region}: run with credentials of ${bootstrapRoleArn('deploy', account, region, qualifier)}`];
  if (protectedStack) lines.push(`aws cloudformation update-termination-protection --region ${region} --stack-name ${stackName} --no-enable-termination-protection`);
  lines.push(
    `aws cloudformation delete-stack --region ${region} --stack-name ${stackName} --role-arn ${bootstrapRoleArn('cfn-exec', account, region, qualifier)}`,
    `aws cloudformation wait stack-delete-complete --region ${region} --stack-name ${stackName}`,
  );
  return lines;
}

function procedure(
  registry: Registry, team: TeamSpec, targets: readonly StackTarget[], retained: readonly RetainedResource[],
  lost: RetirementPlan['lost'], qualifier: string,
): string {
  const { tooling } = registry.platform;
  const delivery = targets.filter(t => t.kind === 'delivery');
  const envs = targets.filter(t => t.kind === 'environment');
  const nonProd = envs.filter(t => !t.prod).reverse();
  const prod = envs.filter(t => t.prod);
  const block = (lines: string[]) => ['```sh', ...lines, '```'];
  const out: string[] = [
    `# Retiring ${team.id} (${team.displayName})`,
    '',
    `CDK and the platform pipelines never delete a stack by themselves: removing \`${team.sourceFile}\` from the registry only stops`,
    `Springboard from deploying ${team.id}. The commands below are what delete, in this order, and they name only ${team.id}'s stacks.`,
    'The baselines are shared by every team of an account and are never part of a retirement.',
    '',
    '## 1. Merge the registry change',
    '',
    `\`${team.sourceFile}\` is removed. Open a pull request; once it is merged, the platform pipeline no longer starts`,
    `\`${teamPlatformPipelineName(team.id)}\` and no longer plans ${team.id}'s stacks; its baseline waves remove ${team.id}'s own`,
    'entries from the shared baselines (nothing else in them changes).',
    '',
    `## 2. The team's pipelines first (tooling account ${tooling.account}), so nothing deploys ${team.id} again`,
    '',
    ...block([
      ...deleteCommands(teamPlatformPipelineStackName(team.id), tooling.account, tooling.region, qualifier, true),
      ...delivery.slice().reverse().flatMap(t => deleteCommands(t.stackName, t.account, t.region, qualifier, true)),
    ]),
    '',
    'The image repository is retained by its policy; delete it by hand when its images are no longer needed as evidence.',
    '',
    '## 3. The non-prod environments, last promoted first',
    '',
    ...block(nonProd.flatMap(t => deleteCommands(t.stackName, t.account, t.region, qualifier, false))),
    '',
    '## 4. Production: record what is retained, then delete the stack',
    '',
    'Deleting the prod stack keeps every resource below (DeletionPolicy in the synthesized prod template). Record their physical ids first:',
    '',
    ...block(prod.flatMap(t => [
      `aws cloudformation describe-stack-resources --region ${t.region} --stack-name ${t.stackName} > ${t.stackName}-resources.json`,
    ])),
    '',
    '| stack | resource | type | policy | name | retention |',
    '|---|---|---|---|---|---|',
    ...retained.map(r => `| ${r.stackName} | ${r.logicalId} | ${r.type} | ${r.policy} | ${r.name ?? '(generated; see the resources file)'} | ${r.retention} |`),
    '',
    ...(lost.length === 0 ? [] : [
      '**Stop: deleting the prod stack would delete these stateful resources with their data** (their DeletionPolicy keeps nothing).',
      'Set DeletionPolicy Retain or Snapshot on them and deploy that first, or export their data and have the loss accepted in writing:',
      '',
      ...lost.map(r => `- ${r.stackName} ${r.logicalId} (${r.type})`),
      '',
    ]),
    'Only after the service owner has confirmed in writing that the data above is retained as required (records schedule):',
    '',
    ...block(prod.flatMap(t => deleteCommands(t.stackName, t.account, t.region, qualifier, true))),
    '',
    '## 5. Afterwards',
    '',
    '- Retained data stays in the team\'s accounts, encrypted with its retained keys, until deleted under the records schedule.',
    `- Alarms, budgets and dashboards of ${team.id} went with its stacks; the portfolio drops it on the next platform release.`,
    '- To rename a team, retire the old id with this procedure and onboard the new id: names derive from the id, so a rename replaces everything.',
  ];
  return out.join('\n') + '\n';
}
