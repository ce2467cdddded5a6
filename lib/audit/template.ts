/**
 * The template model the checks read: one resource with its place in the fleet. Checks are pure
 * functions of these views, so tests build them from literal JSON without synthesizing anything.
 */

/** A CloudFormation resource as written in a template, with its logical id and construct path. */
export interface ResourceView {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly metadata: Record<string, unknown>;
  /** `aws:cdk:path` metadata, or `<stack>/<logicalId>` when the template does not record it. */
  readonly constructPath: string;
}

/** What kind of stack, from the naming contract. */
export type StackKind = 'env' | 'delivery' | 'baseline' | 'platform' | 'other';

/** One stack template and where it belongs. */
export interface StackView {
  readonly stackName: string;
  /** Path of the template file relative to the assembly root (nested assemblies included). */
  readonly templateFile: string;
  readonly kind: StackKind;
  readonly team?: string;
  readonly environment?: string;
  /**
   * Whether production rules apply: prod environments, shared stacks (baseline, delivery,
   * platform) and any stack the naming contract does not place, which is judged strictly.
   */
  readonly strict: boolean;
  readonly resources: readonly ResourceView[];
  readonly templateBytes: number;
  readonly outputCount: number;
  readonly parameterCount: number;
  /** Stack-level tags from the manifest; CloudFormation propagates them to the resources. */
  readonly stackTags: Readonly<Record<string, string>>;
  readonly terminationProtection: boolean;
  readonly account?: string;
  readonly region?: string;
  /** Parent stack name for nested stack templates. */
  readonly parentStack?: string;
}

/** Builds resource views from a parsed template. */
export function resourceViews(template: unknown, stackName: string): ResourceView[] {
  const resources = ((template ?? {}) as { Resources?: Record<string, Record<string, unknown>> }).Resources ?? {};
  return Object.entries(resources).map(([logicalId, r]) => {
    const metadata = (r.Metadata ?? {}) as Record<string, unknown>;
    const cdkPath = metadata['aws:cdk:path'];
    return {
      logicalId,
      type: String(r.Type ?? 'unknown'),
      properties: (r.Properties ?? {}) as Record<string, unknown>,
      deletionPolicy: typeof r.DeletionPolicy === 'string' ? r.DeletionPolicy : undefined,
      updateReplacePolicy: typeof r.UpdateReplacePolicy === 'string' ? r.UpdateReplacePolicy : undefined,
      metadata,
      constructPath: typeof cdkPath === 'string' ? cdkPath : `${stackName}/${logicalId}`,
    };
  });
}

/** A value as a list (CloudFormation accepts a single item where a list is expected). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The logical id an intrinsic points at (`Ref`, `Fn::GetAtt`), if any. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical id referenced anywhere inside a value. */
export function referencedLogicalIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  const direct = referencedLogicalId(value);
  if (direct) into.add(direct);
  if (Array.isArray(value)) value.forEach(v => referencedLogicalIds(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach(v => referencedLogicalIds(v, into));
  return into;
}

/** A short readable rendering of a literal or an intrinsic, for reports. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const ref = referencedLogicalId(value);
  if (ref) {
    const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
    return Array.isArray(getAtt) ? `${ref}.${String(getAtt[1])}` : typeof getAtt === 'string' ? getAtt : `Ref ${ref}`;
  }
  const v = value as Record<string, unknown>;
  if (v['Fn::ImportValue'] !== undefined) return `import ${describeValue(v['Fn::ImportValue'])}`;
  if (v['Fn::Join'] !== undefined || v['Fn::Sub'] !== undefined) return joinedText(value);
  return JSON.stringify(value);
}

/** Fn::Join / Fn::Sub flattened to text with `${...}` for the dynamic parts. */
function joinedText(value: unknown): string {
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return asArray(parts).map(p => typeof p === 'string' ? p : `\${${describeValue(p)}}`).join(sep);
  }
  const sub = v['Fn::Sub'];
  return typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : JSON.stringify(value);
}

/** The last path segment that is not `Resource`/`Default`, for short labels in diagrams and tables. */
export function shortName(resource: ResourceView): string {
  const parts = resource.constructPath.split('/').filter(p => p !== 'Resource' && p !== 'Default');
  return parts[parts.length - 1] ?? resource.logicalId;
}
