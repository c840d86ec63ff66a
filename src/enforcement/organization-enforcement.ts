import { Lazy, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { BedrockPolicyDocument, GuardrailConfigurationProps } from './policy-document';
import { EnforcementTarget } from './targets';
import { Organization } from '../organization';
import { GuardrailResourcePolicy } from '../access/resource-policy';
import { IGuardrail } from '../guardrail/guardrail-base';
import { dependOnAtSynth } from '../private/dependencies';
import { RuleRegistry, versionFactsOf } from '../private/rule-registry';
import { checkLength, fail } from '../private/validate';
import { TargetType, organizationPolicyFacts } from '../rules/facts';
import { ShimHost } from '../shim/shim-host';

/** The Organizations policy type for Bedrock enforcement. */
export const BEDROCK_POLICY_TYPE = 'BEDROCK_POLICY';

/**
 * The hashicorp/aws constraint emitted by stacks with organization enforcement: 6.25.0 (the
 * version the prebuilt bindings are generated from) and later 6.x releases, whose Organizations
 * SDK accepts the `BEDROCK_POLICY` type.
 */
export const BEDROCK_POLICY_PROVIDER_CONSTRAINT = '>= 6.25.0, < 7.0.0';

/** Properties of an {@link OrganizationEnforcement}. */
export interface OrganizationEnforcementProps {
  /** The organization (IDs, OUs, accounts): used for the root ID, the checks and the preview. */
  readonly organization: Organization;
  /** Name of the Organizations policy: 1-128 characters. @default the construct id */
  readonly policyName?: string;
  /** Description of the policy: up to 512 characters. @default "Bedrock guardrail enforcement managed by cdktf-bedrock-guardrails" */
  readonly description?: string;
  /** The guardrail configurations per region; each names an `IGuardrailVersion`. */
  readonly configurations: GuardrailConfigurationProps[];
  /** Where to attach the policy. Root attachment needs `allowRootAttachment`. */
  readonly targets: EnforcementTarget[];
  /**
   * Attach only targets whose stage is at most this: raise it deploy by deploy to roll out.
   * @default every stage
   */
  readonly rolloutStage?: number;
  /**
   * Allow attaching to the organization root. A wrong policy at the root breaks Bedrock calls in
   * every account, so this is an explicit opt-in.
   * @default false
   */
  readonly allowRootAttachment?: boolean;
  /**
   * Enable the BEDROCK_POLICY type on the root (idempotent, through the shim) before creating the
   * policy. Turn off when it is enabled elsewhere.
   * @default true
   */
  readonly enablePolicyType?: boolean;
  /**
   * Disable the policy type on the root when this stack is destroyed. That detaches every Bedrock
   * policy in the organization, including ones this app did not make.
   * @default false
   */
  readonly disablePolicyTypeOnDestroy?: boolean;
  /**
   * Bedrock policies already attached directly to targets outside this app, by target ID, counted
   * against the limit of 10 per target.
   * @default none
   */
  readonly existingPoliciesPerTarget?: Record<string, number>;
  /** Tags of the policy. @default none */
  readonly tags?: Record<string, string>;
  /** The management account's provider. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

const OWNER = 'OrganizationEnforcement';
const policyTypeEnablers = new WeakMap<TerraformStack, LambdaInvocation>();

/**
 * Organization-level enforcement: an AWS Organizations policy of type `BEDROCK_POLICY` naming a
 * guardrail version per region, attached to OUs, accounts or (opt-in) the root.
 *
 * A malformed policy makes every Bedrock call in the targeted accounts fail, so everything that
 * can be checked is checked at synth (rules `GR-ORG-*`): the version is numbered and in the region
 * it is listed under, the guardrail is the management account's, has no automated reasoning
 * policy, and its resource policy lets every target apply it; names are unique, the document fits
 * 10,000 characters, no target gets more than 10 policies. Roll out in stages: targets carry a
 * stage and `rolloutStage` decides how far the rollout has gone.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock.html
 */
export class OrganizationEnforcement extends Construct {
  /** The policy document. */
  public readonly document: BedrockPolicyDocument;
  /** The `aws_organizations_policy` resource. */
  public readonly policy: OrganizationsPolicy;
  /** One attachment per target attached at the current stage, in target order. */
  public readonly attachments: OrganizationsPolicyAttachment[] = [];
  /** The organization. */
  public readonly organization: Organization;
  /** The targets attached at the current stage. */
  public readonly attachedTargets: EnforcementTarget[];
  /** The targets of later stages, not attached yet. */
  public readonly pendingTargets: EnforcementTarget[];
  /** The policy name. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: OrganizationEnforcementProps) {
    super(scope, id);
    const owner = `${OWNER}(${this.node.path})`;
    const org = props.organization;
    this.organization = org;
    this.policyName = props.policyName ?? id;
    checkLength(owner, 'policyName', this.policyName, 1, 128);
    checkLength(owner, 'description', props.description, 0, 512);
    if (props.configurations.length === 0) {
      fail(owner, 'configurations', 'is empty, so the policy would enforce nothing', 'Give at least one configuration: { name, version }.');
    }
    if (props.targets.length === 0) {
      fail(owner, 'targets', 'is empty, so the policy would be attached nowhere', 'Attach it to an OU first: EnforcementTarget.organizationalUnit("ou-...").');
    }
    const ids = new Map<string, number>();
    props.targets.forEach((t, i) => {
      const tid = t.idIn(org);
      if (ids.has(tid)) fail(owner, `targets[${i}]`, `repeats target ${tid} (also targets[${ids.get(tid)}])`, 'Attach the policy once per target.');
      ids.set(tid, i);
      if (t.type === TargetType.ROOT && !props.allowRootAttachment) {
        fail(owner, `targets[${i}]`, `attaches the policy to the organization root (${tid}), which enforces it in every account`,
          'Start with a few OUs; when every account can apply the guardrail, set `allowRootAttachment: true`.');
      }
      if (t.type === TargetType.ORGANIZATIONAL_UNIT && !org.hasOrganizationalUnit(tid)) {
        fail(owner, `targets[${i}]`, `names OU ${tid}, which the Organization does not declare`,
          'Declare the OU (and its accounts) in the Organization, so reach and preview can be checked.');
      }
    });
    const stage = props.rolloutStage ?? Math.max(...props.targets.map((t) => t.stage));
    if (props.rolloutStage !== undefined && !props.targets.some((t) => t.stage <= stage)) {
      fail(owner, 'rolloutStage', `is ${stage}, before the first target's stage (${Math.min(...props.targets.map((t) => t.stage))}), so nothing is attached`,
        'Set `rolloutStage` to the first stage you want live.');
    }
    this.attachedTargets = props.targets.filter((t) => t.stage <= stage);
    this.pendingTargets = props.targets.filter((t) => t.stage > stage);

    this.document = new BedrockPolicyDocument({ configurations: props.configurations });
    const stack = TerraformStack.of(this);
    stack.addOverride('terraform.required_providers.aws.version', BEDROCK_POLICY_PROVIDER_CONSTRAINT);

    const enabler = props.enablePolicyType === false ? undefined : enablePolicyType(this, org, props);
    this.policy = new OrganizationsPolicy(this, 'Policy', {
      provider: props.provider,
      name: this.policyName,
      description: props.description ?? 'Bedrock guardrail enforcement managed by cdktf-bedrock-guardrails',
      type: BEDROCK_POLICY_TYPE,
      // Rendered at synth, so a repeated configuration name is reported by its rule (GR-ORG-006) with the path.
      content: Lazy.stringValue({ produce: () => this.document.toJson() }),
      tags: props.tags ? { ...props.tags } : undefined,
      dependsOn: enabler ? [enabler] : undefined,
    });
    this.attachedTargets.forEach((t) => {
      const tid = t.idIn(org);
      this.attachments.push(new OrganizationsPolicyAttachment(this, `Attachment-${tid}`, {
        provider: props.provider,
        policyId: this.policy.id,
        targetId: tid,
      }));
    });

    // Members may apply the guardrail only once its resource policy grants them: the policy and
    // every attachment wait for it on create (and when the guardrail is replaced), and go first on
    // destroy, so no target is ever enforced with a guardrail it cannot apply.
    const grants = () => this.resourcePolicyResources();
    dependOnAtSynth(this.policy, grants);
    for (const attachment of this.attachments) dependOnAtSynth(attachment, grants);

    RuleRegistry.of(this).addOrganization({
      construct: this,
      organization: org,
      facts: () => organizationPolicyFacts({
        path: this.node.path,
        name: this.policyName,
        document: this.document,
        targets: this.attachedTargets.map((t) => t.factsIn(org)),
        versionFacts: versionFactsOf,
      }),
    }, Object.entries(props.existingPoliciesPerTarget ?? {}).map(([targetId, count]) => ({ targetId, count })));
  }

  /** The resources that put the resource policies of the guardrails this policy names. */
  private resourcePolicyResources(): TerraformResource[] {
    const guardrails = new Set<IGuardrail>(this.document.configurations.map((c) => c.version.guardrail));
    return [...guardrails].flatMap((g) => {
      const policy = GuardrailResourcePolicy.of(g);
      return policy ? [...policy.invocations, ...policy.nativeResources] : [];
    });
  }

  /** The policy's ID (`p-...`), known after apply. */
  public get policyId(): string {
    return this.policy.id;
  }
}

/** The stack's one invocation that enables BEDROCK_POLICY on the root. */
function enablePolicyType(scope: Construct, org: Organization, props: OrganizationEnforcementProps): LambdaInvocation {
  const stack = TerraformStack.of(scope);
  const existing = policyTypeEnablers.get(stack);
  if (existing) return existing;
  const host = ShimHost.of(scope, props.provider);
  if (host.account !== undefined && host.account !== org.managementAccountId) {
    fail(`${OWNER}(${scope.node.path})`, 'provider', `deploys to account ${host.account}, not the management account ${org.managementAccountId}`,
      'Deploy organization enforcement from the management account (or a delegated administrator through its own provider).');
  }
  const holder = new Construct(stack, 'BedrockPolicyType');
  const invocation = host.manage(holder, 'Enable', {
    kind: 'OrganizationPolicyType',
    target: { accountId: org.managementAccountId, region: host.region },
    properties: { policyType: BEDROCK_POLICY_TYPE, disableOnDelete: props.disablePolicyTypeOnDestroy ?? false },
  });
  policyTypeEnablers.set(stack, invocation);
  return invocation;
}
