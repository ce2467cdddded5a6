/**
 * CodePipeline clients: one shared client (with its own pacer) per account, region and role.
 *
 * Standard AWS configuration applies: profiles, environment credentials, AWS_REGION,
 * AWS_ENDPOINT_URL_CODEPIPELINE and AWS_USE_FIPS_ENDPOINT are read by the SDK itself; the options
 * here only override them. Timeouts really fail a request (`throwOnRequestTimeout`).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { Redactor } from './errors';
import { Pacer, type PacingOptions } from './pacing';
import { partitionOf } from '../contract';

export interface FleetClientOptions {
  /** Region for every client, over the registry's tooling region. */
  readonly region?: string;
  /** Shared-config profile. */
  readonly profile?: string;
  /** Endpoint for every client, over AWS_ENDPOINT_URL_CODEPIPELINE. */
  readonly endpoint?: string;
  /** FIPS endpoints; when undefined the SDK reads AWS_USE_FIPS_ENDPOINT and the profile. */
  readonly fips?: boolean;
  /** Role name to assume in each account (the read-only springboard-reader). */
  readonly assumeRoleName?: string;
  /** @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** Whole-request limit, after which the request fails and is retried as transient. @default 10000 */
  readonly requestTimeoutMs?: number;
  readonly pacing?: PacingOptions;
  /** Credentials to use instead of the default chain (tests). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Where a pipeline lives; an unknown account means "the account of the credentials in use". */
export interface PipelineLocation {
  readonly account?: string;
  readonly region?: string;
}

/** What the factory needs of an SDK v3 client class (CodePipeline, ECS, ECR, SSM, ...). */
export interface ServiceClient {
  send(command: never): Promise<unknown>;
  destroy(): void;
}
export type ServiceClientClass = new (config: Record<string, unknown>) => ServiceClient;

/** A client with its pacer: every call goes through `send`. */
export interface FleetApi {
  readonly pacer: Pacer;
  send<Output>(command: { readonly input: unknown }): Promise<Output>;
}

/** ARN of a role in the account; without a region (the SDK's default is used), the commercial partition. */
export function roleArn(account: string, region: string | undefined, roleName: string): string {
  return `arn:${region ? partitionOf(region) : 'aws'}:iam::${account}:role/${roleName}`;
}

export class ClientFactory {
  readonly redactor = new Redactor();
  private readonly clients = new Map<string, { client: CodePipelineClient; api: FleetApi }>();
  private readonly serviceClients = new Map<string, { client: ServiceClient; api: FleetApi }>();

  constructor(private readonly options: FleetClientOptions = {}) {
    if (options.assumeRoleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(options.assumeRoleName)) {
      throw new Error(`role name must be 1 to 64 characters of letters, digits and +=,.@_-, received "${options.assumeRoleName}"`);
    }
  }

  /** The shared client for a location; created once. */
  forLocation(location: PipelineLocation): FleetApi {
    const region = this.options.region ?? location.region;
    const key = `${location.account ?? '-'}|${region ?? '-'}`;
    let entry = this.clients.get(key);
    if (!entry) {
      const client = this.createClient(location.account, region);
      const pacer = new Pacer(this.options.pacing);
      const api: FleetApi = {
        pacer,
        send: <Output>(command: { readonly input: unknown }) =>
          pacer.run(() => client.send(command as never) as Promise<Output>),
      };
      entry = { client, api };
      this.clients.set(key, entry);
    }
    return entry.api;
  }

  /**
   * The shared client of another service (ECS, ECR, SSM, CloudWatch, Budgets, Cost Explorer) for a
   * location, with its own pacer: throttling in one service never slows another. The endpoint
   * option applies to every service (a test's local endpoint); otherwise the SDK reads
   * AWS_ENDPOINT_URL_<SERVICE>.
   */
  forService(service: ServiceClientClass, location: PipelineLocation): FleetApi {
    const region = this.options.region ?? location.region;
    const key = `${service.name}|${location.account ?? '-'}|${region ?? '-'}`;
    let entry = this.serviceClients.get(key);
    if (!entry) {
      const client = new service(this.clientConfig(location.account, region));
      const pacer = new Pacer(this.options.pacing);
      const api: FleetApi = {
        pacer,
        send: <Output>(command: { readonly input: unknown }) => pacer.run(() => client.send(command as never) as Promise<Output>),
      };
      entry = { client, api };
      this.serviceClients.set(key, entry);
    }
    return entry.api;
  }

  /** The SDK client behind a location's API (for inspecting its configuration). */
  clientFor(location: PipelineLocation): CodePipelineClient {
    this.forLocation(location);
    const region = this.options.region ?? location.region;
    return this.clients.get(`${location.account ?? '-'}|${region ?? '-'}`)!.client;
  }

  /** Every client made so far, for counters. */
  apis(): FleetApi[] {
    return [...this.clients.values(), ...this.serviceClients.values()].map((e) => e.api);
  }

  /** Closes every connection so the process can exit. */
  destroy(): void {
    for (const { client } of [...this.clients.values(), ...this.serviceClients.values()]) client.destroy();
    this.clients.clear();
    this.serviceClients.clear();
  }

  private createClient(account: string | undefined, region: string | undefined): CodePipelineClient {
    return new CodePipelineClient(this.clientConfig(account, region));
  }

  /** One configuration for every service: no SDK retries (the pacer retries), timeouts that fail. */
  private clientConfig(account: string | undefined, region: string | undefined): Record<string, unknown> & { region?: string } {
    const o = this.options;
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    return {
      region,
      profile: o.profile,
      endpoint: o.endpoint,
      useFipsEndpoint: o.fips,
      credentials: this.credentialsFor(account, region),
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: o.connectionTimeoutMs ?? 3000,
        requestTimeout: o.requestTimeoutMs ?? 10_000,
        throwOnRequestTimeout: true,
        httpAgent: new http.Agent(agentOptions),
        httpsAgent: new https.Agent(agentOptions),
      }),
    };
  }

  private credentialsFor(account: string | undefined, region: string | undefined): AwsCredentialIdentityProvider {
    const o = this.options;
    const base: AwsCredentialIdentityProvider = typeof o.credentials === 'function'
      ? o.credentials
      : o.credentials
        ? async () => o.credentials as AwsCredentialIdentity
        : fromNodeProviderChain({ profile: o.profile });
    const chosen = o.assumeRoleName && account
      ? fromTemporaryCredentials({
        params: { RoleArn: roleArn(account, region, o.assumeRoleName), RoleSessionName: 'springboard-fleet', DurationSeconds: 900 },
        masterCredentials: base,
        clientConfig: { region, useFipsEndpoint: o.fips },
      })
      : base;
    // Remember every secret handed to the SDK so that no error text can echo it.
    return async (props) => this.redactor.remember(await chosen(props));
  }
}
