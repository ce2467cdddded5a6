/**
 * lib/contract/aws-addressing.ts carries no aws-cdk-lib (the templates copy it), so where aws-cdk-lib
 * knows the same fact (region partitions, the bootstrap's names), these tests hold the two together.
 */
import { DefaultStackSynthesizer } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  assumeDeployRoleLines, bootstrapRoleArn, bootstrapRoleName, bootstrapRolesArnPattern, consoleHost, DEFAULT_BOOTSTRAP_QUALIFIER,
  isSourceProvider, partitionOf, pipelineExecutionUrl, regionalConsoleOrigin, SOURCE_PROVIDERS,
} from '../../lib/contract';
import { verifyBuildSpec } from '../../lib/delivery/buildspecs';
import { jsonSchemaFor } from '../../lib/registry';

describe('partitions agree with aws-cdk-lib region facts', () => {
  test.each(RegionInfo.regions.map(r => [r.name, r.partition]))('%s is in %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  test('a region the contract has not seen gets its partition from its prefix', () => {
    expect(partitionOf('us-gov-north-9')).toBe('aws-us-gov');
    expect(partitionOf('ap-moon-1')).toBe('aws');
  });

  test('what is not a region name is refused with what was expected', () => {
    expect(() => partitionOf('useast1')).toThrow('"useast1" is not an AWS region name; expected a region such as us-east-1 or us-gov-west-1');
    expect(() => partitionOf('${Token[AWS.Region.1]}')).toThrow(/not an AWS region name/);
  });
});

describe('console addresses', () => {
  test('each partition with a console has its own host', () => {
    expect(consoleHost('us-east-1')).toBe('console.aws.amazon.com');
    expect(consoleHost('us-gov-west-1')).toBe('console.amazonaws-us-gov.com');
    expect(consoleHost('cn-north-1')).toBe('console.amazonaws.cn');
    expect(regionalConsoleOrigin('us-gov-east-1')).toBe('https://us-gov-east-1.console.amazonaws-us-gov.com');
  });

  test('a pipeline execution link opens in the pipeline\'s region and partition', () => {
    expect(pipelineExecutionUrl('us-gov-west-1', 'springboard-x', 'abc'))
      .toBe('https://console.amazonaws-us-gov.com/codesuite/codepipeline/pipelines/springboard-x/executions/abc/timeline?region=us-gov-west-1');
  });
});

describe('the CDK bootstrap names agree with aws-cdk-lib\'s default synthesizer', () => {
  const expand = (template: string, region: string) => template
    .replace('${AWS::Partition}', RegionInfo.get(region).partition!)
    .replace(/\$\{AWS::AccountId\}/g, '111111111111')
    .replace('${AWS::Region}', region)
    .replace('${Qualifier}', DefaultStackSynthesizer.DEFAULT_QUALIFIER);

  test('the default qualifier', () => {
    expect(DEFAULT_BOOTSTRAP_QUALIFIER).toBe(DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  });

  test.each([
    ['deploy', DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN],
    ['cfn-exec', DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN],
    ['file-publishing', DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN],
    ['image-publishing', DefaultStackSynthesizer.DEFAULT_IMAGE_ASSET_PUBLISHING_ROLE_ARN],
    ['lookup', DefaultStackSynthesizer.DEFAULT_LOOKUP_ROLE_ARN],
  ] as const)('the %s role, commercial and GovCloud', (purpose, template) => {
    for (const region of ['us-east-1', 'us-gov-west-1']) {
      expect(bootstrapRoleArn(purpose, '111111111111', region)).toBe(expand(template, region));
    }
  });

  test('the pattern of every bootstrap role of an account matches each of them', () => {
    const pattern = bootstrapRolesArnPattern('aws', '111111111111', 'abc');
    expect(`arn:aws:iam::111111111111:role/${bootstrapRoleName('deploy', '111111111111', 'us-east-1', 'abc')}`.startsWith(pattern.replace(/\*$/, ''))).toBe(true);
  });
});

describe('one way to take on a deploy role and one list of source hosts', () => {
  test('the verify step runs the contract\'s assume-role lines', () => {
    const script = JSON.stringify(verifyBuildSpec());
    for (const line of assumeDeployRoleLines('verify-$ENVIRONMENT_NAME-$CODEBUILD_BUILD_NUMBER')) expect(script).toContain(JSON.stringify(line).slice(1, -1));
  });

  test('the registry schema offers exactly the contract\'s source providers', () => {
    const schema = JSON.parse(jsonSchemaFor('team.schema.json'));
    expect(schema.properties.repository.properties.provider.enum).toEqual([...SOURCE_PROVIDERS]);
    expect(isSourceProvider('gitea')).toBe(false);
  });
});
