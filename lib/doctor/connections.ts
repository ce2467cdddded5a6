/** Source connections: each connection the registry names exists and is AVAILABLE (a new one is PENDING until a person finishes the handshake). */
import { GetConnectionCommand, type GetConnectionCommandOutput } from '@aws-sdk/client-codestar-connections';
import { failureKind } from './errors';
import type { PlaceContext } from './place';
import { fail, type Finding, ok } from './types';

export interface ConnectionUse {
  readonly arn: string;
  /** Who uses it: `team pay (teams/pay.yaml)`, `the platform pipeline (teams/_platform.yaml)`. */
  readonly usedBy: readonly string[];
}

const G = 'source';

function consoleStep(region: string): string {
  return `open https://${region}.console.aws.amazon.com/codesuite/settings/connections?region=${region}, choose the connection, `
    + '"Update pending connection", and authorise the app for the repository\'s owner';
}

export async function checkConnection(ctx: PlaceContext, use: ConnectionUse): Promise<Finding> {
  const check = use.arn.split('/').pop() ?? use.arn;
  const users = use.usedBy.join(', ');
  let output: GetConnectionCommandOutput;
  try {
    output = await ctx.send('codestar-connections', new GetConnectionCommand({ ConnectionArn: use.arn }));
  } catch (error) {
    if (failureKind(error) !== 'not-found') throw error;
    return fail(G, check, `no connection ${use.arn} (used by ${users})`,
      `create it: aws codeconnections create-connection --provider-type GitHub --connection-name springboard --region ${ctx.region}, `
      + `finish it in the console, and put its ARN in the registry (${users})`);
  }
  const status = output.Connection?.ConnectionStatus ?? 'unknown';
  const name = output.Connection?.ConnectionName ?? check;
  if (status === 'AVAILABLE') return ok(G, check, `${name} is AVAILABLE (used by ${users})`);
  if (status === 'PENDING') return fail(G, check, `${name} is PENDING: nobody has finished its handshake, so no source change triggers a pipeline (used by ${users})`, consoleStep(ctx.region));
  return fail(G, check, `${name} is ${status} (used by ${users})`, `${consoleStep(ctx.region)}; if it stays ${status}, delete it and create a new one`);
}
