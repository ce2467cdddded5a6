/**
 * The customised bootstrap: the checked-in templates are exactly the base (`cdk bootstrap
 * --show-template`) with the trusted accounts narrowed to the named deploy roles; evaluated with
 * iam-simulate, each template's roles let in the synthesized pipeline roles of their kind and no
 * other principal of the tooling account; `springboard bootstrap` gives each account the template
 * of the roles that deploy into it. Mutation: the base's trust lets in the Synth role.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { parse } from 'yaml';
import { PlatformDeployKind } from '../../lib/contract';
import {
  BOOTSTRAP_BASE_TEMPLATE, BOOTSTRAP_TEMPLATES, bootstrapCommands, customiseBootstrapTemplate, TRUSTING_ROLES,
} from '../../lib/platform-pipeline/bootstrap';
import { loadRegistry } from '../../lib/registry';
import { deployedTrust } from '../support/bootstrap-trust';
import { runSpringboard } from '../support/cli';
import { synthesizePlatform } from '../support/iam/platform';
import { EXAMPLE_REGISTRY } from '../support/registry-files';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const REG = loadRegistry(EXAMPLE_REGISTRY);
const TOOLING = REG.platform.tooling.account;
const { model } = synthesizePlatform(REG);
const pipelineRoles = model.roles.filter(r => r.stackName.startsWith('springboard-platform-'));
const rolesOf = (kind: PlatformDeployKind) => pipelineRoles.filter(r => r.name.endsWith(kind === 'prod' ? '-prod-deploy' : '-nonprod-deploy') && !(kind === 'prod' && r.name.endsWith('-nonprod-deploy')));

async function mayAssume(trust: any, principalArn: string, account: string): Promise<string> {
  const name = principalArn.split('/').pop();
  const result = await runSimulation({
    request: {
      principal: `arn:aws:sts::${TOOLING}:assumed-role/${name}/session`,
      action: 'sts:AssumeRole',
      resource: { resource: `arn:aws:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-us-east-1`, accountId: account },
      contextVariables: { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': TOOLING },
    },
    identityPolicies: [{ name: 'assume', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trust,
  }, { simulationMode: 'Strict' });
  if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
  return result.overallResult;
}

describe('the customised bootstrap templates', () => {
  const base = read(BOOTSTRAP_BASE_TEMPLATE);
  const templates = { 'non-prod': parse(read(BOOTSTRAP_TEMPLATES['non-prod'])), 'prod': parse(read(BOOTSTRAP_TEMPLATES.prod)) };

  test('are the base (cdk bootstrap --show-template) customised, as springboard bootstrap --write-templates writes them', () => {
    expect(base).toContain('Description: This stack includes resources needed to deploy AWS CDK apps into this environment');
    for (const kind of ['non-prod', 'prod'] as const) expect(read(BOOTSTRAP_TEMPLATES[kind])).toBe(customiseBootstrapTemplate(base, kind));
  });

  test('change nothing but the trust of the deploy, publishing and lookup roles (and the description)', () => {
    const original = parse(base);
    for (const kind of ['non-prod', 'prod'] as const) {
      const t = templates[kind];
      expect(Object.keys(t.Resources)).toEqual(Object.keys(original.Resources));
      for (const [id, r] of Object.entries<any>(t.Resources)) {
        if ((TRUSTING_ROLES as readonly string[]).includes(id)) {
          const withoutTrust = (props: any) => ({ ...props, AssumeRolePolicyDocument: undefined });
          expect(withoutTrust(r.Properties)).toEqual(withoutTrust(original.Resources[id].Properties));
        } else {
          expect(r).toEqual(original.Resources[id]);
        }
      }
      expect(t.Parameters).toEqual(original.Parameters);
    }
  });

  test('the synthesized pipeline roles\' names are what each template trusts: its own kind, never the other, never the Synth role (iam-simulate)', async () => {
    expect(rolesOf('prod').map(r => r.name).sort()).toEqual(['springboard--platform--benefits-screener-prod-deploy', 'springboard--platform-prod-deploy']);
    expect(rolesOf('non-prod').map(r => r.name).sort()).toEqual(['springboard--platform--benefits-screener-nonprod-deploy', 'springboard--platform-nonprod-deploy']);
    const others = pipelineRoles.filter(r => !r.name.endsWith('-deploy'));
    expect(others.length).toBeGreaterThan(5);
    for (const kind of ['non-prod', 'prod'] as const) {
      const other = kind === 'prod' ? 'non-prod' : 'prod';
      for (const roleId of TRUSTING_ROLES) {
        const trust = deployedTrust(templates[kind], roleId, '222222222222', [TOOLING]);
        for (const r of rolesOf(kind)) expect([roleId, r.name, await mayAssume(trust, r.arn, '222222222222')]).toEqual([roleId, r.name, 'Allowed']);
        for (const r of [...rolesOf(other), ...others]) expect([roleId, r.name, await mayAssume(trust, r.arn, '222222222222')]).toEqual([roleId, r.name, 'ImplicitlyDenied']);
      }
    }
  }, 120_000);

  test('mutation: the base template\'s trust (the whole tooling account) lets the Synth role assume the deploy role', async () => {
    const synth = pipelineRoles.find(r => r.logicalId.startsWith('PipelineSynthRole'))!;
    expect(await mayAssume(deployedTrust(parse(base), 'DeploymentActionRole', '222222222222', [TOOLING]), synth.arn, '222222222222')).toBe('Allowed');
    expect(await mayAssume(deployedTrust(templates['non-prod'], 'DeploymentActionRole', '222222222222', [TOOLING]), synth.arn, '222222222222')).toBe('ImplicitlyDenied');
  });
});

describe('springboard bootstrap', () => {
  test('gives each account the template of the roles that deploy into it, trusting the tooling account', () => {
    const commands = bootstrapCommands(REG);
    expect(commands.map(c => [c.account, c.kind])).toEqual([['111111111111', 'prod'], ['222222222222', 'non-prod'], ['333333333333', 'prod']]);
    // The accounts each kind of role may assume into (its policy) are bootstrapped with that kind's template.
    for (const kind of ['non-prod', 'prod'] as const) {
      const accounts = rolesOf(kind).flatMap(r => JSON.stringify(r.identityPolicies.map(p => p.policy)).match(/iam::(\d{12}):role\/cdk-hnb659fds-\*/g) ?? [])
        .map(m => m.slice(5, 17));
      expect(accounts.length).toBeGreaterThan(0);
      for (const a of accounts) expect([a, commands.find(c => c.account === a)!.kind]).toEqual([a, kind]);
    }
    for (const c of commands) {
      expect(c.command).toContain(`--template ${BOOTSTRAP_TEMPLATES[c.kind]}`);
      expect(c.command.includes(`--trust ${TOOLING}`)).toBe(c.account !== TOOLING);
    }
  });

  test('prints the exact command per account and region', async () => {
    const run = await runSpringboard(['bootstrap', '--registry', EXAMPLE_REGISTRY]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('npx cdk bootstrap aws://222222222222/us-east-1 --template bootstrap/springboard-bootstrap-nonprod.yaml --trust 111111111111 '
      + '--cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess');
    expect(run.stdout).toContain('npx cdk bootstrap aws://111111111111/us-east-1 --template bootstrap/springboard-bootstrap-prod.yaml --cloudformation-execution-policies');
  });
});
