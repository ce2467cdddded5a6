/** The confused-deputy check over synthesized stacks (lib/contract/confused-deputy.ts is the table). */
import { POLICY_PROPERTIES, sourceKeysFor } from '../../../lib/contract';
import type { DeployedStack } from '../../../lib/escalation/assembly/deployed';

/** Every Allow statement with a service principal, anywhere in a resource's properties. */
export function serviceStatements(value: unknown, found: Array<Record<string, any>> = []): Array<Record<string, any>> {
  if (Array.isArray(value)) {value.forEach(v => serviceStatements(v, found));} else if (value && typeof value === 'object') {
    const o = value as Record<string, any>;
    if (o.Principal?.Service !== undefined && o.Effect === 'Allow') found.push(o);
    else Object.values(o).forEach(v => serviceStatements(v, found));
  }
  return found;
}

/** Problems of the stacks against the table, one line each: stack/resource, service, what is missing. */
export function confusedDeputyProblems(stacks: readonly DeployedStack[]): string[] {
  const lines: string[] = [];
  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      const statements = serviceStatements(resource.Properties ?? {});
      if (statements.length === 0) continue;
      const kind = POLICY_PROPERTIES[resource.Type]?.kind;
      for (const s of statements) {
        const present = new Set(Object.values<Record<string, unknown>>(s.Condition ?? {}).flatMap(op => Object.keys(op)));
        for (const service of [s.Principal.Service].flat()) {
          const where = `${stack.stackName}/${id} (${resource.Type})`;
          if (typeof service !== 'string') { lines.push(`${where}: a service principal that is not a plain name: ${JSON.stringify(service)}`); continue; }
          const entry = kind && sourceKeysFor(service, kind);
          if (!entry) { lines.push(`${where}: ${service} in a ${kind ?? resource.Type} policy is not in the confused-deputy table`); continue; }
          const missing = entry.keys.filter(k => !present.has(k));
          if (missing.length > 0) lines.push(`${where}: ${service} without ${missing.join(', ')} (${entry.documentation})`);
        }
      }
    }
  }
  return lines;
}

