/**
 * The service's secrets (docs/secrets.md): ECS `secrets` on the container, read at task start by
 * the task execution role and by nothing else Springboard deploys.
 *
 * - The execution role may read exactly the named parameters and secrets, and decrypt them only
 *   with the environment's key: an explicit deny refuses it every other key through SSM and Secrets
 *   Manager, so a value stored under an AWS-managed key fails the task's start instead of being read.
 * - The environment key's policy denies decryption of those values to every principal but the
 *   execution role, whatever their identity policies allow: every SSM SecureString under the key
 *   (encryption context key `PARAMETER_ARN`), and the named Secrets Manager secrets (`SecretARN`);
 *   the database's master secret and everything else the key protects is not affected.
 * Only ARNs reach the template; values never do.
 */
import { Stack } from 'aws-cdk-lib';
import { ContainerDefinition, Secret as EcsSecret } from 'aws-cdk-lib/aws-ecs';
import { AnyPrincipal, Effect, Grant, IGrantable, IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import type { SecretSource, ServiceSecret } from '../registry/types';

/** The encryption context key SSM puts a SecureString's ARN under when it calls KMS. */
export const PARAMETER_CONTEXT_KEY = 'PARAMETER_ARN';
/** The encryption context key Secrets Manager puts a secret's ARN under. */
export const SECRET_CONTEXT_KEY = 'SecretARN';

/** The read action each source needs at task start (ECS calls GetParameters and GetSecretValue). */
const READ_ACTION: Readonly<Record<SecretSource, string>> = {
  'ssm-parameter': 'ssm:GetParameters',
  'secrets-manager': 'secretsmanager:GetSecretValue',
};

/** Sid of the key policy statement that reserves the secrets' decryption to the execution role. */
export const RESERVE_SECRETS_SID = 'ReserveServiceSecretsForExecutionRole';

export interface ServiceSecretsProps {
  readonly container: ContainerDefinition;
  readonly executionRole: IRole;
  /** The environment's customer-managed key, which must encrypt every value. */
  readonly key: IKey;
  readonly secrets: readonly ServiceSecret[];
}

/** A secret the container definition names by ARN; the grants are written below, narrower than CDK's. */
class ReferencedSecret extends EcsSecret {
  readonly hasField = false;
  constructor(readonly arn: string) {
    super();
  }
  grantRead(grantee: IGrantable): Grant {
    return Grant.drop(grantee, 'read by the execution role, granted by addServiceSecrets');
  }
}

export function addServiceSecrets(props: ServiceSecretsProps): void {
  const { container, executionRole: role, key, secrets } = props;
  if (secrets.length === 0) return;
  for (const secret of secrets) container.addSecret(secret.variable, new ReferencedSecret(secret.arn));
  const region = Stack.of(key).region;
  const viaServices = [`ssm.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`];
  for (const source of sourcesOf(secrets)) {
    role.addToPrincipalPolicy(new PolicyStatement({
      sid: source === 'ssm-parameter' ? 'ReadServiceParameters' : 'ReadServiceSecrets',
      actions: [READ_ACTION[source]],
      resources: arnsOf(secrets, source),
    }));
  }
  role.addToPrincipalPolicy(new PolicyStatement({
    sid: 'DecryptServiceSecretsWithEnvironmentKey',
    actions: ['kms:Decrypt'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': viaServices } },
  }));
  role.addToPrincipalPolicy(new PolicyStatement({
    sid: 'DenySecretsUnderOtherKeys',
    effect: Effect.DENY,
    actions: ['kms:Decrypt'],
    notResources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': viaServices } },
  }));
  const notTheExecutionRole = { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } };
  // Every SSM SecureString under this key is a service secret (nothing else Springboard stores there is one).
  key.addToResourcePolicy(new PolicyStatement({
    sid: `${RESERVE_SECRETS_SID}Parameters`,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['kms:Decrypt'],
    resources: ['*'],
    conditions: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': PARAMETER_CONTEXT_KEY }, ...notTheExecutionRole },
  }));
  // Secrets Manager also holds the database's master secret under this key: only the named secrets are reserved.
  const secretArns = arnsOf(secrets, 'secrets-manager');
  if (secretArns.length === 0) return;
  key.addToResourcePolicy(new PolicyStatement({
    sid: `${RESERVE_SECRETS_SID}Secrets`,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['kms:Decrypt'],
    resources: ['*'],
    conditions: { StringEquals: { [`kms:EncryptionContext:${SECRET_CONTEXT_KEY}`]: secretArns }, ...notTheExecutionRole },
  }));
}

function sourcesOf(secrets: readonly ServiceSecret[]): SecretSource[] {
  return [...new Set(secrets.map(s => s.source))].sort();
}

function arnsOf(secrets: readonly ServiceSecret[], source: SecretSource): string[] {
  return [...new Set(secrets.filter(s => s.source === source).map(s => s.arn))].sort();
}
