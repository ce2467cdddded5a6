/**
 * Strict shapes of the ARNs a team names in the registry (its source connection and its load
 * balancers' certificates). Anything looser would let a harmless-looking line grant a pipeline
 * every connection of an account, or serve another team's certificate.
 */

import { partitionOf } from '../contract/aws-addressing';

/** The AWS partition a region belongs to; an ARN of that region must name this partition. */
export const partitionOfRegion = partitionOf;

const REGION = '[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\\d';
/** A region name, as the registry's `region` fields accept it. */
export const REGION_PATTERN = new RegExp(`^${REGION}$`);

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export type ArnKind = 'connection' | 'certificate';

interface ArnShape {
  readonly services: readonly string[];
  readonly resource: string;
  readonly what: string;
  readonly example: string;
}

const SHAPES: Readonly<Record<ArnKind, ArnShape>> = {
  connection: {
    services: ['codeconnections', 'codestar-connections'],
    resource: 'connection',
    what: 'a CodeConnections connection ARN',
    example: 'arn:aws:codeconnections:us-east-1:111111111111:connection/6f1d3a52-0c4e-4b8a-9f0e-2d7c5b1a9e34',
  },
  certificate: {
    services: ['acm'],
    resource: 'certificate',
    what: 'an ACM certificate ARN',
    example: 'arn:aws:acm:us-east-1:333333333333:certificate/0b9a6f2e-3c1d-4e5f-8a7b-9c0d1e2f3a4b',
  },
};

/** Where an ARN points: enough to check it against the account and region that use it. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly id: string;
}

/** The strict shape of an ARN of this kind (one resource by its id: no wildcard can match). */
export function arnPattern(kind: ArnKind): RegExp {
  const shape = SHAPES[kind];
  return new RegExp(`^arn:(aws(?:-[a-z]+)*):(${shape.services.join('|')}):(${REGION}):(\\d{12}):${shape.resource}/(${UUID})$`);
}

/** The ARN's parts when it has the strict shape of its kind; undefined otherwise. */
export function parseArn(kind: ArnKind, value: string): ParsedArn | undefined {
  const match = arnPattern(kind).exec(value);
  if (!match) return undefined;
  return { partition: match[1], service: match[2], region: match[3], account: match[4], id: match[5] };
}

/** The "expected …" text for a value that does not have the strict shape. */
export function arnShapeText(kind: ArnKind): string {
  const shape = SHAPES[kind];
  return `${shape.what} naming one ${shape.resource} by its id, no wildcards: `
    + `arn:<partition>:${shape.services[0]}:<region>:<12-digit account>:${shape.resource}/<lower-case UUID>, like ${shape.example}`;
}

/** What is wrong with the partition of a well-shaped ARN, as the "expected …" text; undefined when it fits its region. */
export function arnPartitionProblem(kind: ArnKind, value: string): string | undefined {
  const parsed = parseArn(kind, value);
  if (!parsed) return undefined;
  const partition = partitionOfRegion(parsed.region);
  if (parsed.partition === partition) return undefined;
  return `partition ${partition} for a ${SHAPES[kind].resource} in ${parsed.region} (arn:${partition}:${parsed.service}:${parsed.region}:…)`;
}
