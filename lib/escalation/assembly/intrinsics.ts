/**
 * Resolves the CloudFormation intrinsics Springboard's templates use (Ref, Fn::GetAtt, Fn::Sub,
 * Fn::Join, Fn::Select, Fn::Split) into concrete strings, so a policy can be evaluated as AWS will
 * see it after deployment. Anything it cannot resolve throws: an evaluation must never run on a
 * half-resolved policy, where an unresolved token would silently match nothing.
 */

/** Where a template is deployed, and the physical values of its resources. */
export interface ResolveContext {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  /** Value of `Ref` per logical id (resources and parameters). */
  readonly refs: Readonly<Record<string, string>>;
  /** Value of `Fn::GetAtt` per `<logicalId>.<attribute>`. */
  readonly attributes: Readonly<Record<string, string>>;
}

export class UnresolvedIntrinsicError extends Error {}

/** URL suffix per partition (`AWS::URLSuffix`). */
export function urlSuffix(partition: string): string {
  if (partition === 'aws-cn') return 'amazonaws.com.cn';
  return 'amazonaws.com';
}

function pseudo(name: string, ctx: ResolveContext): string | undefined {
  switch (name) {
    case 'AWS::Partition': return ctx.partition;
    case 'AWS::AccountId': return ctx.account;
    case 'AWS::Region': return ctx.region;
    case 'AWS::URLSuffix': return urlSuffix(ctx.partition);
    case 'AWS::StackName': return ctx.stackName;
    case 'AWS::StackId': return `arn:${ctx.partition}:cloudformation:${ctx.region}:${ctx.account}:stack/${ctx.stackName}/id`;
    default: return undefined;
  }
}

function ref(name: string, ctx: ResolveContext): string {
  const value = pseudo(name, ctx) ?? ctx.refs[name];
  if (value === undefined) throw new UnresolvedIntrinsicError(`${ctx.stackName}: Ref to unknown ${name}`);
  return value;
}

function getAtt(arg: unknown, ctx: ResolveContext): string {
  const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
  const value = ctx.attributes[`${id}.${attribute}`];
  if (value === undefined) throw new UnresolvedIntrinsicError(`${ctx.stackName}: Fn::GetAtt ${id}.${attribute} has no known value`);
  return value;
}

function sub(arg: unknown, ctx: ResolveContext): string {
  const [text, vars] = Array.isArray(arg) ? [String(arg[0]), (arg[1] ?? {}) as Record<string, unknown>] : [String(arg), {}];
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_whole, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    if (name in vars) return asString(resolveIntrinsics(vars[name], ctx), ctx);
    return name.includes('.') ? getAtt(name, ctx) : ref(name, ctx);
  });
}

function asString(value: unknown, ctx: ResolveContext): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UnresolvedIntrinsicError(`${ctx.stackName}: expected a string, received ${JSON.stringify(value)}`);
}

function asList(value: unknown, ctx: ResolveContext): unknown[] {
  if (Array.isArray(value)) return value;
  throw new UnresolvedIntrinsicError(`${ctx.stackName}: expected a list, received ${JSON.stringify(value)}`);
}

type Handler = (arg: unknown, ctx: ResolveContext) => unknown;

const HANDLERS: Record<string, Handler> = {
  'Ref': (arg, ctx) => ref(String(arg), ctx),
  'Fn::GetAtt': getAtt,
  'Fn::Sub': sub,
  'Fn::Join': (arg, ctx) => {
    const [separator, parts] = asList(arg, ctx);
    return asList(resolveIntrinsics(parts, ctx), ctx).map(p => asString(p, ctx)).join(String(separator));
  },
  'Fn::Select': (arg, ctx) => {
    const [index, list] = asList(arg, ctx);
    const items = asList(resolveIntrinsics(list, ctx), ctx);
    const i = Number(resolveIntrinsics(index, ctx));
    if (!(i >= 0 && i < items.length)) throw new UnresolvedIntrinsicError(`${ctx.stackName}: Fn::Select index ${i} outside a list of ${items.length}`);
    return items[i];
  },
  'Fn::Split': (arg, ctx) => {
    const [separator, text] = asList(arg, ctx);
    return asString(resolveIntrinsics(text, ctx), ctx).split(String(separator));
  },
};

/** The value with every intrinsic replaced by its concrete value; plain data passes through. */
export function resolveIntrinsics(value: unknown, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map(v => resolveIntrinsics(v, ctx));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && isIntrinsic(entries[0][0])) {
    const [name, arg] = entries[0];
    const handler = HANDLERS[name];
    if (!handler) throw new UnresolvedIntrinsicError(`${ctx.stackName}: ${name} is not supported by the resolver`);
    return handler(arg, ctx);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, ctx)]));
}

function isIntrinsic(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}
