/** Copies of deployed stacks with one deliberate defect, to prove a check reports it. */
import type { DeployedStack } from '../../../lib/escalation/assembly/deployed';
import type { CfnTemplate } from '../../../lib/escalation/assembly/physical';

/** The stacks with `stackName` replaced by a mutated deep copy (template, text and manifest flag). */
export function withMutation(
  stacks: readonly DeployedStack[], stackName: string, mutate: (template: any, stack: { terminationProtection: boolean }) => void,
): DeployedStack[] {
  if (!stacks.some(s => s.stackName === stackName)) throw new Error(`no stack ${stackName} to mutate`);
  return stacks.map(s => {
    if (s.stackName !== stackName) return s;
    const template = JSON.parse(s.text) as CfnTemplate;
    const flags = { terminationProtection: s.terminationProtection };
    mutate(template, flags);
    return { ...s, template, text: JSON.stringify(template, undefined, 1), terminationProtection: flags.terminationProtection };
  });
}

/** Logical id of the first resource of a type. */
export function firstOfType(stack: DeployedStack | undefined, type: string): string {
  const found = Object.entries(stack?.template.Resources ?? {}).find(([, r]) => r.Type === type);
  if (!found) throw new Error(`no ${type} in ${stack?.stackName}`);
  return found[0];
}
