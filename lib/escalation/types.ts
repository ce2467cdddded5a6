/**
 * The escalation engine's inputs: principals (roles, with everything IAM evaluates for them) and the
 * runners that act with a role (CodeBuild projects, Lambda functions). Plain data: the engine reads
 * no templates and loads no evaluator; callers build these and inject the evaluator.
 */

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, any>[];
}

export interface Principal {
  /** The role's ARN: the principal's identity in edges and closures. */
  readonly arn: string;
  readonly account: string;
  /** Where it comes from, for reports: a stack name, or `cdk-bootstrap`. */
  readonly origin: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Who may assume it (its resource policy for `sts:AssumeRole`). */
  readonly trust: PolicyDocument;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
  /** Holds an administrator grant (`*` on `*`, AdministratorAccess): reaching it is reaching everything. */
  readonly administrator: boolean;
}

export type RunnerKind = 'codebuild-project' | 'lambda-function';

/** Something that runs code with a role: whoever can change the code or start it with other code acts as the role. */
export interface Runner {
  readonly kind: RunnerKind;
  readonly arn: string;
  readonly account: string;
  readonly tags: Readonly<Record<string, string>>;
  /** ARN of the role it runs with. */
  readonly roleArn: string;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'NotApplicable';

export interface EvaluationRequest {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: {
    readonly arn: string;
    readonly account: string;
    readonly tags?: Readonly<Record<string, string>>;
    readonly policy?: PolicyDocument;
  };
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** The IAM evaluator, injected: identity policies, boundary and resource policy, with tag context. */
export type Evaluate = (request: EvaluationRequest) => Promise<Decision>;

export type EdgeKind = 'assume-role' | 'pass-role' | 'iam-write' | 'codebuild' | 'lambda-code';

/** One way from a principal to acting as another. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The allowed request that makes the edge, e.g. `iam:PassRole to cloudformation.amazonaws.com + cloudformation:CreateStack`. */
  readonly via: string;
}

export interface Closure {
  readonly start: string;
  /** Every principal the start can act as, the start included, in the order found. */
  readonly reached: readonly Principal[];
  readonly edges: readonly Edge[];
}
