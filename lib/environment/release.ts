/**
 * The release record: the image tag a team has released to an environment lives in the SSM
 * parameter `releaseParameterName(team, env)`, outside this stack. The stack reads it at every
 * deploy (an SSM-typed CloudFormation parameter), so a platform deploy runs exactly what the team
 * released, and it runs no task at all while the record says `unreleased`. See docs/releases.md.
 */
import { CfnCondition, CfnParameter, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { imageRepositoryName, releaseParameterName } from '../contract';

/** Value of a release record before the team's first release. */
export const UNRELEASED = 'unreleased';

export interface ReleaseRecordProps {
  readonly teamId: string;
  readonly environment: string;
  /** Account and region of the team's image repository (the tooling account). */
  readonly repositoryAccount: string;
  readonly repositoryRegion: string;
}

export class ReleaseRecord extends Construct {
  /** The released tag, resolved by CloudFormation at deploy time. */
  readonly imageTag: string;
  /** True once the team has released an image to this environment. */
  readonly released: CfnCondition;
  /** ARN of the team's image repository (for pull permissions). */
  readonly repositoryArn: string;
  /** `<registry>/<repository>:<released tag>`. */
  readonly imageUri: string;

  constructor(scope: Construct, id: string, props: ReleaseRecordProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const tag = new CfnParameter(this, 'ImageTag', {
      type: 'AWS::SSM::Parameter::Value<String>',
      default: releaseParameterName(props.teamId, props.environment),
      description: 'SSM parameter holding the released image tag (written by the team pipeline, never by the platform)',
    });
    this.imageTag = tag.valueAsString;
    this.released = new CfnCondition(this, 'Released', { expression: Fn.conditionNot(Fn.conditionEquals(this.imageTag, UNRELEASED)) });
    const repository = imageRepositoryName(props.teamId);
    this.repositoryArn = stack.formatArn({
      service: 'ecr', account: props.repositoryAccount, region: props.repositoryRegion, resource: 'repository', resourceName: repository,
    });
    this.imageUri = `${props.repositoryAccount}.dkr.ecr.${props.repositoryRegion}.${stack.urlSuffix}/${repository}:${this.imageTag}`;
  }

  /** `count` once released, 0 before: a new team's first deploy starts no task and waits for no image. */
  desiredCount(count: number): number {
    return Token.asNumber(Fn.conditionIf(this.released.logicalId, count, 0));
  }
}
