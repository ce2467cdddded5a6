/**
 * The secrets a service receives (`service.secrets`: environment variable name → where its value
 * lives). A reference is an SSM parameter name (resolved in the environment's own account and
 * region), an SSM parameter ARN or a Secrets Manager secret ARN; ARNs must name the environment's
 * account and region (checked across the file in cross-checks.ts). Only references are written
 * anywhere: values never pass through the registry, a template or a log.
 */
import { partitionOf } from '../contract/aws-addressing';

export type SecretSource = 'ssm-parameter' | 'secrets-manager';

/** The most secrets one service takes (each is one line of the task definition). */
export const MAX_SERVICE_SECRETS = 20;

const REGION = '[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\\d';
const PARTITION = 'aws(?:-[a-z]+)*';
/** One path segment of a parameter name: SSM's characters, without wildcards. */
const SEGMENT = '[A-Za-z0-9_.-]+';
const PARAMETER_NAME = new RegExp(`^/${SEGMENT}(?:/${SEGMENT})*$`);
const PARAMETER_ARN = new RegExp(`^arn:(${PARTITION}):ssm:(${REGION}):(\\d{12}):parameter(/${SEGMENT}(?:/${SEGMENT})*)$`);
/** A complete secret ARN ends in the six characters Secrets Manager appends; a partial one could match another secret. */
const SECRET_ARN = new RegExp(`^arn:(${PARTITION}):secretsmanager:(${REGION}):(\\d{12}):secret:([A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6})$`);
/** SSM's limit on a parameter name, with its path. */
const MAX_PARAMETER_NAME = 1011;

/** Variables the platform sets itself; a secret of the same name would shadow them. */
const RESERVED_VARIABLES = /^(PORT|HEALTH_CHECK_PATH|SPRINGBOARD_.*|DATABASE_.*|AWS_.*|ECS_.*)$/;
export const VARIABLE_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

export const SECRET_REFERENCE_SHAPE = 'an SSM parameter name like /benefits-screener/partner-api-key, an SSM parameter ARN '
  + '(arn:<partition>:ssm:<region>:<account>:parameter/<name>) or a complete Secrets Manager secret ARN '
  + '(arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), without wildcards';

/** A reference as written: its source, and the account and region when it is an ARN. */
export interface ParsedSecretReference {
  readonly source: SecretSource;
  /** Parameter name (with its leading slash) or secret name (with its suffix). */
  readonly name: string;
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
}

export function parseSecretReference(value: string): ParsedSecretReference | undefined {
  if (PARAMETER_NAME.test(value)) return { source: 'ssm-parameter', name: value };
  const parameter = PARAMETER_ARN.exec(value);
  if (parameter) return { source: 'ssm-parameter', partition: parameter[1], region: parameter[2], account: parameter[3], name: parameter[4] };
  const secret = SECRET_ARN.exec(value);
  if (secret) return { source: 'secrets-manager', partition: secret[1], region: secret[2], account: secret[3], name: secret[4] };
  return undefined;
}

/** What is wrong with a reference on its own (shape, reserved names, partition), as "expected …" text; undefined when nothing is. */
export function secretReferenceProblem(value: string): string | undefined {
  const parsed = parseSecretReference(value);
  if (!parsed) return SECRET_REFERENCE_SHAPE;
  if (parsed.source === 'ssm-parameter' && /^\/(aws|ssm)(\/|$)/i.test(parsed.name)) {
    return 'a parameter name outside /aws and /ssm (names AWS reserves for its own parameters)';
  }
  if (parsed.source === 'ssm-parameter' && parsed.name.length > MAX_PARAMETER_NAME) {
    return `a parameter name of at most ${MAX_PARAMETER_NAME} characters (an SSM limit)`;
  }
  if (parsed.region && parsed.partition !== partitionOf(parsed.region)) {
    const service = parsed.source === 'ssm-parameter' ? 'ssm' : 'secretsmanager';
    return `partition ${partitionOf(parsed.region)} for a ${parsed.source === 'ssm-parameter' ? 'parameter' : 'secret'} in ${parsed.region} (arn:${partitionOf(parsed.region)}:${service}:${parsed.region}:…)`;
  }
  return undefined;
}

/** What is wrong with a variable name, as "expected …" text; undefined when nothing is. */
export function secretVariableProblem(name: string): string | undefined {
  if (!VARIABLE_NAME.test(name)) return 'an environment variable name in capitals, digits and underscores, like PARTNER_API_KEY';
  if (RESERVED_VARIABLES.test(name)) {
    return 'a variable name the platform does not set itself (PORT, HEALTH_CHECK_PATH, SPRINGBOARD_*, DATABASE_*, AWS_* and ECS_* are reserved)';
  }
  return undefined;
}

/** The ARN a reference names in an environment: a bare parameter name lives in the environment's account and region. */
export function secretArn(value: string, where: { readonly account: string; readonly region: string }): string {
  const parsed = parseSecretReference(value);
  if (!parsed) throw new Error(`not a secret reference: expected ${SECRET_REFERENCE_SHAPE}, received "${value}"`);
  if (parsed.region) return value;
  return `arn:${partitionOf(where.region)}:ssm:${where.region}:${where.account}:parameter${parsed.name}`;
}
