/** One test per rule of the naming contract (docs/contracts.md). */
import * as fc from 'fast-check';
import * as naming from '../../lib/contract/naming';

const teamId = fc.stringMatching(/^[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,5}){0,3}$/).filter((id) => id.length <= naming.MAX_TEAM_ID_LENGTH);
const envName = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);

describe('team ids', () => {
  test('the longest id and environment still fit every derived name into its AWS limit', () => {
    const id = 'a'.repeat(naming.MAX_TEAM_ID_LENGTH);
    const env = 'e'.repeat(naming.MAX_ENVIRONMENT_NAME_LENGTH);
    expect(naming.checkDerivedNameLimits(id, [env])).toEqual([]);
    expect(naming.teamRoleName(id, 'p'.repeat(naming.MAX_ROLE_PURPOSE_LENGTH), env)).toHaveLength(naming.AWS_NAME_LIMITS.iamRoleName);
  });

  test('ids shaped like CloudFormation expressions or with doubled hyphens are not ids', () => {
    for (const bad of ['${AWS::AccountId}', 'Fn::Sub', 'a--b', '-a', 'a-', 'Team', '1team', 'a_b']) {
      expect(naming.TEAM_ID_PATTERN.test(bad)).toBe(false);
    }
    expect(naming.TEAM_ID_PATTERN.test('benefits-screener')).toBe(true);
  });
});

describe('stack names', () => {
  test('per team and environment, delivery, baseline and platform', () => {
    expect(naming.environmentStackName('pay', 'prod')).toBe('springboard-env-pay-prod');
    expect(naming.deliveryStackName('pay')).toBe('springboard-delivery-pay');
    expect(naming.baselineStackName('123456789012', 'us-east-1')).toBe('springboard-baseline-123456789012-us-east-1');
    expect(naming.platformStackName('portfolio')).toBe('springboard-platform-portfolio');
  });

  test('no two (team, environment) pairs share a stack name: pay/prod-east cannot exist', () => {
    expect(naming.ENVIRONMENT_NAME_PATTERN.test('prod-east')).toBe(false);
    fc.assert(
      fc.property(teamId, envName, teamId, envName, (t1, e1, t2, e2) => {
        fc.pre(t1 !== t2 || e1 !== e2);
        expect(naming.environmentStackName(t1, e1)).not.toBe(naming.environmentStackName(t2, e2));
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  test('stack kinds never collide: each kind has its own second segment', () => {
    const kinds = [naming.environmentStackName('a', 'b'), naming.deliveryStackName('a'), naming.baselineStackName('1', 'b'), naming.platformStackName('a')];
    expect(new Set(kinds.map((n) => n.split('-')[1]))).toEqual(new Set(['env', 'delivery', 'baseline', 'platform']));
  });
});

describe('the delivery pipeline', () => {
  test('is named for the team and the name reverses to the id', () => {
    expect(naming.pipelineName('benefits-screener')).toBe('springboard-benefits-screener');
    fc.assert(fc.property(teamId, (id) => naming.teamIdFromPipelineName(naming.pipelineName(id)) === id), { seed: 7, numRuns: 200 });
    expect(naming.teamIdFromPipelineName('someone-elses-pipeline')).toBeUndefined();
  });

  test('stages: Source, Build, then one per environment named for it, prod last as Prod', () => {
    expect([naming.SOURCE_STAGE_NAME, naming.BUILD_STAGE_NAME, ...['dev', 'staging', 'prod'].map(naming.environmentStageName)]).toEqual([
      'Source', 'Build', 'Dev', 'Staging', 'Prod',
    ]);
    expect(naming.PROD_STAGE_NAME).toBe('Prod');
  });

  test('the deploy action of the prod stage is its last action of category Deploy', () => {
    const actions = [{ category: 'Approval' }, { category: 'Deploy' }, { category: 'Deploy' }, { category: 'Test' }];
    expect(naming.prodDeployActionIndex(actions)).toBe(2);
    expect(naming.prodDeployActionIndex([{ category: 'Approval' }])).toBe(-1);
  });
});

describe('roles and other names', () => {
  test('deploy and pipeline roles', () => {
    expect(naming.deployRoleName('pay', 'staging')).toBe('springboard-pay-staging-deploy');
    expect(naming.pipelineRoleName('pay')).toBe('springboard-pay-pipeline');
  });

  test('image repository, release parameter, alert topic, log group', () => {
    expect(naming.imageRepositoryName('pay')).toBe('springboard/pay');
    expect(naming.releaseParameterName('pay', 'prod')).toBe('/springboard/pay/prod/release');
    expect(naming.alertTopicName('pay', 'prod')).toBe('springboard-pay-prod-alerts');
    expect(naming.serviceLogGroupName('pay', 'prod')).toBe('/springboard/pay/prod/service');
  });
});

describe('delivery names', () => {
  test('topic, projects and artifact key of a team pipeline', () => {
    expect(naming.deliveryTopicName('pay')).toBe('springboard-pay-delivery');
    expect(naming.deliveryProjectName('pay', 'build')).toBe('springboard-pay-build');
    expect(naming.deliveryProjectName('pay', 'verify')).toBe('springboard-pay-verify');
    expect(naming.deliveryKeyAlias('pay')).toBe('alias/springboard-pay-delivery');
    expect(naming.serviceName('pay', 'prod')).toBe('springboard-pay-prod');
  });

  test('a delivery stack in another region keeps the stack name; its construct id cannot be another team\'s', () => {
    expect(naming.deliveryRegionStackId('pay', 'us-west-2')).toBe('springboard-delivery-pay--us-west-2');
    fc.assert(fc.property(teamId, teamId, (t1, t2) => naming.deliveryRegionStackId(t1, 'us-west-2') !== naming.deliveryStackName(t2)), { seed: 7, numRuns: 200 });
  });

  test('the delivery topic never equals an alert topic', () => {
    const distinct = fc.property(teamId, teamId, envName, (t1, t2, e) => naming.deliveryTopicName(t1) !== naming.alertTopicName(t2, e));
    fc.assert(distinct, { seed: 7, numRuns: 200 });
  });
});

test('tag keys', () => {
  expect(Object.values(naming.TAG_KEYS)).toEqual(['Team', 'Environment', 'ProgramOffice', 'CostCenter', 'DataClassification', 'ManagedBy']);
  expect(naming.MANAGED_BY_VALUE).toBe('springboard');
});

test('where the compliance verdict and acknowledgments are written', () => {
  expect(naming.COMPLIANCE_REPORT_FILE).toBe('springboard-compliance.json');
  expect(naming.ACKNOWLEDGMENT_METADATA_KEY).toBe('springboard:acknowledgments');
});

describe('platform pipelines', () => {
  test('the platform pipeline and one per team, with their stacks', () => {
    expect(naming.PLATFORM_PIPELINE_NAME).toBe('springboard--platform');
    expect(naming.teamPlatformPipelineName('pay')).toBe('springboard--platform--pay');
    expect(naming.PLATFORM_PIPELINE_STACK_NAME).toBe('springboard-platform-pipeline');
    expect(naming.teamPlatformPipelineStackName('pay')).toBe('springboard-platform-deploy-pay');
  });

  test('never collide with a team pipeline, and discovery never reads them as a team', () => {
    fc.assert(
      fc.property(teamId, teamId, (a, b) => {
        expect(naming.teamPlatformPipelineName(a)).not.toBe(naming.pipelineName(b));
        expect(naming.PLATFORM_PIPELINE_NAME).not.toBe(naming.pipelineName(b));
        expect(naming.teamIdFromPipelineName(naming.teamPlatformPipelineName(a))).toBeUndefined();
      }),
      { seed: 7, numRuns: 300 },
    );
    expect(naming.teamIdFromPipelineName(naming.PLATFORM_PIPELINE_NAME)).toBeUndefined();
  });

  test('fit their limits for the longest team id', () => {
    const id = 'a'.repeat(naming.MAX_TEAM_ID_LENGTH);
    expect(naming.teamPlatformPipelineName(id).length).toBeLessThanOrEqual(naming.AWS_NAME_LIMITS.pipelineName);
    expect(naming.teamPlatformPipelineStackName(id).length).toBeLessThanOrEqual(naming.AWS_NAME_LIMITS.stackName);
  });
});

describe('reverse lookup of environment stacks', () => {
  test('parseEnvironmentStackName inverts environmentStackName exactly, for any team and environment', () => {
    fc.assert(fc.property(teamId, envName, (team, env) => {
      expect(naming.parseEnvironmentStackName(naming.environmentStackName(team, env))).toEqual({ teamId: team, environment: env });
    }));
  });

  test('a team id that ends another (apply, zeta-apply) is never confused with it', () => {
    expect(naming.parseEnvironmentStackName('springboard-env-zeta-apply-prod')).toEqual({ teamId: 'zeta-apply', environment: 'prod' });
    expect(naming.parseEnvironmentStackName('springboard-env-apply-prod')).toEqual({ teamId: 'apply', environment: 'prod' });
  });

  test('names that are not environment stacks are refused', () => {
    for (const name of ['springboard-delivery-apply', 'springboard-env-prod', 'springboard-env--prod', 'springboard-env-Apply-prod', 'other-env-apply-prod', 'springboard-env-apply-Prod']) {
      expect(naming.parseEnvironmentStackName(name)).toBeUndefined();
    }
  });
});
