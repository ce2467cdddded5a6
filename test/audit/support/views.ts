/** Literal resource and stack views for the check unit tests: no synthesis needed. */
import { ResourceView, StackView } from '../../../lib/audit/template';

export function resource(type: string, properties: Record<string, unknown> = {}, extra: Partial<ResourceView> = {}): ResourceView {
  const logicalId = extra.logicalId ?? type.split('::').pop()!;
  return { logicalId, type, properties, metadata: {}, constructPath: `Stack/${logicalId}`, ...extra };
}

export function stack(resources: ResourceView[] = [], extra: Partial<StackView> = {}): StackView {
  return {
    stackName: 'springboard-env-pay-prod',
    templateFile: 't.json',
    kind: 'env',
    team: 'pay',
    environment: 'prod',
    strict: true,
    resources,
    templateBytes: 1000,
    outputCount: 0,
    parameterCount: 0,
    stackTags: {},
    terminationProtection: true,
    ...extra,
  };
}

export const NON_PROD = { environment: 'dev', strict: false, stackName: 'springboard-env-pay-dev' } as const;
