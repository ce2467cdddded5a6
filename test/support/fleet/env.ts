/** Dummy credentials and a fast pacer for tests against the local endpoint. */
import { pipelineName } from '../../../lib/contract';
import type { FleetClientOptions } from '../../../lib/fleet/client-factory';
import type { FleetTarget } from '../../../lib/fleet/targets';

/** Distinctive fake secrets, so a test can prove none of them reaches any output. */
export const SECRETS = {
  accessKeyId: 'AKIAFLEETTESTKEY0001',
  secretAccessKey: 'fleet/test/secret+Value/0123456789abcdefXYZ',
  sessionToken: 'FleetTestSessionToken//////AAAABBBBCCCCDDDD',
};

/** Small delays so that retry paths run in milliseconds. */
export function fastClient(endpoint: string, extra: Partial<FleetClientOptions> = {}): FleetClientOptions {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: SECRETS,
    requestTimeoutMs: 2000,
    pacing: { baseDelayMs: 2, maxDelayMs: 20, minRatePerSecond: 500, cutIntervalMs: 50 },
    ...extra,
  };
}

export function targets(...teams: string[]): FleetTarget[] {
  return teams.map((team) => ({ team, pipeline: pipelineName(team), location: { region: 'us-east-1' }, environments: ['dev', 'staging', 'prod'] }));
}
