/**
 * Availability zones without a context lookup: an explicit `env` makes a VPC ask the CLI for the
 * account's zones, which fails offline (see CONVENTIONS). Zone names are per account, so instead of
 * guessing them from the region the template picks the region's first two zones at deploy time
 * (`Fn::GetAZs`), which also avoids hard-coded zone names.
 */
import { Fn } from 'aws-cdk-lib';

/** Zones an environment spreads over. */
export const ZONE_COUNT = 2;

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** The first ZONE_COUNT zones of the region, resolved by CloudFormation. */
export function availabilityZonesFor(region: string): string[] {
  if (!REGION_PATTERN.test(region)) {
    throw new Error(`region must be a concrete AWS region such as us-east-1 or us-gov-west-1, received "${region}"`);
  }
  return Array.from({ length: ZONE_COUNT }, (_, i) => Fn.select(i, Fn.getAzs(region)));
}
