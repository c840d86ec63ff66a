/**
 * The contract between the constructs, which write each `aws_lambda_invocation`'s input, and the
 * shim handler, which parses it: the kinds of managed object, the shape of each kind's input, the
 * IAM actions each kind calls, and the session policy for member accounts. One module, typed on
 * both sides; it imports nothing but the identifier patterns, so the handler bundle can hold it.
 *
 * Action names follow the Service Authorization Reference for Amazon Bedrock ("API operations
 * defined by Amazon Bedrock": each of these operations authorizes exactly its own action, with no
 * dependent action) and the CloudFormation resource schema of
 * AWS::Bedrock::EnforcedGuardrailConfiguration (handlers create/update: Put + List, delete: Delete).
 * Note the plural in `ListEnforcedGuardrailsConfiguration` and the singular in the other two: they
 * track the API operation names exactly.
 *
 * `sts:GetCallerIdentity` needs no permission (STS API reference: it works even when explicitly
 * denied), so neither the host role nor the session policy lists it.
 */

/** The kinds of object the shim manages. */
export const SHIM_KINDS = ['EnforcedGuardrailConfiguration', 'GuardrailResourcePolicy', 'OrganizationPolicyType'] as const;
/** One of {@link SHIM_KINDS}. */
export type ShimKind = (typeof SHIM_KINDS)[number];

/** IAM actions each kind calls in its target account. */
export const SHIM_ACTIONS: Readonly<Record<ShimKind, readonly string[]>> = {
  EnforcedGuardrailConfiguration: [
    'bedrock:ListEnforcedGuardrailsConfiguration',
    'bedrock:PutEnforcedGuardrailConfiguration',
    'bedrock:DeleteEnforcedGuardrailConfiguration',
  ],
  GuardrailResourcePolicy: ['bedrock:GetResourcePolicy', 'bedrock:PutResourcePolicy', 'bedrock:DeleteResourcePolicy'],
  OrganizationPolicyType: ['organizations:ListRoots', 'organizations:EnablePolicyType', 'organizations:DisablePolicyType'],
};

/** The action that lets a caller apply a guardrail; enforcement needs every enforced account to have it. */
export const APPLY_GUARDRAIL = 'bedrock:ApplyGuardrail';

/** The role assumed in member accounts when none is named: the role AWS Organizations creates. */
export const DEFAULT_MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';

/** Role session name used when no other is given; ownership checks compare against it. */
export const DEFAULT_SESSION_NAME = 'cdktf-bedrock-guardrails';

/** Lifetime of an assumed-role session: the minimum STS allows, one invocation needs far less. */
export const SESSION_DURATION_SECONDS = 900;

/**
 * The inline session policy passed to `sts:AssumeRole` for a cross-account target. The session's
 * effective permissions are the intersection of this and the member role's own policies, so a
 * broad role such as OrganizationAccountAccessRole is narrowed to the calls this kind makes.
 * `Resource` is `*` because these actions are account-level configuration calls.
 */
export function sessionPolicy(kind: ShimKind): string {
  return allowSessionPolicy(`CdktfBedrockGuardrails${kind}`, SHIM_ACTIONS[kind]);
}

/**
 * A session policy of one statement, `sid`, allowing `actions` on every resource: the shape of
 * {@link sessionPolicy}, for other callers that narrow an assumed role (the `verify` command's
 * read-only and probe sessions).
 */
export function allowSessionPolicy(sid: string, actions: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Action: [...actions],
        Resource: '*',
      },
    ],
  });
}

/** A guarding mode as the account-level API spells it. */
export type ShimGuardingMode = 'SELECTIVE' | 'COMPREHENSIVE';

/** Where a managed object lives, and how the handler reaches it. */
export interface ShimTarget {
  /** Account ID of the target. */
  readonly accountId: string;
  /** Region of the target: the handler builds its SDK clients for it. */
  readonly region: string;
  /** Role to assume in the target account; `null` to act with the Lambda's own credentials. */
  readonly roleArn: string | null;
  /** Session name for the assumed role; the ownership checks compare against it. */
  readonly sessionName: string;
}

/** Properties every kind accepts. */
interface ShimPropertiesBase {
  /**
   * Set when the object is now managed by the provider's own resource (`implementation: native`):
   * every action is then a no-op, so switching implementations never deletes the object.
   * @default false
   */
  readonly release?: boolean;
}

/** Desired state of an account-level enforced guardrail configuration. */
export interface EnforcedConfigurationProperties extends ShimPropertiesBase {
  /** Guardrail ID or ARN. */
  readonly guardrailIdentifier: string;
  /** Numbered version. */
  readonly guardrailVersion: string;
  /** Guarding modes given. @default omitted: AWS's default */
  readonly selectiveContentGuarding?: { readonly system?: ShimGuardingMode; readonly messages?: ShimGuardingMode };
  /** Model lists, both present when either was given. @default omitted: every model */
  readonly modelEnforcement?: { readonly includedModels: readonly string[]; readonly excludedModels: readonly string[] };
  /** Take over a configuration someone else made. */
  readonly adoptExisting: boolean;
}

/** Desired state of a guardrail's (or guardrail profile's) resource-based policy. */
export interface ResourcePolicyProperties extends ShimPropertiesBase {
  /** ARN of the guardrail or guardrail profile. */
  readonly resourceArn: string;
  /** The policy document as a JSON string. */
  readonly policy: string;
  /** Replace a policy someone else put there. */
  readonly adoptExisting: boolean;
}

/** Desired state of a policy type on the organization root. */
export interface PolicyTypeProperties extends ShimPropertiesBase {
  /** The Organizations policy type, e.g. `BEDROCK_POLICY`. */
  readonly policyType: string;
  /** Disable the type again when the object is destroyed. */
  readonly disableOnDelete: boolean;
}

/** The properties of each kind. */
export interface ShimPropertiesByKind {
  /** Account-level enforcement. */
  readonly EnforcedGuardrailConfiguration: EnforcedConfigurationProperties;
  /** A resource-based policy. */
  readonly GuardrailResourcePolicy: ResourcePolicyProperties;
  /** A policy type enabled on the root. */
  readonly OrganizationPolicyType: PolicyTypeProperties;
}

/**
 * One invocation's input, as the constructs write it (Terraform adds `tf: { action, prev_input }`
 * when it calls the handler).
 */
export interface ShimInput<K extends ShimKind = ShimKind> {
  /** What the object is. */
  readonly kind: K;
  /** The construct path of the object: how logs and errors name it. */
  readonly name: string;
  /** Where it lives. */
  readonly target: ShimTarget;
  /** Its desired state. */
  readonly properties: ShimPropertiesByKind[K];
}
