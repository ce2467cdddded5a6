import { randomBytes } from 'node:crypto';
import type { Logger } from './platform';

export interface SecretOptions {
  /** Where the task runs (`local` outside AWS), from loadConfig(). */
  readonly environment: string;
  readonly teamId: string;
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Reads a secret the platform puts in the container's environment. In AWS, ECS sets it when the task
 * starts from the registry's `service.secrets` entry of the same name (an SSM SecureString or a Secrets
 * Manager secret), so a missing one is a mistake in the registry: the service refuses to start and
 * says how to fix it. Locally, a random key stands in (and a warning says so) unless you export one.
 * Never log the value, nor pass it to an error message.
 */
export function readSecret(name: string, options: SecretOptions): string {
  const value = (options.env ?? process.env)[name];
  if (value) return value;
  if (options.environment !== 'local') {
    throw new Error(
      `${name} is not set in environment '${options.environment}'. The platform sets it from the Springboard registry: ` +
        `add \`${name}: /${options.teamId}/<parameter-name>\` under service.secrets in teams/${options.teamId}.yaml, ` +
        'create that SecureString in the environment\'s account with its key and the Team tag (docs/secrets.md in Springboard), then deploy again.',
    );
  }
  options.logger.warn(`${name} is not set: using a random key for local development (export ${name} to use a fixed one)`, { secret: name });
  return randomBytes(32).toString('hex');
}
