/**
 * The IAM evaluator for the engine, @cloud-copilot/iam-simulate (AGPL-3.0), loaded only where it is
 * installed: it is a development dependency, never a runtime one. `loadSimulator()` returns undefined
 * when the package cannot be loaded (an installed package without dev dependencies).
 */
import type { Decision, Evaluate } from './types';

type RunSimulation = typeof import('@cloud-copilot/iam-simulate').runSimulation;

/** The package name, kept in a variable so bundlers and the type checker do not pull it into the product. */
export const SIMULATOR_PACKAGE = '@cloud-copilot/iam-simulate';

/** The evaluator, or undefined when the simulator is not installed. */
export async function loadSimulator(packageName: string = SIMULATOR_PACKAGE): Promise<Evaluate | undefined> {
  try {
    const { runSimulation } = await import(packageName) as { runSimulation: RunSimulation };
    return evaluatorOf(runSimulation);
  } catch {
    return undefined;
  }
}

function tagContext(prefix: string, tags: Readonly<Record<string, string>> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** The evaluator: a role session's request with identity policies, boundary and resource policy, and tag context. */
export const evaluatorOf = (runSimulation: RunSimulation): Evaluate => async ({ principal, action, resource, context }) => {
  const partition = principal.arn.split(':')[1];
  const name = principal.arn.split('/').pop();
  const result = await runSimulation({
    request: {
      principal: `arn:${partition}:sts::${principal.account}:assumed-role/${name}/session`,
      action,
      resource: { resource: resource.arn, accountId: resource.account },
      contextVariables: {
        'aws:PrincipalArn': principal.arn,
        'aws:PrincipalAccount': principal.account,
        'aws:ResourceAccount': resource.account,
        'aws:SecureTransport': 'true',
        ...tagContext('aws:PrincipalTag', principal.tags),
        ...tagContext('aws:ResourceTag', resource.tags),
        ...(action.startsWith('iam:') ? tagContext('iam:ResourceTag', resource.tags) : {}),
        ...context,
      },
    },
    identityPolicies: principal.identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource.policy,
    permissionBoundaryPolicies: principal.boundary ? [{ name: 'boundary', policy: principal.boundary }] : undefined,
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') return 'NotApplicable';
  return result.overallResult as Decision;
};
