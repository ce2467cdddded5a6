/**
 * How doctor reaches each account: the base credentials (the standard chain: profile, SSO,
 * environment) assume the tooling account's reader, and the tooling reader assumes each other
 * account's reader (the trust docs/first-deploy.md explains). One SDK v3 client per service,
 * account and region, with the standard retry strategy (3 attempts, backoff, retry quota) and
 * timeouts that really fail a request. Endpoints follow the SDK's own configuration
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), which is how the tests point it at 127.0.0.1.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ChatbotClient } from '@aws-sdk/client-chatbot';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { OAMClient } from '@aws-sdk/client-oam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Send, ServiceName } from './types';
import { partitionOf, READER_ROLE_NAME } from '../contract';
import { Redactor } from '../fleet/errors';

export interface DoctorAwsOptions {
  /** Shared-config profile of the tooling account's operator. */
  readonly profile?: string;
  /** Role assumed in each account. @default READER_ROLE_NAME */
  readonly roleName?: string;
  readonly toolingAccount: string;
  readonly toolingRegion: string;
  /** @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
  /** @default 3 (the standard retry strategy's) */
  readonly maxAttempts?: number;
  /** Credentials instead of the standard chain (tests). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Use these credentials in every account as they are, assuming no role (tests, a single-account look). */
  readonly noAssumeRole?: boolean;
}

/** What doctor asks of an SDK v3 client (`any`: each client's own command union); every client class is built the same way. */
type AnyClient = { send(command: any): Promise<unknown>; destroy(): void };
type ClientClass = new (config: ClientConfig) => AnyClient;
type ClientConfig = { region: string; profile?: string; retryMode: string; maxAttempts: number } & Record<string, unknown>;

/** The client class of each service doctor reads. */
const CLIENTS: Readonly<Record<ServiceName, ClientClass>> = {
  'cloudformation': CloudFormationClient,
  'ssm': SSMClient,
  'iam': IAMClient,
  'codestar-connections': CodeStarConnectionsClient,
  'sns': SNSClient,
  'chatbot': ChatbotClient,
  'cost-explorer': CostExplorerClient,
  'oam': OAMClient,
  'cloudtrail': CloudTrailClient,
  'guardduty': GuardDutyClient,
  'securityhub': SecurityHubClient,
  'config': ConfigServiceClient,
  'service-quotas': ServiceQuotasClient,
};

/** The reader role's ARN in an account, in the region's partition. */
export function readerArn(account: string, region: string, roleName = READER_ROLE_NAME): string {
  return `arn:${partitionOf(region)}:iam::${account}:role/${roleName}`;
}

export class DoctorAws {
  readonly redactor = new Redactor();
  private readonly clients = new Map<string, AnyClient>();
  private readonly credentials = new Map<string, AwsCredentialIdentityProvider>();
  private readonly agents = {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };

  constructor(private readonly options: DoctorAwsOptions) {
    const name = options.roleName ?? READER_ROLE_NAME;
    if (!/^[\w+=,.@-]{1,64}$/.test(name)) throw new Error(`role name must be 1 to 64 characters of letters, digits and +=,.@_-, received "${name}"`);
  }

  /** Resolves the account's credentials once (assuming the roles); throws what the assumption threw. */
  async assume(account: string, region: string): Promise<void> {
    await this.credentialsFor(account, region)({});
  }

  /** A sender for the account and region: every check reads through it. */
  sender(account: string, region: string): Send {
    return async <Output>(service: ServiceName, command: unknown) => this.client(service, account, region).send(command) as Promise<Output>;
  }

  /** Closes every connection so the process can exit. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  /** One client per service, account and region, from the service's class with doctor's one configuration. */
  private client(service: ServiceName, account: string, region: string): AnyClient {
    return cached(this.clients, `${service}|${account}|${region}`, () => new CLIENTS[service]({
      ...this.clientConfig(region),
      credentials: this.credentialsFor(account, region),
      requestHandler: new NodeHttpHandler({
        connectionTimeout: this.options.connectionTimeoutMs ?? 3000,
        requestTimeout: this.options.requestTimeoutMs ?? 10_000,
        throwOnRequestTimeout: true,
        ...this.agents,
      }),
    }));
  }

  /** Any client doctor makes, its own and STS's for the assumptions: the region, profile and standard retry strategy. */
  private clientConfig(region: string): ClientConfig {
    return { region, profile: this.options.profile, retryMode: 'standard', maxAttempts: this.options.maxAttempts ?? 3 };
  }

  private base(): AwsCredentialIdentityProvider {
    const c = this.options.credentials;
    if (typeof c === 'function') return c;
    if (c) return async () => c;
    return fromNodeProviderChain({ profile: this.options.profile });
  }

  /** Base, then the tooling reader, then this account's reader (the tooling account stops at its reader). */
  private credentialsFor(account: string, region: string): AwsCredentialIdentityProvider {
    return cached(this.credentials, `${account}|${partitionOf(region)}`, () => {
      const chosen = this.options.noAssumeRole ? this.base() : this.assumed(account, region);
      // Remember every secret handed to the SDK so that no row can echo it.
      return async (props) => this.redactor.remember(await chosen(props));
    });
  }

  private assumed(account: string, region: string): AwsCredentialIdentityProvider {
    const o = this.options;
    const master = account === o.toolingAccount ? this.base() : this.credentialsFor(o.toolingAccount, region);
    return memoized(fromTemporaryCredentials({
      params: { RoleArn: readerArn(account, region, o.roleName), RoleSessionName: 'springboard-doctor', DurationSeconds: 900 },
      masterCredentials: master,
      clientConfig: this.clientConfig(o.toolingRegion),
    }));
  }
}

/** The map's value for the key, made by `create` the first time. */
function cached<V>(map: Map<string, V>, key: string, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** One assumption shared by every client of the account until a minute before it expires; a failure is not kept. */
function memoized(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async (props) => {
    if (!pending) pending = provider(props);
    try {
      const credentials = await pending;
      if (credentials.expiration && credentials.expiration.getTime() - Date.now() < 60_000) pending = undefined;
      return credentials;
    } catch (error) {
      pending = undefined;
      throw error;
    }
  };
}
