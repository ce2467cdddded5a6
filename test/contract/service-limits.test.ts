/**
 * One source for a service's limits: the registry's schema (and the editors' JSON Schema) and the
 * WebService construct refuse exactly what lib/contract/service-limits.ts refuses.
 */
import { createApp } from '../../lib/construct-kit/springboard-app';
import {
  DESIRED_COUNT, FARGATE_CPU_UNITS, FARGATE_MEMORY_MIB, SERVICE_MEMORY_MIB, SERVICE_PORT, serviceLimitProblems,
} from '../../lib/contract';
import { EnvironmentStack } from '../../lib/environment';
import { jsonSchemaFor } from '../../lib/registry';
import type { ServiceSpec } from '../../lib/registry/types';
import { registry, team } from '../support/registry-fixtures';

const GOOD: ServiceSpec = { port: SERVICE_PORT.default, cpu: 512, memory: 1024, desiredCount: DESIRED_COUNT.default, healthCheckPath: '/health' };

/** Builds one environment stack whose service is `service`: what the construct says about it. */
function constructVerdict(service: ServiceSpec): string {
  const base = team('a', { withDatabase: false });
  const env = { ...base.environments[0], service };
  const t = { ...base, service, environments: [env] };
  try {
    new EnvironmentStack(createApp(), 'Env', { team: t, environment: env, platform: registry([t]).platform });
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('the registry schema is generated from the limits', () => {
  const service = JSON.parse(jsonSchemaFor('team.schema.json')).properties.service.properties;

  test('port, cpu, memory and desired count', () => {
    expect(service.port).toMatchObject({ minimum: SERVICE_PORT.min, maximum: SERVICE_PORT.max, default: SERVICE_PORT.default });
    expect(service.cpu.anyOf.map((c: { const: number }) => c.const)).toEqual([...FARGATE_CPU_UNITS]);
    expect(service.memory).toMatchObject({ minimum: SERVICE_MEMORY_MIB.min, maximum: SERVICE_MEMORY_MIB.max });
    expect(service.desiredCount).toMatchObject({ minimum: DESIRED_COUNT.min, maximum: DESIRED_COUNT.max });
  });

  test('the memory range of every CPU size lies within the schema\'s memory range', () => {
    for (const [min, max] of Object.values(FARGATE_MEMORY_MIB)) {
      expect(min).toBeGreaterThanOrEqual(SERVICE_MEMORY_MIB.min);
      expect(max).toBeLessThanOrEqual(SERVICE_MEMORY_MIB.max);
    }
  });
});

describe('the construct refuses what the registry refuses', () => {
  test.each([
    ['a privileged port', { port: 80 }, /port must be a whole number from 1024 to 65535, received 80/],
    ['a CPU size Springboard does not offer', { cpu: 16384 }, /cpu must be one of 256, 512, 1024, 2048, 4096 Fargate units, received 16384/],
    ['memory outside the CPU size\'s range', { cpu: 256, memory: 4096 }, /memory must be between 512 and 2048 MiB for cpu 256/],
    ['too many tasks', { desiredCount: 51 }, /desiredCount must be a whole number from 1 to 50, received 51/],
  ])('%s', (_name, change, message) => {
    const service = { ...GOOD, ...change };
    expect(serviceLimitProblems(service)).toEqual([expect.stringMatching(message)]);
    expect(constructVerdict(service)).toMatch(message);
  });

  test('a service within every limit is built', () => {
    expect(serviceLimitProblems(GOOD)).toEqual([]);
    expect(constructVerdict(GOOD)).toBe('accepted');
  });
});
