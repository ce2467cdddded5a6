/**
 * The one way to make a CDK App in Springboard. `cdk synth` (bin/app.ts), the tests, retirement's
 * plan and the gate's helpers all build their App here, so every template is synthesized with the
 * same feature flags and the same validation settings as the one that is deployed.
 */
import { App, AppProps } from 'aws-cdk-lib';
import { SPRINGBOARD_FEATURE_FLAGS } from './feature-flags';

/** Environment variable that turns CDK's built-in CloudFormation template validation on (`true`). */
export const CDK_VALIDATION_VARIABLE = 'CDK_VALIDATION';

/**
 * A new App with Springboard's feature flags (docs/cdk-flags.md).
 *
 * Context precedence: the flags, then `props.context`, then what the CLI passes (cdk.json, `-c`),
 * so an explicit context value can still override a flag for an experiment.
 *
 * CDK's built-in CloudFormation validation is opt-in (`CDK_VALIDATION=true`): the compliance gate
 * gives the verdict and the validation costs three quarters of a gate-off synth (docs/scale.md).
 * When it runs, `validateAgainstDefaultRules` makes each of its findings a synth error. The test
 * suite runs the same validation over four registries (`test/support/cfn-validation`, docs/compliance.md).
 */
export function createApp(props: AppProps = {}): App {
  return new App({
    builtinCloudFormationValidation: process.env[CDK_VALIDATION_VARIABLE] === 'true',
    ...props,
    context: { ...SPRINGBOARD_FEATURE_FLAGS, ...props.context },
  });
}
