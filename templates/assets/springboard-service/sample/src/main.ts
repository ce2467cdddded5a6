import { app } from './app';
import { createLogger, handleShutdownSignals, loadConfig, startService } from './platform';
import { readSecret } from './secrets';

/**
 * The secret that signs responses. In AWS, ECS sets it from the registry's `service.secrets` entry of
 * this name (docs/secrets.md in Springboard); locally, export it or let a random key stand in.
 */
export const SIGNING_KEY_VARIABLE = '{{secretName}}';

/** Entry point of the container (`node lib/main.js`). This file belongs to the team. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ team: config.teamId, environment: config.environment });
  const signingKey = readSecret(SIGNING_KEY_VARIABLE, { environment: config.environment, teamId: config.teamId, logger });
  const service = await startService(app(logger, { signingKey }), { config, logger });
  handleShutdownSignals(service, logger);
}

main().catch((error: unknown) => {
  createLogger().error('service failed to start', { error });
  process.exit(1);
});
