/**
 * Organisation controls Springboard does not create but its rule policy and acknowledgments rely
 * on: each missing one is named with the NIST 800-53 rev 5 control that assumes it.
 */
import {
  DescribeTrailsCommand, type DescribeTrailsCommandOutput, GetEventSelectorsCommand, type GetEventSelectorsCommandOutput,
  GetTrailStatusCommand, type GetTrailStatusCommandOutput, type Trail,
} from '@aws-sdk/client-cloudtrail';
import { DescribeConfigurationRecorderStatusCommand, type DescribeConfigurationRecorderStatusCommandOutput } from '@aws-sdk/client-config-service';
import { GetDetectorCommand, type GetDetectorCommandOutput, ListDetectorsCommand, type ListDetectorsCommandOutput } from '@aws-sdk/client-guardduty';
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import type { PlaceContext } from './place';
import { fail, type Finding, ok } from './types';

const G = 'org-controls';

/** Each control, the NIST control that assumes it, and why Springboard relies on it. */
export const ORG_CONTROLS = {
  cloudtrail: {
    check: 'CloudTrail',
    control: 'AU-2, AU-12',
    reliedOn: 'the rule policy records object and API access through CloudTrail (CT.S3.PR.4, AU-2) instead of per-bucket event notifications',
  },
  guardduty: { check: 'GuardDuty', control: 'SI-4', reliedOn: 'system monitoring for threats and unauthorised activity (the rule policy\'s SI-4 reasons assume it)' },
  securityhub: { check: 'Security Hub', control: 'CA-7', reliedOn: 'continuous monitoring of the accounts against the standards the gate checks at synth' },
  config: { check: 'AWS Config', control: 'CM-2, CM-8', reliedOn: 'the recorded configuration baseline and inventory the audit\'s synthesized evidence stands for' },
} as const;

const missing = (key: keyof typeof ORG_CONTROLS, detail: string, remedy: string): Finding => {
  const c = ORG_CONTROLS[key];
  return fail(G, c.check, `${detail}; ${c.control} assumes it: ${c.reliedOn}`, remedy, { control: c.control });
};
const present = (key: keyof typeof ORG_CONTROLS, detail: string): Finding =>
  ok(G, ORG_CONTROLS[key].check, detail, { control: ORG_CONTROLS[key].control });

/** Does a trail's configuration record management events (the default when it has no selectors)? */
function recordsManagementEvents(selectors: GetEventSelectorsCommandOutput): boolean {
  if (selectors.AdvancedEventSelectors?.length) {
    return selectors.AdvancedEventSelectors.some(s => s.FieldSelectors?.some(f => f.Field === 'eventCategory' && f.Equals?.includes('Management')));
  }
  if (selectors.EventSelectors?.length) return selectors.EventSelectors.some(s => s.IncludeManagementEvents !== false && s.ReadWriteType !== 'ReadOnly');
  return true;
}

export async function checkCloudTrail(ctx: PlaceContext): Promise<Finding> {
  const out = await ctx.send<DescribeTrailsCommandOutput>('cloudtrail', new DescribeTrailsCommand({ includeShadowTrails: true }));
  const trails: Trail[] = out.trailList ?? [];
  for (const trail of trails) {
    const name = trail.TrailARN ?? trail.Name!;
    const status = await ctx.send<GetTrailStatusCommandOutput>('cloudtrail', new GetTrailStatusCommand({ Name: name }));
    if (!status.IsLogging) continue;
    const selectors = await ctx.send<GetEventSelectorsCommandOutput>('cloudtrail', new GetEventSelectorsCommand({ TrailName: name }));
    if (recordsManagementEvents(selectors)) {
      return present('cloudtrail', `${trail.Name}${trail.IsOrganizationTrail ? ' (organisation trail)' : ''} logs management events`);
    }
  }
  const seen = trails.length === 0 ? 'no trail covers this region' : `${trails.length} trail(s), none logging write management events`;
  return missing('cloudtrail', seen, 'from the organisation\'s management account: aws cloudtrail create-trail --name org-trail --s3-bucket-name <log bucket> '
    + '--is-organization-trail --is-multi-region-trail && aws cloudtrail start-logging --name org-trail (or enable it in AWS Control Tower)');
}

export async function checkGuardDuty(ctx: PlaceContext): Promise<Finding> {
  const remedy = `aws guardduty create-detector --enable --region ${ctx.region} (credentials for ${ctx.account}), or enable it for the organisation from GuardDuty's delegated administrator`;
  const ids = (await ctx.send<ListDetectorsCommandOutput>('guardduty', new ListDetectorsCommand({}))).DetectorIds ?? [];
  if (ids.length === 0) return missing('guardduty', 'no GuardDuty detector in this region', remedy);
  const detector = await ctx.send<GetDetectorCommandOutput>('guardduty', new GetDetectorCommand({ DetectorId: ids[0] }));
  return detector.Status === 'ENABLED'
    ? present('guardduty', `detector ${ids[0]} enabled`)
    : missing('guardduty', `detector ${ids[0]} is ${detector.Status ?? 'not enabled'}`, `aws guardduty update-detector --detector-id ${ids[0]} --enable --region ${ctx.region}`);
}

export async function checkSecurityHub(ctx: PlaceContext): Promise<Finding> {
  try {
    await ctx.send('securityhub', new DescribeHubCommand({}));
    return present('securityhub', 'enabled');
  } catch (error) {
    const e = error as { name?: string; message?: string };
    // Security Hub answers a request to an account that never enabled it with this error, not "not found".
    if (e.name === 'ResourceNotFoundException' || (e.name === 'InvalidAccessException' && /not subscribed/i.test(e.message ?? ''))) {
      return missing('securityhub', 'not enabled in this region', `aws securityhub enable-security-hub --enable-default-standards --region ${ctx.region} `
        + `(credentials for ${ctx.account}), or from Security Hub's delegated administrator for the organisation`);
    }
    throw error;
  }
}

export async function checkConfig(ctx: PlaceContext): Promise<Finding> {
  const out = await ctx.send<DescribeConfigurationRecorderStatusCommandOutput>('config', new DescribeConfigurationRecorderStatusCommand({}));
  const recorders = out.ConfigurationRecordersStatus ?? [];
  const recording = recorders.find(r => r.recording);
  if (recording) return present('config', `recorder ${recording.name} is recording`);
  return missing('config', recorders.length === 0 ? 'no configuration recorder in this region' : `recorder ${recorders[0].name} is not recording`,
    `aws configservice start-configuration-recorder --configuration-recorder-name ${recorders[0]?.name ?? 'default'} --region ${ctx.region} `
    + '(create the recorder and delivery channel first if there is none, or enable AWS Config through AWS Control Tower)');
}
