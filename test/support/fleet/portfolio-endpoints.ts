/**
 * Local endpoints for a generated portfolio: its pipelines on a local CodePipeline and its other
 * services on the local AWS stand-in, started per test and closed after each one.
 */
import { fastClient } from './env';
import { type FakeAws, type FakeAwsOptions, startFakeAws } from './fake-aws';
import { type FakeCodePipeline, startFakeCodePipeline } from './fake-codepipeline';
import type { GeneratedPortfolio } from './portfolio-generator';
import { ClientFactory } from '../../../lib/fleet/client-factory';

export type PortfolioEndpoint = (options?: FakeAwsOptions) => Promise<{ factory: ClientFactory; aws: FakeAws }>;

/** Call at a test file's top level: registers the `afterEach` that closes what each test started. */
export function useLocalPortfolioEndpoints(generated: GeneratedPortfolio): PortfolioEndpoint {
  let servers: Array<FakeAws | FakeCodePipeline> = [];
  let factories: ClientFactory[] = [];
  afterEach(async () => {
    factories.forEach((f) => f.destroy());
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    factories = [];
  });
  return async (options = {}) => {
    const denied = (options.deniedTeams ?? []).map((t) => `springboard-${t}`);
    const pipelines = await startFakeCodePipeline(generated.pipelines, { deniedPipelines: denied });
    const aws = await startFakeAws(generated.state, { ...options, codePipelineUrl: pipelines.url });
    servers.push(pipelines, aws);
    const factory = new ClientFactory(fastClient(aws.url, { region: undefined }));
    factories.push(factory);
    return { factory, aws };
  };
}
