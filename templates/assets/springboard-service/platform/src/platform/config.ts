import { TEAM } from './team';

/** What the platform tells the container through its environment (see the repository contract). */
export interface ServiceConfig {
  readonly port: number;
  readonly healthCheckPath: string;
  /** The environment this task runs in (dev, staging, prod), or `local` outside AWS. */
  readonly environment: string;
  readonly teamId: string;
}

/**
 * Reads PORT, HEALTH_CHECK_PATH, SPRINGBOARD_ENVIRONMENT and SPRINGBOARD_TEAM. The platform always
 * sets them in AWS; locally the registry's values apply, so the health check path is the same everywhere.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const rawPort = env.PORT ?? String(TEAM.port);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, received '${rawPort}'`);
  }
  const healthCheckPath = env.HEALTH_CHECK_PATH ?? TEAM.healthCheckPath;
  if (!healthCheckPath.startsWith('/')) {
    throw new Error(`HEALTH_CHECK_PATH must start with '/', received '${healthCheckPath}'`);
  }
  return {
    port,
    healthCheckPath,
    environment: env.SPRINGBOARD_ENVIRONMENT ?? 'local',
    teamId: env.SPRINGBOARD_TEAM ?? TEAM.id,
  };
}
