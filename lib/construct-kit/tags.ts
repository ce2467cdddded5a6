import { Stack, Tags } from 'aws-cdk-lib';

/**
 * Tags every taggable resource of the stack. Platform-wide extras first, so a contract tag
 * (Team, ManagedBy, ...) can never be overridden by a setting; keys sorted for stable templates.
 */
export function applyTags(stack: Stack, contractTags: Readonly<Record<string, string>>, extraTags: Readonly<Record<string, string>> = {}): void {
  const merged: Record<string, string> = { ...extraTags, ...contractTags };
  for (const key of Object.keys(merged).sort()) Tags.of(stack).add(key, merged[key]);
}
