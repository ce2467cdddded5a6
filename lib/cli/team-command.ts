/**
 * `springboard team`: the registry's teams. `team add <id>` writes a new team's entry from flags,
 * asking on a terminal for what the flags leave out. Other subcommands join the same group.
 */
import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError } from 'commander';
import { teamRetireCommand } from './team-retire';
import { DEFAULT_SOURCE_PROVIDER, isSourceProvider, MAX_TEAM_ID_LENGTH, PROD_ENVIRONMENT, SOURCE_PROVIDERS, TEAM_ID_PATTERN } from '../contract';
import { reservedTeamIdReason } from '../contract/ownership';
import { addTeamEntry, defaultEnvironments, formatTeamEntryError, NewEnvironment, NewTeamEntry, TeamEntryError } from '../registry/team-entry';
import type { DataClassification } from '../registry/types';

/** Where `team` reads answers and writes output; tests pass their own. */
export interface TeamCommandIo {
  /** Asks one question and returns the answer; undefined means there is no terminal to ask on. */
  readonly prompt?: (question: string) => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function teamCommand(io: Partial<TeamCommandIo> = {}): Command {
  const resolved: TeamCommandIo = {
    prompt: 'prompt' in io ? io.prompt : terminalPrompt(),
    stdout: io.stdout ?? ((text) => process.stdout.write(text)),
    stderr: io.stderr ?? ((text) => process.stderr.write(text)),
  };
  return new Command('team').description('manage the teams of the registry').addCommand(teamAddCommand(resolved)).addCommand(teamRetireCommand(resolved));
}

interface AddFlags {
  registry: string;
  displayName?: string;
  programOffice?: string;
  costCenter?: string;
  ownerName?: string;
  ownerEmail?: string;
  onCallName?: string;
  onCallEmail?: string;
  dataClassification?: string;
  provider?: string;
  repository?: string;
  branch?: string;
  connectionArn?: string;
  account?: string;
  env?: string[];
  certificateArn?: string;
  envCertificate?: string[];
  internal?: string[];
  port?: number;
  healthCheckPath?: string;
  budget?: number;
  input: boolean;
}

type TextField = Exclude<keyof AddFlags, 'registry' | 'env' | 'envCertificate' | 'internal' | 'port' | 'budget' | 'input'>;

interface Question {
  readonly field: TextField | 'budget';
  readonly flag: string;
  readonly question: string;
  /** Only asked (and required) when this holds. */
  readonly when?: (flags: AddFlags) => boolean;
  readonly default?: (flags: AddFlags, id: string) => string | undefined;
}

const CLASSIFICATIONS: readonly DataClassification[] = ['low', 'moderate', 'high'];

/** Required fields in the order a person is asked for them. */
const QUESTIONS: readonly Question[] = [
  { field: 'displayName', flag: '--display-name', question: 'Service name people read' },
  { field: 'programOffice', flag: '--program-office', question: 'Program office' },
  { field: 'costCenter', flag: '--cost-center', question: 'Cost center code (like CC-4410)' },
  { field: 'ownerName', flag: '--owner-name', question: 'Service owner: name' },
  { field: 'ownerEmail', flag: '--owner-email', question: 'Service owner: e-mail' },
  { field: 'onCallName', flag: '--on-call-name', question: 'On-call: name', default: (f) => (f.displayName ? `${f.displayName} On-Call` : undefined) },
  { field: 'onCallEmail', flag: '--on-call-email', question: 'On-call: e-mail' },
  { field: 'dataClassification', flag: '--data-classification', question: `FIPS 199 impact level (${CLASSIFICATIONS.join(', ')})` },
  { field: 'provider', flag: '--provider', question: `Repository host (${SOURCE_PROVIDERS.join(', ')})`, default: () => DEFAULT_SOURCE_PROVIDER },
  { field: 'repository', flag: '--repository', question: 'Repository (owner/name)' },
  { field: 'branch', flag: '--branch', question: 'Branch the pipeline builds', default: () => 'main' },
  {
    field: 'connectionArn',
    flag: '--connection-arn',
    question: 'CodeConnections connection ARN',
    when: (f) => f.provider !== 'codecommit',
  },
  { field: 'account', flag: '--account', question: 'AWS account id of the environments (12 digits)', when: (f) => !f.env?.length || f.env.some((e) => !e.includes('=')) },
  { field: 'certificateArn', flag: '--certificate-arn', question: 'ACM certificate ARN of the prod load balancer (in the prod account and region)' },
  { field: 'budget', flag: '--budget', question: 'Monthly budget in USD' },
];

/** Which flag sets a registry field, to point at it in diagnostics. */
const FIELD_FLAGS: ReadonlyArray<[string, string]> = [
  ['id', '<id>'],
  ['displayName', '--display-name'],
  ['programOffice', '--program-office'],
  ['costCenter', '--cost-center'],
  ['contacts.owner.name', '--owner-name'],
  ['contacts.owner.email', '--owner-email'],
  ['contacts.onCall.name', '--on-call-name'],
  ['contacts.onCall.email', '--on-call-email'],
  ['dataClassification', '--data-classification'],
  ['repository.provider', '--provider'],
  ['repository.name', '--repository'],
  ['repository.branch', '--branch'],
  ['repository.connectionArn', '--connection-arn'],
  ['account', '--account'],
  ['environments.prod.certificateArn', '--certificate-arn'],
  ['environments.*.certificateArn', '--env-certificate'],
  ['environments.*.loadBalancer', '--internal'],
  ['environments', '--env'],
  ['service.port', '--port'],
  ['service.healthCheckPath', '--health-check-path'],
  ['budget', '--budget'],
];

function teamAddCommand(io: TeamCommandIo): Command {
  return new Command('add')
    .description('write the registry entry of a new team (teams/<id>.yaml); asks on a terminal for missing flags, never overwrites')
    .argument('<id>', 'team id: lower-case words joined by hyphens, like benefits-screener')
    .option('--registry <dir>', 'folder of team YAML files', 'teams')
    .option('--display-name <name>', 'service name people read')
    .option('--program-office <name>', 'program office that owns the service')
    .option('--cost-center <code>', 'cost center code, like CC-4410')
    .option('--owner-name <name>', 'service owner name')
    .option('--owner-email <email>', 'service owner e-mail')
    .option('--on-call-name <name>', 'on-call name')
    .option('--on-call-email <email>', 'on-call e-mail')
    .option('--data-classification <level>', `FIPS 199 impact level: ${CLASSIFICATIONS.join(', ')}`)
    .option('--provider <host>', `repository host: ${SOURCE_PROVIDERS.join(', ')} (default ${DEFAULT_SOURCE_PROVIDER})`)
    .option('--repository <owner/name>', 'source repository of the service')
    .option('--branch <name>', 'branch the pipeline builds (default main)')
    .option('--connection-arn <arn>', 'CodeConnections connection ARN (not for codecommit)')
    .option('--account <id>', 'AWS account of every environment that names none')
    .option('--env <name[=account]>', 'an environment in promotion order, repeatable (default dev, staging, prod; prod goes last)', collect, [])
    .option('--certificate-arn <arn>', 'ACM certificate of the prod load balancer: prod serves HTTPS only')
    .option('--env-certificate <name=arn>', 'ACM certificate of another environment\'s load balancer, repeatable (required at moderate and high unless --internal)', collect, [])
    .option('--internal <name>', 'give this non-prod environment an internal load balancer (reachable only from its VPC), repeatable', collect, [])
    .option('--port <port>', 'port the service listens on (default 8080)', integer('--port'))
    .option('--health-check-path <path>', 'health-check path (default /health)')
    .option('--budget <usd>', 'monthly budget in USD', positiveNumber('--budget'))
    .option('--no-input', 'never ask: fail when a required flag is missing')
    .action(async (id: string, flags: AddFlags) => {
      process.exitCode = await runTeamAdd(id, flags, io);
    });
}

/** The command's body: returns the exit code (0 written, 1 refused or invalid). */
async function runTeamAdd(id: string, flags: AddFlags, io: TeamCommandIo): Promise<number> {
  if (!TEAM_ID_PATTERN.test(id) || id.length > MAX_TEAM_ID_LENGTH) {
    io.stderr(`springboard team add: '${id}' is not a team id: expected lower-case words joined by single hyphens, at most ${MAX_TEAM_ID_LENGTH} characters, like benefits-screener\n`);
    return 1;
  }
  const reserved = reservedTeamIdReason(id);
  if (reserved) {
    io.stderr(`springboard team add: team id ${reserved}; choose another id, like benefits-screener\n`);
    return 1;
  }
  const filled = await fillMissing(id, flags, io);
  if ('missing' in filled) {
    io.stderr(
      `springboard team add: missing required flag${filled.missing.length > 1 ? 's' : ''} for team '${id}': ${filled.missing.join(', ')}\n` +
        '  pass them, or run the command in a terminal to be asked (see springboard team add --help)\n',
    );
    return 1;
  }
  const entry = toEntry(id, filled.flags);
  if ('problem' in entry) {
    io.stderr(`springboard team add: ${entry.problem}\n`);
    return 1;
  }
  try {
    const added = addTeamEntry(flags.registry, entry);
    const envs = entry.environments?.map((e) => e.name).join(', ') ?? 'dev, staging, prod';
    const lines = [`wrote ${added.file} for team '${id}' (environments ${envs})`];
    for (const [env, cidr] of Object.entries(added.pickedCidrs)) {
      lines.push(`  ${env}: cidr ${cidr}, because the range derived from the id overlaps one already used in the same account and region`);
    }
    if (added.warnings.length) lines.push(...added.warnings.map((w) => `  warning: ${w.field}: ${w.message}`));
    lines.push(
      'next: open a pull request with the file; once it is merged, scaffold the service repository:',
      `  npx projen new --from springboard-templates springboard-service --team-id ${id} --registry <path to ${flags.registry}>`,
    );
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } catch (error) {
    if (!(error instanceof TeamEntryError)) throw error;
    const flagsToFix = [...new Set(error.diagnostics.filter((d) => d.severity === 'error').map((d) => flagFor(d.field)).filter((f): f is string => Boolean(f)))];
    const hint = flagsToFix.length ? `\n  fix: ${flagsToFix.join(', ')}` : '';
    io.stderr(`springboard team add: ${formatTeamEntryError(error)}${hint}\n`);
    return 1;
  }
}

function flagFor(field: string): string | undefined {
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/\./g, '\\.').replace('*', '[^.]+')}(\\.|$)`).test(field);
  return FIELD_FLAGS.find(([pattern]) => matches(pattern))?.[1];
}

async function fillMissing(id: string, flags: AddFlags, io: TeamCommandIo): Promise<{ flags: AddFlags } | { missing: string[] }> {
  const filled: AddFlags = { ...flags };
  const canAsk = flags.input && io.prompt !== undefined;
  const missing: string[] = [];
  for (const q of QUESTIONS) {
    if (q.when && !q.when(filled)) continue;
    if (filled[q.field] !== undefined && filled[q.field] !== '') continue;
    const fallback = q.default?.(filled, id);
    if (!canAsk) {
      if (fallback !== undefined && q.field !== 'onCallName') filled[q.field as TextField] = fallback;
      else missing.push(q.flag);
      continue;
    }
    const answer = (await io.prompt!(`${q.question}${fallback ? ` [${fallback}]` : ''}: `)).trim() || fallback || '';
    if (!answer) {
      missing.push(q.flag);
      continue;
    }
    if (q.field === 'budget') {
      const budget = Number(answer);
      if (!Number.isFinite(budget) || budget <= 0) return { missing: [`--budget (a positive number of US dollars, received '${answer}')`] };
      filled.budget = budget;
    } else {
      filled[q.field] = answer;
    }
  }
  if (!missing.length) missing.push(...(await fillCertificates(filled, canAsk, io)));
  return missing.length ? { missing } : { flags: filled };
}

/**
 * Moderate and high data is served over HTTPS in every environment: each non-prod environment
 * needs a certificate of its own unless its load balancer is internal. Asked one by one, by name.
 */
async function fillCertificates(flags: AddFlags, canAsk: boolean, io: TeamCommandIo): Promise<string[]> {
  if (!['moderate', 'high'].includes(flags.dataClassification ?? '')) return [];
  const given = (flags.env ?? []).map((spec) => spec.split('=')[0]);
  const names = (given.length ? given : defaultEnvironments().map((e) => e.name)).filter((n) => n !== PROD_ENVIRONMENT);
  const missing: string[] = [];
  for (const name of names) {
    if (flags.internal?.includes(name) || flags.envCertificate?.some((spec) => spec.startsWith(`${name}=`))) continue;
    const answer = canAsk
      ? (await io.prompt!(`ACM certificate ARN of the ${name} load balancer (${flags.dataClassification} data is served over HTTPS in every environment): `)).trim()
      : '';
    if (answer) flags.envCertificate = [...(flags.envCertificate ?? []), `${name}=${answer}`];
    else missing.push(`--env-certificate ${name}=<arn> (or --internal ${name})`);
  }
  return missing;
}

function toEntry(id: string, flags: AddFlags): NewTeamEntry | { problem: string } {
  const provider = flags.provider ?? DEFAULT_SOURCE_PROVIDER;
  if (!isSourceProvider(provider)) {
    return { problem: `--provider must be one of ${SOURCE_PROVIDERS.join(', ')}; received '${provider}'` };
  }
  const classification = flags.dataClassification!;
  if (!CLASSIFICATIONS.includes(classification as DataClassification)) {
    return { problem: `--data-classification must be one of ${CLASSIFICATIONS.join(', ')}; received '${classification}'` };
  }
  const environments: NewEnvironment[] = [];
  for (const spec of flags.env ?? []) {
    const [name, account, extra] = spec.split('=');
    if (!name || extra !== undefined || account === '') {
      return { problem: `--env expects name or name=account, like --env prod=333333333333; received '${spec}'` };
    }
    if (environments.some((e) => e.name === name)) return { problem: `--env ${name} is given twice` };
    environments.push({ name, account });
  }
  const certificates: Record<string, string> = {};
  for (const spec of flags.envCertificate ?? []) {
    const cut = spec.indexOf('=');
    const [name, arn] = [spec.slice(0, cut), spec.slice(cut + 1)];
    if (cut <= 0 || !arn) return { problem: `--env-certificate expects name=arn, like --env-certificate dev=arn:aws:acm:…; received '${spec}'` };
    if (name === PROD_ENVIRONMENT) return { problem: '--env-certificate prod=… : give the prod certificate with --certificate-arn' };
    certificates[name] = arn;
  }
  const internal = flags.internal ?? [];
  const names = environments.length ? environments.map((e) => e.name) : defaultEnvironments().map((e) => e.name);
  const unknown = [...Object.keys(certificates), ...internal].find((name) => !names.includes(name));
  if (unknown) return { problem: `--env-certificate or --internal names '${unknown}', which is not one of the environments (${names.join(', ')})` };
  return {
    id,
    displayName: flags.displayName!,
    programOffice: flags.programOffice!,
    costCenter: flags.costCenter!,
    owner: { name: flags.ownerName!, email: flags.ownerEmail! },
    onCall: { name: flags.onCallName!, email: flags.onCallEmail! },
    dataClassification: classification as DataClassification,
    repository: { provider, name: flags.repository!, branch: flags.branch, connectionArn: flags.connectionArn },
    account: flags.account,
    environments: environments.length ? environments : undefined,
    prodCertificateArn: flags.certificateArn,
    certificates: Object.keys(certificates).length ? certificates : undefined,
    internalEnvironments: internal.length ? internal : undefined,
    port: flags.port,
    healthCheckPath: flags.healthCheckPath,
    monthlyBudgetUsd: flags.budget!,
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} expects a whole number, received '${value}'`);
    return Number(value);
  };
}

function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!value.trim() || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a positive number, received '${value}'`);
    return n;
  };
}

/** Questions go to stderr so stdout stays clean; only on a terminal, where a person can answer. */
function terminalPrompt(): TeamCommandIo['prompt'] {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
