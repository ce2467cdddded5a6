import { app } from './app';
import { createLogger, handleShutdownSignals, loadConfig, startService } from './platform';

/** Entry point of the container (`node lib/main.js`). This file belongs to the team. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ team: config.teamId, environment: config.environment });
  const service = await startService(app(logger), { config, logger });
  handleShutdownSignals(service, logger);
}

main().catch((error: unknown) => {
  createLogger().error('service failed to start', { error });
  process.exit(1);
});
