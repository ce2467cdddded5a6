/**
 * The limits of a team's service, in one place: the registry's schema (and so the editors' JSON
 * Schema) and the WebService construct check the same numbers. Fargate's own limits bound them;
 * Springboard narrows some (ports below 1024 need root, which the container never has).
 */

/** Port the service listens on: unprivileged ports only, the container runs as a non-root user. */
export const SERVICE_PORT = { min: 1024, max: 65535, default: 8080 } as const;

/** Fargate CPU units Springboard offers, smallest first (Fargate has 8192 and 16384 too, on other terms). */
export const FARGATE_CPU_UNITS = [256, 512, 1024, 2048, 4096] as const;
export type FargateCpuUnits = (typeof FARGATE_CPU_UNITS)[number];
export const DEFAULT_CPU_UNITS: FargateCpuUnits = 512;

/** Memory (MiB) Fargate allows for each CPU size, inclusive. */
export const FARGATE_MEMORY_MIB: Readonly<Record<FargateCpuUnits, readonly [min: number, max: number]>> = {
  256: [512, 2048],
  512: [1024, 4096],
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
};
export const SERVICE_MEMORY_MIB = { min: 512, max: 30720, default: 1024 } as const;

/** Running tasks per environment. */
export const DESIRED_COUNT = { min: 1, max: 50, default: 2 } as const;

/** Is `cpu` one of the CPU sizes Springboard offers? */
export function isFargateCpu(cpu: number): cpu is FargateCpuUnits {
  return (FARGATE_CPU_UNITS as readonly number[]).includes(cpu);
}

/** The sized parts of a service (the registry's ServiceSpec has them). */
export interface ServiceSizing {
  readonly port: number;
  readonly cpu: number;
  readonly memory: number;
  readonly desiredCount: number;
}

interface Range {
  readonly min: number;
  readonly max: number;
}

function within(value: number, range: Range): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** What is wrong with a service's sizing, one sentence per problem (empty when it fits every limit). */
export function serviceLimitProblems(service: ServiceSizing): string[] {
  const problems: string[] = [];
  if (!within(service.port, SERVICE_PORT)) problems.push(`port must be a whole number from ${SERVICE_PORT.min} to ${SERVICE_PORT.max}, received ${service.port}`);
  if (!isFargateCpu(service.cpu)) {
    problems.push(`cpu must be one of ${FARGATE_CPU_UNITS.join(', ')} Fargate units, received ${service.cpu}`);
  } else {
    const [min, max] = FARGATE_MEMORY_MIB[service.cpu];
    if (!within(service.memory, { min, max })) problems.push(`memory must be between ${min} and ${max} MiB for cpu ${service.cpu} (a Fargate limit), received ${service.memory}`);
  }
  if (!within(service.desiredCount, DESIRED_COUNT)) problems.push(`desiredCount must be a whole number from ${DESIRED_COUNT.min} to ${DESIRED_COUNT.max}, received ${service.desiredCount}`);
  return problems;
}
