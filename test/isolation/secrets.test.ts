/**
 * Who can read a service's secret, evaluated on the synthesized example registry (teams/, whose
 * team reads PARTNER_API_KEY from SSM) and a copy of its team in the same accounts: for every role
 * of the assembly, `ssm:GetParameters` on the parameter (tagged with its team, as the boundary
 * requires on create) and `kms:Decrypt` of its value through SSM with the environment key's own
 * policy. Only the owning environment's task execution role may do both; the escalation engine
 * then shows no principal of the other team reaches one that can.
 */
import * as path from 'path';
import { environmentStackName, TAG_KEYS } from '../../lib/contract';
import { RESERVE_SECRETS_SID } from '../../lib/environment/service-secrets';
import { EVERYTHING, closureOf } from '../../lib/escalation';
import { buildIamModel, IamModel, PolicyDocument, ResourceModel, RoleModel } from '../../lib/escalation/assembly/iam-model';
import { loadRegistry } from '../../lib/registry';
import type { EnvironmentSpec, Registry, TeamSpec } from '../../lib/registry/types';
import { escalationGraph, evaluateWithSimulator, teamStarts } from '../support/iam/escalation';
import { withMutation } from '../support/iam/mutate';
import { synthesizePlatform } from '../support/iam/platform';
import { identityPoliciesOf, simulate } from '../support/iam/simulate';

const EXAMPLE = loadRegistry(path.join(__dirname, '..', '..', 'teams'));
const FIRST = EXAMPLE.teams[0];
const SECOND_ID = `${FIRST.id}-copy`;
/** The example entry under another id, reading a parameter of its own name in the same accounts. */
const SECOND: TeamSpec = {
  ...FIRST,
  id: SECOND_ID,
  repository: { ...FIRST.repository, name: `${FIRST.repository.name}-copy` },
  environments: FIRST.environments.map(e => ({ ...e, secrets: e.secrets.map(s => ({ ...s, arn: s.arn.replace(`/${FIRST.id}/`, `/${SECOND_ID}/`) })) })),
  sourceFile: `teams/${SECOND_ID}.yaml`,
};
const REG: Registry = { ...EXAMPLE, teams: [FIRST, SECOND].sort((a, b) => a.id.localeCompare(b.id)) };
// Synthesized once for the file.
const { stacks, model } = synthesizePlatform(REG);
const region = REG.platform.tooling.region;

interface SecretTarget {
  readonly team: TeamSpec;
  readonly env: EnvironmentSpec;
  readonly arn: string;
  readonly key: ResourceModel;
}

function targetsOf(m: IamModel): SecretTarget[] {
  return REG.teams.flatMap(team => team.environments.flatMap(env => env.secrets.map(secret => {
    const stackName = environmentStackName(team.id, env.name);
    const key = m.resources.find(r => r.stackName === stackName && r.type === 'AWS::KMS::Key');
    if (!key) throw new Error(`no key in ${stackName}`);
    return { team, env, arn: secret.arn, key };
  })));
}

/** Both requests the task start makes for one parameter: read it, decrypt its value through SSM. */
async function canRead(
  m: IamModel, role: RoleModel, target: SecretTarget, identityPolicies?: PolicyDocument[],
): Promise<{ read: string; decrypt: string }> {
  const account = target.env.account;
  const read = await simulate(m, {
    role, action: 'ssm:GetParameters', identityPolicies, resource: { arn: target.arn, account, tags: { [TAG_KEYS.team]: target.team.id } },
  });
  const decrypt = await simulate(m, {
    role,
    action: 'kms:Decrypt',
    identityPolicies,
    resource: { arn: target.key.arn, account, tags: target.key.tags, policy: target.key.policy },
    context: { 'kms:ViaService': `ssm.${target.env.region}.amazonaws.com`, 'kms:EncryptionContextKeys': ['PARAMETER_ARN'] },
  });
  return { read: read.decision, decrypt: decrypt.decision };
}

/** A role attaching an AWS-managed policy the tests do not hold is taken to hold everything (the safe side). */
function knownPolicies(m: IamModel, role: RoleModel): PolicyDocument[] | undefined {
  try {
    identityPoliciesOf(m, role);
    return undefined;
  } catch {
    return [EVERYTHING];
  }
}

/** Every role of the assembly that can both read and decrypt the target's value. */
async function readersOf(m: IamModel, target: SecretTarget): Promise<string[]> {
  const readers: string[] = [];
  for (const role of m.roles) {
    const { read, decrypt } = await canRead(m, role, target, knownPolicies(m, role));
    if (read === 'Allowed' && decrypt === 'Allowed') readers.push(`${role.stackName}/${role.logicalId}`);
  }
  return readers;
}

/** The execution role of the target's environment, as the task definition names it. */
function executionRoleOf(m: IamModel, target: SecretTarget): string {
  const stackName = environmentStackName(target.team.id, target.env.name);
  const stack = m.stacks.find(s => s.stackName === stackName)!;
  const task = Object.values(stack.template.Resources ?? {}).find(r => r.Type === 'AWS::ECS::TaskDefinition')!;
  return `${stackName}/${(task.Properties as any).ExecutionRoleArn['Fn::GetAtt'][0]}`;
}

const targets = targetsOf(model);

test('every environment of both teams reads one secret (the example\'s PARTNER_API_KEY), each a parameter of its own account', () => {
  expect(targets.map(t => `${t.team.id}/${t.env.name}: ${t.arn}`)).toEqual(REG.teams.flatMap(team => team.environments.map(env =>
    `${team.id}/${env.name}: arn:aws:ssm:${env.region}:${env.account}:parameter/${team.id}/partner-api-key`)));
});

describe.each(targets.map(t => [`${t.team.id}/${t.env.name}`, t] as const))('the secret of %s', (_label, target) => {
  test('of every role Springboard deploys, only that environment\'s task execution role can read and decrypt it', async () => {
    expect(await readersOf(model, target)).toEqual([executionRoleOf(model, target)]);
  });

  test('a principal of its own team holding everything its boundary permits may read the parameter but is refused its decryption by the key policy', async () => {
    const graph = escalationGraph(model, REG.platform.tooling.account);
    const start = teamStarts(graph, target.team.id).find(p => p.account === target.env.account && !p.origin.includes('delivery'))!;
    const role = model.roles.find(r => r.arn === start.arn)!;
    expect(await canRead(model, role, target, [EVERYTHING])).toEqual({ read: 'Allowed', decrypt: 'ExplicitlyDenied' });
  });
});

test('no principal of the other team, holding everything its boundaries permit, reaches a role that can read a secret of this team (escalation engine)', async () => {
  const graph = escalationGraph(model, REG.platform.tooling.account);
  const readers = new Set(targets.map(t => executionRoleOf(model, t)));
  const readerArns = new Set(model.roles.filter(r => readers.has(`${r.stackName}/${r.logicalId}`)).map(r => r.arn));
  for (const team of REG.teams) {
    const ownReaders = [...readerArns].filter(arn => graph.principals.find(p => p.arn === arn)?.tags[TAG_KEYS.team] === team.id);
    expect(ownReaders.length).toBe(team.environments.length);
    for (const start of teamStarts(graph, team.id === FIRST.id ? SECOND_ID : FIRST.id)) {
      const closure = await closureOf(graph, start, evaluateWithSimulator, { region });
      expect(closure.reached.map(p => p.arn).filter(arn => ownReaders.includes(arn))).toEqual([]);
    }
  }
});

test('mutation: without the key policy\'s reservation, a grant slipped to the application\'s task role lets it read the secret, and the check reports it', async () => {
  const target = targets[0];
  const stackName = environmentStackName(target.team.id, target.env.name);
  const broken = buildIamModel(withMutation(stacks, stackName, template => {
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type === 'AWS::KMS::Key') {
        const statements = resource.Properties.KeyPolicy.Statement;
        resource.Properties.KeyPolicy.Statement = statements.filter((s: any) => !String(s.Sid ?? '').startsWith(RESERVE_SECRETS_SID));
      }
      if (resource.Type === 'AWS::IAM::Policy' && /TaskRole/.test(JSON.stringify(resource.Properties.Roles))) {
        resource.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: ['ssm:GetParameters', 'kms:Decrypt'], Resource: '*' });
      }
    }
  }));
  const readers = await readersOf(broken, targetsOf(broken)[0]);
  expect(readers).toContain(executionRoleOf(broken, target));
  expect(readers).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${stackName}/ServiceTaskDefinitionTaskRole`))]));
});

test('mutation: with the reservation in place, the same slipped grant is still refused decryption (the key policy is the wall)', async () => {
  const target = targets[0];
  const stackName = environmentStackName(target.team.id, target.env.name);
  const granted = buildIamModel(withMutation(stacks, stackName, template => {
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type === 'AWS::IAM::Policy' && /TaskRole/.test(JSON.stringify(resource.Properties.Roles))) {
        resource.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: ['ssm:GetParameters', 'kms:Decrypt'], Resource: '*' });
      }
    }
  }));
  expect(await readersOf(granted, targetsOf(granted)[0])).toEqual([executionRoleOf(granted, target)]);
});
