/**
 * A team's stack in the tooling account. Today it holds the team's image repository; the delivery
 * pipeline (a later issue) joins it here, next to the images it pushes.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { applyPermissionsBoundary, applyTags } from '../baseline';
import { deliveryStackName, MANAGED_BY_VALUE, TAG_KEYS } from '../contract';
import { ImageRepository } from '../environment';
import type { PlatformSettings, TeamSpec } from '../registry/types';

export interface DeliveryStackProps extends StackProps {
  readonly team: TeamSpec;
  readonly platform: PlatformSettings;
}

export class DeliveryStack extends Stack {
  readonly images: ImageRepository;

  constructor(scope: App | Construct, id: string, props: DeliveryStackProps) {
    const { team, platform } = props;
    super(scope, id, {
      ...props,
      stackName: deliveryStackName(team.id),
      env: { account: platform.tooling.account, region: platform.tooling.region },
      description: `Springboard delivery of ${team.id} (${team.displayName}): image repository`,
      terminationProtection: true,
      analyticsReporting: false,
    });
    this.images = new ImageRepository(this, 'Images', { teamId: team.id, pullAccounts: team.environments.map(e => e.account) });
    applyPermissionsBoundary(this, platform.permissionsBoundaryName);
    applyTags(this, {
      [TAG_KEYS.team]: team.id,
      [TAG_KEYS.programOffice]: team.programOffice,
      [TAG_KEYS.costCenter]: team.costCenter,
      [TAG_KEYS.dataClassification]: team.dataClassification,
      [TAG_KEYS.managedBy]: MANAGED_BY_VALUE,
    }, platform.tags);
  }
}
