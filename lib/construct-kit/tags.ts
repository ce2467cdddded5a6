import { Stack, Tags } from 'aws-cdk-lib';

/**
 * Tags the stack and every taggable resource in it. Platform-wide extras first, so a contract tag
 * (Team, ManagedBy, ...) can never be overridden by a setting; keys sorted for stable templates.
 * The stack's own tags are set explicitly: under `@aws-cdk/core:explicitStackTags` (docs/cdk-flags.md)
 * `Tags.of(stack)` reaches only the resources, and the audit places stacks by their tags.
 */
export function applyTags(stack: Stack, contractTags: Readonly<Record<string, string>>, extraTags: Readonly<Record<string, string>> = {}): void {
  const merged: Record<string, string> = { ...extraTags, ...contractTags };
  for (const key of Object.keys(merged).sort()) {
    Tags.of(stack).add(key, merged[key]);
    stack.tags.setTag(key, merged[key]);
  }
}
