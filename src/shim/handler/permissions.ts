/**
 * IAM actions the shim handler calls, per kind of managed object.
 *
 * This module has no AWS SDK import, so the constructs can read it at synth time to build the shim
 * host role's policy without loading the handler's dependencies.
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
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: `CdktfBedrockGuardrails${kind}`,
        Effect: 'Allow',
        Action: [...SHIM_ACTIONS[kind]],
        Resource: '*',
      },
    ],
  });
}
