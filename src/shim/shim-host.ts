import { Construct, IConstruct } from 'constructs';
import { handlerArchive } from './archive';
import { handlerBundle } from './bundle';
import { ROLE_NAME_PATTERN, roleArn } from '../model/identifiers';
import {
  DEFAULT_SESSION_NAME, SHIM_ACTIONS, ShimInput, ShimKind, ShimPropertiesByKind,
} from '../model/shim-contract';
import { checkRange, fail, isToken, show } from '../model/validate';
import {
  AssetType, CloudwatchLogGroup, DataAwsCallerIdentity, IamRole, IamRolePolicy, LambdaFunction, LambdaInvocation, TerraformAsset,
  TerraformProvider, TerraformResource, TerraformStack, atSynth, dependOnAtSynth, dependable, providerAlias, resolveForSynth,
} from '../private/cdktf';
import { resolveEnv } from '../private/env';
import { shortenWithHash } from '../private/hash';
import { GuardrailsValidation } from '../validation/validation';

/** Where a shim-managed object lives. */
export interface ShimTargetSpec {
  /** Account ID of the target. */
  readonly accountId: string;
  /** Region of the target. */
  readonly region: string;
  /** Role to assume there; undefined to act with the host's own role (same account). */
  readonly roleArn?: string;
}

/** One object managed through the shim. */
export interface ShimObjectSpec<K extends ShimKind = ShimKind> {
  /** What it is. */
  readonly kind: K;
  /** Where it lives. */
  readonly target: ShimTargetSpec;
  /**
   * The desired state, as the handler reads it (the shim contract's type for the kind); a
   * function when it must be computed at synth (after the app has been fully built).
   */
  readonly properties: ShimPropertiesByKind[K] | (() => ShimPropertiesByKind[K]);
  /** ARNs the host role must be allowed to act on for this object (resource-scoped actions). @default none */
  readonly resourceArns?: string[];
  /**
   * Resources the invocation also depends on, read when it is synthesized (for resources that may
   * be declared after it); only those in the invocation's stack count.
   * @default none
   */
  readonly lateDependencies?: () => readonly TerraformResource[];
}

/** Options of a {@link ShimHost}. */
export interface ShimHostOptions {
  /** Days to keep the handler's logs. @default 90 */
  readonly logRetentionDays?: number;
  /** Seconds one invocation may run, retries included. @default 300 */
  readonly timeoutSeconds?: number;
}

/**
 * The Lambda function that manages the AWS objects the AWS provider has no resource for (a
 * guardrail's resource policy, account-level enforcement, enabling a policy type), with its
 * least-privilege role and log group. One per stack and provider; each managed object is one
 * `aws_lambda_invocation` with `lifecycle_scope = "CRUD"`, so Terraform calls the handler on
 * create, update and destroy.
 *
 * The role is allowed exactly the actions the managed kinds call, on the resources they manage,
 * and `sts:AssumeRole` only on the member roles the stack targets.
 */
export class ShimHost extends Construct {
  /** The host for `provider` (default: the stack's default AWS provider), created on first use. */
  public static of(scope: IConstruct, provider?: TerraformProvider, options: ShimHostOptions = {}): ShimHost {
    const stack = TerraformStack.of(scope);
    // One host per stack and provider alias: the host is the stack's child of that id, so the
    // construct tree is where it is kept.
    const alias = providerAlias(provider);
    const id = alias ? `GuardrailsShim-${alias}` : 'GuardrailsShim';
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof ShimHost) return existing;
    return new ShimHost(stack, id, { provider, ...options });
  }

  /** The Lambda function. */
  public readonly function: LambdaFunction;
  /** The function's execution role. */
  public readonly role: IamRole;
  /** The function's log group. */
  public readonly logGroup: CloudwatchLogGroup;
  /** The role's inline policy, computed at synth from the managed objects. */
  public readonly policy: IamRolePolicy;
  /** Region of the host (its provider's). */
  public readonly region: string;
  /** Account of the host when known at synth. */
  public readonly account?: string;
  private readonly provider?: TerraformProvider;
  private readonly kindsHere = new Set<ShimKind>();
  private readonly assumedRoles = new Set<string>();
  private readonly scopedArns = new Map<ShimKind, Set<string>>();
  private callerIdentity?: DataAwsCallerIdentity;
  // Made once per host rather than once per invocation: each read of a resource attribute makes a
  // new token (with a captured stack trace), and so does each `dependsOn` entry.
  private readonly functionNameRef: string;
  private readonly policyDependency: string;

  private constructor(scope: Construct, id: string, props: ShimHostOptions & { provider?: TerraformProvider }) {
    super(scope, id);
    const owner = `ShimHost(${this.node.path})`;
    const env = resolveEnv(this, owner, props.provider);
    this.provider = props.provider;
    this.region = env.region;
    this.account = env.account;
    const retention = props.logRetentionDays ?? 90;
    checkRange(owner, 'logRetentionDays', retention, 1, 3653);
    const timeout = props.timeoutSeconds ?? 300;
    checkRange(owner, 'timeoutSeconds', timeout, 30, 900);

    const bundle = handlerBundle();
    // The zip is made once per process and copied into each stack, instead of cdktf archiving the
    // directory again (in a child process) for every stack; the asset path is the same.
    const archive = handlerArchive(bundle);
    const asset = new TerraformAsset(this, 'Code', { path: archive.file, type: AssetType.FILE, assetHash: archive.assetHash });
    const functionName = shimFunctionName(TerraformStack.of(this).node.id, id);

    this.logGroup = new CloudwatchLogGroup(this, 'Logs', {
      provider: props.provider,
      name: `/aws/lambda/${functionName}`,
      retentionInDays: retention,
    });
    this.role = new IamRole(this, 'Role', {
      provider: props.provider,
      name: functionName,
      description: 'Runs the cdktf-bedrock-guardrails shim handler',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    this.policy = new IamRolePolicy(this, 'Policy', {
      provider: props.provider,
      name: 'shim',
      role: this.role.id,
      policy: atSynth(() => JSON.stringify(this.policyDocument())),
    });
    this.function = new LambdaFunction(this, 'Function', {
      provider: props.provider,
      functionName,
      description: 'Manages Bedrock guardrail resource policies, account-level enforcement and policy types for Terraform',
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: bundle.sha256,
      timeout,
      memorySize: 256,
      architectures: ['arm64'],
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      dependsOn: [this.logGroup],
    });
    this.functionNameRef = this.function.functionName;
    this.policyDependency = dependable(this.policy);
    // IAM refuses a role whose inline policies exceed its limit (rule GR-SHIM-001): measured on the
    // policy as Terraform will see it.
    GuardrailsValidation.of(this).addShimHost(this, () => ({
      path: this.node.path,
      policyCharacters: JSON.stringify(resolveForSynth(this, this.policyDocument())).length,
      assumedRoles: this.assumedRoles.size,
      scopedResources: [...this.scopedArns.values()].reduce((n, set) => n + set.size, 0),
    }));
  }

  /** The account the host runs in: a literal when the provider pins it, else a lookup. */
  public get accountId(): string {
    if (this.account) return this.account;
    if (!this.callerIdentity) {
      this.callerIdentity = new DataAwsCallerIdentity(this, 'Caller', { provider: this.provider });
    }
    return this.callerIdentity.accountId;
  }

  /**
   * Manages one object through the host: adds the `aws_lambda_invocation` under `scope` and the
   * permissions its kind needs to the host role.
   */
  public manage<K extends ShimKind>(scope: Construct, id: string, spec: ShimObjectSpec<K>): LambdaInvocation {
    const roleArnToAssume = spec.target.roleArn;
    if (roleArnToAssume !== undefined) {
      this.assumedRoles.add(roleArnToAssume);
    } else {
      this.kindsHere.add(spec.kind);
      for (const arn of spec.resourceArns ?? []) {
        const set = this.scopedArns.get(spec.kind) ?? new Set<string>();
        set.add(arn);
        this.scopedArns.set(spec.kind, set);
      }
    }
    const input = (properties: ShimPropertiesByKind[K]): string => {
      const value: ShimInput<K> = {
        kind: spec.kind,
        name: `${scope.node.path}/${id}`,
        target: {
          accountId: spec.target.accountId,
          region: spec.target.region,
          roleArn: roleArnToAssume ?? null,
          sessionName: DEFAULT_SESSION_NAME,
        },
        properties,
      };
      return JSON.stringify(value);
    };
    const props = spec.properties;
    const invocation = new LambdaInvocation(scope, id, {
      provider: this.provider,
      functionName: this.functionNameRef,
      // Plain JSON text with Terraform interpolations for ARNs and versions, which hold no quotes.
      input: typeof props === 'function' ? atSynth(() => input(props())) : input(props),
      lifecycleScope: 'CRUD',
      terraformKey: 'tf',
    });
    invocation.dependsOn = [this.policyDependency];
    if (spec.lateDependencies) dependOnAtSynth(invocation, spec.lateDependencies);
    return invocation;
  }

  /** The host role's permissions: exactly what the managed objects need. */
  private policyDocument(): object {
    const statements: object[] = [
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${this.logGroup.arn}:*`,
      },
    ];
    for (const kind of [...this.kindsHere].sort()) {
      const scoped = this.scopedArns.get(kind);
      statements.push({
        Sid: kind,
        Effect: 'Allow',
        Action: [...SHIM_ACTIONS[kind]],
        // Account-level configuration and Organizations calls have no narrower resource.
        Resource: scoped && scoped.size ? [...scoped].sort() : '*',
      });
    }
    if (this.assumedRoles.size) {
      statements.push({
        Sid: 'AssumeMemberRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: [...this.assumedRoles].sort(),
      });
    }
    return { Version: '2012-10-17', Statement: statements };
  }
}

/** A Lambda function name (at most 64 characters) unique per stack and host. */
function shimFunctionName(stackName: string, hostId: string): string {
  return shortenWithHash(`${stackName}-${hostId}`.replace(/[^A-Za-z0-9-_]/g, '-'), 64);
}

/** The ARN of `roleName` in `accountId`. */
export function memberRoleArn(accountId: string, roleName: string, partition = 'aws'): string {
  if (!isToken(roleName) && !ROLE_NAME_PATTERN.test(roleName)) {
    fail('memberRole', 'roleName', `must be an IAM role name or path/name, got ${show(roleName)}`, 'Give the role name, e.g. "OrganizationAccountAccessRole".');
  }
  return roleArn(accountId, roleName, partition);
}
