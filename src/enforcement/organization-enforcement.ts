import { Construct } from 'constructs';
import { BedrockPolicyDocument, GuardrailConfigurationProps } from './policy-document';
import { GuardrailResourcePolicy } from '../access/resource-policy';
import { IGuardrail } from '../guardrail/guardrail-base';
import { versionFacts } from '../guardrail/guardrail-version';
import { POLICY_DESCRIPTION_MAX_LENGTH, POLICY_NAME_MAX_LENGTH, MAX_ROLLOUT_STAGE } from '../model/limits';
import { Organization } from '../model/organization';
import { EnforcementTarget, TargetType } from '../model/targets';
import { checkLength, checkWholeNumber, fail } from '../model/validate';
import {
  LambdaInvocation, OrganizationsPolicy, OrganizationsPolicyAttachment, TerraformProvider, TerraformResource, TerraformStack, atSynth,
  awsProviderFromBindings, constrainAwsProvider, dependOnAtSynth,
} from '../private/cdktf';
import { shortenWithHash } from '../private/hash';
import { ShimHost } from '../shim/shim-host';
import { EnforcementLevel, OrganizationPolicyFacts, StagedTargetFacts } from '../validation/facts';
import { GuardrailsValidation } from '../validation/validation';

/** The Organizations policy type for Bedrock enforcement. */
export const BEDROCK_POLICY_TYPE = 'BEDROCK_POLICY';

/**
 * The hashicorp/aws constraint emitted by stacks with organization enforcement: from the version
 * the package's provider bindings are generated from up to the next major release, releases whose
 * Organizations SDK accepts the `BEDROCK_POLICY` type. It depends on the flavor of the package:
 *
 * - `cdktf-bedrock-guardrails` (`@cdktf/provider-aws` 21.22.1, hashicorp/aws 6.25.0): `>= 6.25.0, < 7.0.0`;
 * - `cdktn-bedrock-guardrails` (`@cdktn/provider-aws` 25.7.0, hashicorp/aws 6.66.0): `>= 6.66.0, < 7.0.0`.
 *
 * The floor is read from the installed bindings, so a newer `@cdktn/provider-aws` raises it: an
 * older provider may lack arguments the bindings render. Other stacks keep the exact version
 * the bindings pin.
 */
export const BEDROCK_POLICY_PROVIDER_CONSTRAINT: string = awsProviderFromBindings();

/** Properties of an {@link OrganizationEnforcement}. */
export interface OrganizationEnforcementProps {
  /** The organization (IDs, OUs, accounts): used for the root ID, the checks and the preview. */
  readonly organization: Organization;
  /**
   * Name of the Organizations policy: 1-128 characters, unique in the organization (rule GR-ORG-015).
   * @default the construct path with `-` for `/` (e.g. "management-Enforce"), shortened with a hash past 128 characters
   */
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
const POLICY_TYPE_ENABLER_ID = 'BedrockPolicyType';

/** A default policy name unique in the app: the construct path, shortened with a hash when long. */
function defaultPolicyName(path: string): string {
  return shortenWithHash(path.replace(/\//g, '-'), POLICY_NAME_MAX_LENGTH);
}

/**
 * Organization-level enforcement: an AWS Organizations policy of type `BEDROCK_POLICY` naming a
 * guardrail version per region, attached to OUs, accounts or (opt-in) the root.
 *
 * A malformed policy makes every Bedrock call in the targeted accounts fail, so everything that
 * can be checked is checked at synth (rules `GR-ORG-*`): the version is numbered and in the region
 * it is listed under, the guardrail is the management account's, has no automated reasoning
 * policy, and its resource policy lets every target apply it; names are unique, the document fits
 * 10,000 characters, no target gets more than 10 policies. Roll out in stages: targets carry a
 * stage and `rolloutStage` decides how far the rollout has gone. The policy and its attachments
 * wait for the guardrail's resource policy, so no account is enforced before it may apply the
 * guardrail, and they go first on destroy.
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
  /** How far the rollout has gone. */
  public readonly rolloutStage: number;

  constructor(scope: Construct, id: string, props: OrganizationEnforcementProps) {
    super(scope, id);
    const owner = `${OWNER}(${this.node.path})`;
    const org = props.organization;
    this.organization = org;
    this.policyName = props.policyName ?? defaultPolicyName(this.node.path);
    checkLength(owner, 'policyName', this.policyName, 1, POLICY_NAME_MAX_LENGTH);
    checkLength(owner, 'description', props.description, 0, POLICY_DESCRIPTION_MAX_LENGTH);
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
      if (t.type === TargetType.ACCOUNT && !org.hasAccount(tid)) {
        fail(owner, `targets[${i}]`, `names account ${tid}, which the Organization does not declare`,
          'Declare the account in its OU (or under the root) in the Organization, so reach and preview can be checked.');
      }
    });
    checkWholeNumber(owner, 'rolloutStage', props.rolloutStage, 1, MAX_ROLLOUT_STAGE, 'Give the stage number reached so far: 1, 2, 3, ...');
    const stage = props.rolloutStage ?? Math.max(...props.targets.map((t) => t.stage));
    if (props.rolloutStage !== undefined && !props.targets.some((t) => t.stage <= stage)) {
      fail(owner, 'rolloutStage', `is ${stage}, before the first target's stage (${Math.min(...props.targets.map((t) => t.stage))}), so nothing is attached`,
        'Set `rolloutStage` to the first stage you want live.');
    }
    this.rolloutStage = stage;
    this.attachedTargets = props.targets.filter((t) => t.stage <= stage);
    this.pendingTargets = props.targets.filter((t) => t.stage > stage);

    this.document = new BedrockPolicyDocument({ configurations: props.configurations });
    constrainAwsProvider(this, BEDROCK_POLICY_PROVIDER_CONSTRAINT);

    const enabler = props.enablePolicyType === false ? undefined : enablePolicyType(this, org, props);
    this.policy = new OrganizationsPolicy(this, 'Policy', {
      provider: props.provider,
      name: this.policyName,
      description: props.description ?? 'Bedrock guardrail enforcement managed by cdktf-bedrock-guardrails',
      type: BEDROCK_POLICY_TYPE,
      // Rendered at synth. cdktf resolves tokens before it runs validations, so a document that
      // cannot render (a configuration name repeated in a region) must not throw here: rule
      // GR-ORG-006 then reports it with the construct path and the fix. The stand-in is not JSON,
      // so even an app synthesized without validations cannot apply it.
      content: atSynth(() => this.document.tryRender()?.json ?? 'NOT A POLICY: a configuration name repeats in a region (rule GR-ORG-006)'),
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

    const validation = GuardrailsValidation.of(this);
    validation.addOrganization(org);
    const existing = Object.entries(props.existingPoliciesPerTarget ?? {}).map(([targetId, count]) => ({ targetId, count }));
    validation.addOrganizationPolicy(this, () => this.facts(existing));
  }

  /** The policy's ID (`p-...`), known after apply. */
  public get policyId(): string {
    return this.policy.id;
  }

  private facts(existingAttachments: OrganizationPolicyFacts['existingAttachments']): OrganizationPolicyFacts {
    const org = this.organization;
    const staged = (t: EnforcementTarget): StagedTargetFacts => ({ ...t.factsIn(org), stage: t.stage });
    const attached = this.attachedTargets.map(staged);
    const stack = TerraformStack.of(this).node.id;
    // A repeated configuration name cannot render; GR-ORG-006 reports it with the path.
    const rendered = this.document.tryRender();
    const range = rendered?.characterCountRange;
    return {
      path: this.node.path,
      stack,
      name: this.policyName,
      rolloutStage: this.rolloutStage,
      attached,
      pending: this.pendingTargets.map(staged),
      content: rendered?.content,
      characterCount: range && { lowerBound: range.lowerBound, upperBound: range.upperBound },
      existingAttachments,
      configurations: this.document.configurations.map((c) => ({
        level: EnforcementLevel.ORGANIZATION,
        path: this.node.path,
        stack,
        region: c.region,
        name: c.name,
        version: versionFacts(c.version, c.label),
        settings: c.normalized,
        targets: attached,
        policyName: this.policyName,
      })),
    };
  }

  /** The resources that put the resource policies of the guardrails this policy names. */
  private resourcePolicyResources(): TerraformResource[] {
    const guardrails = new Set<IGuardrail>(this.document.configurations.map((c) => c.version.guardrail));
    return [...guardrails].flatMap((g) => GuardrailResourcePolicy.resourcesOf(g));
  }
}


/** Holds the stack's one invocation that enables BEDROCK_POLICY, and the path of the enforcement that made it. */
class PolicyTypeEnabler extends Construct {
  /** The invocation, made right after this holder (it is the invocation's scope). */
  public invocation!: LambdaInvocation;

  public constructor(scope: Construct, id: string, public readonly disableOnDelete: boolean, public readonly madeBy: string) {
    super(scope, id);
  }
}

/**
 * The stack's one invocation that enables BEDROCK_POLICY on the root, made on first use. Every
 * enforcement sharing it is checked the same way (management account, `disablePolicyTypeOnDestroy`),
 * so the outcome does not depend on which one is declared first.
 */
function enablePolicyType(scope: Construct, org: Organization, props: OrganizationEnforcementProps): LambdaInvocation {
  const owner = `${OWNER}(${scope.node.path})`;
  const host = ShimHost.of(scope, props.provider);
  if (host.account !== undefined && host.account !== org.managementAccountId) {
    fail(owner, 'provider', `deploys to account ${host.account}, not the management account ${org.managementAccountId}`,
      'Deploy organization enforcement from the management account (or a delegated administrator through its own provider).');
  }
  const disableOnDelete = props.disablePolicyTypeOnDestroy ?? false;
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(POLICY_TYPE_ENABLER_ID);
  if (existing instanceof PolicyTypeEnabler) {
    if (existing.disableOnDelete !== disableOnDelete) {
      fail(owner, 'disablePolicyTypeOnDestroy', `is ${disableOnDelete}, but ${existing.madeBy} in the same stack sets ${existing.disableOnDelete} ` +
        'and the stack has one invocation enabling the policy type',
        `Give both the same value, or set \`enablePolicyType: false\` on this one.`);
    }
    return existing.invocation;
  }
  const holder = new PolicyTypeEnabler(stack, POLICY_TYPE_ENABLER_ID, disableOnDelete, owner);
  holder.invocation = host.manage(holder, 'Enable', {
    kind: 'OrganizationPolicyType',
    target: { accountId: org.managementAccountId, region: host.region },
    properties: { policyType: BEDROCK_POLICY_TYPE, disableOnDelete },
  });
  return holder.invocation;
}
