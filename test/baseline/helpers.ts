import { Template } from 'aws-cdk-lib/assertions';
import { BaselineStack, BaselineStackProps } from '../../lib/baseline';
import { createApp } from '../../lib/construct-kit/springboard-app';

const cache = new Map<string, { stack: BaselineStack; template: Template; json: Record<string, any> }>();

/** One baseline per app, cached per props within a test file. */
export function baselineStack(overrides: Partial<BaselineStackProps> = {}) {
  const props: BaselineStackProps = {
    account: '222222222222', region: 'us-east-1', permissionsBoundaryName: 'springboard-team-boundary', logTotalDays: 913, ...overrides,
  };
  const key = JSON.stringify(props);
  const hit = cache.get(key);
  if (hit) return hit;
  const stack = new BaselineStack(createApp(), 'baseline', props);
  const template = Template.fromStack(stack);
  const built = { stack, template, json: template.toJSON() };
  cache.set(key, built);
  return built;
}
