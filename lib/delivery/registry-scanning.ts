/**
 * How the tooling account's private registry scans the teams' images (one setting per account and
 * region, so it lives in the tooling baseline, not in a team's stack). Basic scanning reads only
 * operating-system packages; enhanced scanning hands the registry to Amazon Inspector, which also
 * reads language packages (npm, pip, ...) and rescans as new vulnerabilities are published.
 */
import { CfnRegistryScanningConfiguration } from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import type { ImageScanType } from './build-projects';
import { PLATFORM_PREFIX } from '../contract';

export interface RegistryScanningProps {
  /** `_platform.yaml` `imageScanning`. */
  readonly mode: 'basic' | 'enhanced';
}

/** Every Springboard image repository (`springboard/<team>`). */
export const SCANNED_REPOSITORIES = `${PLATFORM_PREFIX}/*`;

/** The registry's scan type for a registry setting; the build's scan gate expects the same. */
export function imageScanType(mode: RegistryScanningProps['mode'] | undefined): ImageScanType {
  return mode === 'enhanced' ? 'ENHANCED' : 'BASIC';
}

export class RegistryScanning extends Construct {
  readonly configuration: CfnRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: RegistryScanningProps) {
    super(scope, id);
    const scanType = imageScanType(props.mode);
    this.configuration = new CfnRegistryScanningConfiguration(this, 'Configuration', {
      scanType,
      rules: [{
        // Basic: scan on push (the only automatic frequency it has). Enhanced: on push, then again as Inspector learns of new vulnerabilities.
        scanFrequency: scanType === 'ENHANCED' ? 'CONTINUOUS_SCAN' : 'SCAN_ON_PUSH',
        repositoryFilters: [{ filter: SCANNED_REPOSITORIES, filterType: 'WILDCARD' }],
      }],
    });
  }
}
