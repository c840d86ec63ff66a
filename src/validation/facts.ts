/**
 * What the synth-time rules and the preview know about an app: plain data, built by the constructs
 * from the model's types and handed to the validation layer. Nothing here refers to a construct.
 */
import { BedrockPolicyContent } from '../model/bedrock-policy';
import { NormalizedEnforcementSettings } from '../model/enforcement-settings';
import { Organization } from '../model/organization';
import { Grants, ResourcePolicyKnowledge, ResourcePolicyReachInput } from '../model/reach';
import { TargetFacts, TargetType } from '../model/targets';

/** One guardrail version named by an enforcement. */
export interface VersionFacts {
  /** Construct path of the version. */
  readonly path: string;
  /** Readable name for previews and messages: the guardrail's name and the version. */
  readonly label: string;
  /** `<guardrail ARN>:<version>`, literal or a token. */
  readonly identifier: string;
  /** The version number, literal or a token. */
  readonly version: string;
  /** Region the version lives in (always literal). */
  readonly region: string;
  /** The account owning the guardrail, when known at synth time. @default unknown */
  readonly ownerAccount?: string;
  /** Whether the guardrail carries an automated reasoning policy. */
  readonly hasAutomatedReasoningPolicy: boolean;
  /** Construct path of the guardrail: what resource policies are joined on. */
  readonly guardrailPath: string;
  /** Whether the guardrail is made in this app (an imported one may have its policy managed elsewhere). */
  readonly guardrailManaged: boolean;
}

/** The level an enforced configuration is made at. */
export enum EnforcementLevel {
  /** A configuration of an organization `BEDROCK_POLICY`. */
  ORGANIZATION = 'organization',
  /** An account-level enforced guardrail configuration. */
  ACCOUNT = 'account',
}

/**
 * One enforced guardrail configuration, at either level: the same facts, so a rule that means the
 * same at both levels is written once.
 */
export interface EnforcedConfigurationFacts {
  /** Organization or account level. */
  readonly level: EnforcementLevel;
  /** Construct path of what made it (the organization policy, or the account-level enforcement). */
  readonly path: string;
  /** Name of the stack it is in. */
  readonly stack: string;
  /** Region it enforces in. */
  readonly region: string;
  /** Configuration name (organization level), or `account-level`. */
  readonly name: string;
  /** The version it names. */
  readonly version: VersionFacts;
  /** Its settings. */
  readonly settings: NormalizedEnforcementSettings;
  /** Where it applies: the policy's attached targets, or the one account. */
  readonly targets: readonly TargetFacts[];
  /** The account, at account level. @default none (organization level) */
  readonly account?: string;
  /** The policy's name, at organization level. @default none (account level) */
  readonly policyName?: string;
}

/** A target of an organization policy with its rollout stage (the preview's input takes the same, as `PreviewStagedTarget`). */
export interface StagedTargetFacts extends TargetFacts {
  /** Rollout stage. */
  readonly stage: number;
}

/** One organization-level `BEDROCK_POLICY` and where it is attached. */
export interface OrganizationPolicyFacts {
  /** Construct path of the policy. */
  readonly path: string;
  /** Name of the stack it is in. */
  readonly stack: string;
  /** Policy name. */
  readonly name: string;
  /** How far the rollout has gone. */
  readonly rolloutStage: number;
  /** Targets attached at the current stage, in attachment order. */
  readonly attached: readonly StagedTargetFacts[];
  /** Targets of later stages. */
  readonly pending: readonly StagedTargetFacts[];
  /** Its configurations. */
  readonly configurations: readonly EnforcedConfigurationFacts[];
  /** The rendered content. @default undefined when it cannot render (a configuration name repeated in a region) */
  readonly content?: BedrockPolicyContent;
  /** Size of the compact JSON (bounds, since identifiers may be tokens). @default undefined when it cannot render */
  readonly characterCount?: { readonly lowerBound: number; readonly upperBound: number };
  /** Bedrock policies attached directly to targets outside this app, counted toward the per-target limit. */
  readonly existingAttachments: readonly { readonly targetId: string; readonly count: number }[];
}

/** A guardrail's resource-based policy declared in the app. */
export interface ResourcePolicyFacts {
  /** Construct path of the policy. */
  readonly path: string;
  /** Construct path of its guardrail. */
  readonly guardrailPath: string;
  /** Whom it grants. */
  readonly grants: Grants;
  /** How many principals it names. */
  readonly principalCount: number;
}

/** A guardrail made in the app. */
export interface GuardrailFacts {
  /** Construct path. */
  readonly path: string;
  /** Its name. */
  readonly name: string;
  /** Its region. */
  readonly region: string;
  /**
   * Where it is made, for uniqueness: the account when known, else the stack and provider that
   * deploy it (the same provider means the same account).
   */
  readonly placement: string;
}

/** A shim host and the size of its role's inline policy. */
export interface ShimHostFacts {
  /** Construct path. */
  readonly path: string;
  /** Characters of the role's inline policy as Terraform will see it. */
  readonly policyCharacters: number;
  /** Member roles it may assume. */
  readonly assumedRoles: number;
  /** Resources its statements are scoped to. */
  readonly scopedResources: number;
}

/** Everything the rules read about an app. */
export interface AppFacts {
  /** The distinct organizations the app's constructs were given. */
  readonly organizations: readonly Organization[];
  /** Organization-level policies, in registration order. */
  readonly organizationPolicies: readonly OrganizationPolicyFacts[];
  /** Account-level configurations, in registration order. */
  readonly accountConfigurations: readonly EnforcedConfigurationFacts[];
  /** Resource policies. */
  readonly resourcePolicies: readonly ResourcePolicyFacts[];
  /** Guardrails made in the app. */
  readonly guardrails: readonly GuardrailFacts[];
  /** Shim hosts. */
  readonly shimHosts: readonly ShimHostFacts[];
}

/** Facts of an app with nothing in it, for building test inputs. */
export const EMPTY_APP_FACTS: AppFacts = {
  organizations: [], organizationPolicies: [], accountConfigurations: [], resourcePolicies: [], guardrails: [], shimHosts: [],
};

/** The one organization the app describes, when it describes exactly one. */
export function theOrganization(facts: AppFacts): Organization | undefined {
  const [first, ...rest] = facts.organizations;
  // Several objects declaring the same thing (one per stack, say) are one organization; any
  // difference between them is reported by GR-APP-001, and then no organization is assumed.
  return first && rest.every((o) => o.declaration === first.declaration) ? first : undefined;
}

/** The resource policy of a version's guardrail, as reach sees it. */
export function resourcePolicyOf(facts: AppFacts, version: VersionFacts): ResourcePolicyReachInput {
  const declared = facts.resourcePolicies.filter((p) => p.guardrailPath === version.guardrailPath);
  if (declared.length) {
    const [first] = declared;
    return { knowledge: ResourcePolicyKnowledge.DECLARED, grants: first.grants, ownerAccount: version.ownerAccount };
  }
  return {
    knowledge: version.guardrailManaged ? ResourcePolicyKnowledge.NONE : ResourcePolicyKnowledge.MANAGED_ELSEWHERE,
    ownerAccount: version.ownerAccount,
  };
}

/** A readable name for a target. */
export function targetText(t: TargetFacts): string {
  return t.type === TargetType.ROOT ? `the root ${t.id}` : t.type === TargetType.ORGANIZATIONAL_UNIT ? `OU ${t.id}` : `account ${t.id}`;
}

/** How messages name a configuration: `configuration "<region>/<name>"` or `account-level configuration for <account> in <region>`. */
export function configurationText(c: EnforcedConfigurationFacts): string {
  return c.level === EnforcementLevel.ORGANIZATION
    ? `configuration "${c.region}/${c.name}"`
    : `account-level configuration for ${c.account} in ${c.region}`;
}
