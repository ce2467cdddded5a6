/**
 * ECR scan findings of one image digest, counted by severity. A scan that is missing, failed or
 * still running gives no counts at all (never zero): only a complete scan can say an image is clean.
 * Under enhanced scanning (Amazon Inspector) each critical carries the time it was first observed;
 * under basic scanning the image's scan time stands in for it (the finding is at least that old).
 */
import {
  DescribeImageScanFindingsCommand, type DescribeImageScanFindingsCommandInput, type DescribeImageScanFindingsCommandOutput,
} from '@aws-sdk/client-ecr';
import type { CountingApi } from '../history';
import { unwrapSdkError } from '../pacing';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What became of the image's scan. */
export type ScanState = 'complete' | 'missing' | 'failed' | 'pending';

export interface CriticalFinding {
  readonly id: string;
  /** Enhanced scanning's first observation; null under basic scanning. */
  readonly firstObservedAt: Date | null;
}

export interface ScanResult {
  readonly state: ScanState;
  /** ECR's status word (COMPLETE, ACTIVE, FAILED, ...) or `NOT_FOUND`. */
  readonly status: string;
  readonly description?: string;
  /** Null unless the scan is complete. */
  readonly counts: Readonly<Record<Severity, number>> | null;
  readonly scanCompletedAt: Date | null;
  /** Criticals with their first observation; empty under basic scanning or when there are none. */
  readonly criticals: readonly CriticalFinding[];
  readonly enhanced: boolean;
}

const FAILED = new Set(['FAILED', 'UNSUPPORTED_IMAGE', 'SCAN_ELIGIBILITY_EXPIRED', 'FINDINGS_UNAVAILABLE', 'LIMIT_EXCEEDED', 'IMAGE_ARCHIVED']);
const PENDING = new Set(['IN_PROGRESS', 'PENDING']);
const PAGE_SIZE = 1000;

function zeroCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export async function readScanFindings(
  ecr: CountingApi, image: { readonly registryId: string; readonly repositoryName: string; readonly digest: string },
): Promise<ScanResult> {
  const input: DescribeImageScanFindingsCommandInput = {
    registryId: image.registryId,
    repositoryName: image.repositoryName,
    imageId: { imageDigest: image.digest },
    maxResults: PAGE_SIZE,
  };
  let first: DescribeImageScanFindingsCommandOutput;
  try {
    first = await ecr.send<DescribeImageScanFindingsCommandOutput>(new DescribeImageScanFindingsCommand(input));
  } catch (error) {
    const name = unwrapSdkError(error).name;
    if (name === 'ScanNotFoundException' || name === 'ImageNotFoundException') {
      return { state: 'missing', status: 'NOT_FOUND', description: name, counts: null, scanCompletedAt: null, criticals: [], enhanced: false };
    }
    throw error;
  }
  const status = first.imageScanStatus?.status ?? 'UNKNOWN';
  const description = first.imageScanStatus?.description;
  const findings = first.imageScanFindings;
  const enhanced = findings?.enhancedFindings !== undefined || status === 'ACTIVE';
  if (FAILED.has(status)) return { state: 'failed', status, description, counts: null, scanCompletedAt: null, criticals: [], enhanced };
  if (PENDING.has(status) || !findings) {
    return { state: PENDING.has(status) ? 'pending' : 'missing', status, description, counts: null, scanCompletedAt: null, criticals: [], enhanced };
  }
  const counts = zeroCounts();
  for (const [severity, n] of Object.entries(findings.findingSeverityCounts ?? {})) {
    const key = (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : 'UNDEFINED';
    counts[key] += n ?? 0;
  }
  const criticals = enhanced && counts.CRITICAL > 0 ? await readEnhancedCriticals(ecr, input, first) : [];
  return { state: 'complete', status, description, counts, scanCompletedAt: findings.imageScanCompletedAt ?? null, criticals, enhanced };
}

/** Every critical of an enhanced scan, over every page (the first page is already read). */
async function readEnhancedCriticals(
  ecr: CountingApi, input: DescribeImageScanFindingsCommandInput, first: DescribeImageScanFindingsCommandOutput,
): Promise<CriticalFinding[]> {
  const criticals: CriticalFinding[] = [];
  let page: DescribeImageScanFindingsCommandOutput | undefined = first;
  while (page) {
    for (const f of page.imageScanFindings?.enhancedFindings ?? []) {
      if (f.severity !== 'CRITICAL') continue;
      criticals.push({ id: f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title ?? f.findingArn ?? 'unnamed', firstObservedAt: f.firstObservedAt ?? null });
    }
    page = page.nextToken
      ? await ecr.send<DescribeImageScanFindingsCommandOutput>(new DescribeImageScanFindingsCommand({ ...input, nextToken: page.nextToken }))
      : undefined;
  }
  return criticals;
}
