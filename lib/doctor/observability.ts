/**
 * Cross-account observability: the tooling account's sink exists in each region and its ARN is
 * recorded in the registry (`observabilitySinkArns`, AWS generates the id), and every other account
 * using the region links to it (the baseline creates the link once the ARN is recorded).
 */
import { GetSinkCommand, ListLinksCommand, type ListLinksCommandOutput, type ListLinksItem } from '@aws-sdk/client-oam';
import { failureKind } from './errors';
import type { PlaceContext } from './place';
import { fail, type Finding, ok, warn } from './types';
import { baselineStackName } from '../contract';

const G = 'observability';

function recordStep(region: string, toolingAccount: string): string {
  return `aws oam list-sinks --region ${region} (credentials for ${toolingAccount}), then add observabilitySinkArns: { ${region}: <its Arn> } to teams/_platform.yaml and commit`;
}

/** In the tooling account: the sink is recorded and exists. */
export async function checkSink(ctx: PlaceContext, recordedArn: string | undefined): Promise<Finding> {
  if (!recordedArn) {
    return fail(G, 'sink', `the registry records no sink ARN for ${ctx.region}: no account's baseline can link to it`,
      `deploy ${baselineStackName(ctx.account, ctx.region)} (it creates the sink), then ${recordStep(ctx.region, ctx.account)}`);
  }
  try {
    await ctx.send('oam', new GetSinkCommand({ Identifier: recordedArn }));
  } catch (error) {
    if (failureKind(error) !== 'not-found') throw error;
    return fail(G, 'sink', `the recorded sink ${recordedArn} does not exist`, `deploy ${baselineStackName(ctx.account, ctx.region)}, then ${recordStep(ctx.region, ctx.account)}`);
  }
  return ok(G, 'sink', `${recordedArn} exists and is recorded`);
}

/** In a source account: a link to the recorded sink. */
export async function checkLink(ctx: PlaceContext, recordedArn: string | undefined, toolingAccount: string): Promise<Finding> {
  if (!recordedArn) {
    return warn(G, 'link', `cannot check: the registry records no sink ARN for ${ctx.region}`, `${recordStep(ctx.region, toolingAccount)}; then deploy ${baselineStackName(ctx.account, ctx.region)}`);
  }
  const links: ListLinksItem[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.send<ListLinksCommandOutput>('oam', new ListLinksCommand({ NextToken: token }));
    links.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return links.some(l => l.SinkArn === recordedArn)
    ? ok(G, 'link', `linked to ${recordedArn}`)
    : fail(G, 'link', `no link to the tooling sink ${recordedArn}: this account's metrics, logs and traces are missing from the tooling dashboards`,
      `deploy ${baselineStackName(ctx.account, ctx.region)} (it creates the link from the recorded ARN)`);
}
