import { BedrockPolicyDocument } from '../enforcement/policy-document';
import { EnforcementSettings, modelValues } from '../enforcement/settings';
import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { Organization } from '../organization';

/**
 * Who a guardrail's resource-based policy lets call `bedrock:ApplyGuardrail`, as far as the rules
 * need it. AWS accepts three statement shapes: the owning account, the whole organization
 * (`aws:PrincipalOrgID`), and chosen OUs (`aws:PrincipalOrgPaths`); specific member accounts are
 * not a supported principal.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
export interface ResourcePolicyReach {
  /**
   * Construct path of the resource policy, for messages.
   * @default none
   */
  readonly path?: string;
  /**
   * The organization ID in the `aws:PrincipalOrgID` condition, when literal.
   * @default unknown
   */
  readonly organizationId?: string;
  /**
   * Whether a statement grants the whole organization (`aws:PrincipalOrgID` alone).
   * @default false
   */
  readonly organizationWide?: boolean;
  /**
   * OU IDs granted through `aws:PrincipalOrgPaths` (the last OU of each path): each grants its subtree.
   * @default none
   */
  readonly organizationalUnitIds?: string[];
}

/** What the rules know about one guardrail version named by an enforcement. */
export interface GuardrailVersionFacts {
  /** Construct path of the version. */
  readonly path: string;
  /** `<guardrail ARN>:<version>`, literal or a token. */
  readonly identifier: string;
  /** The version number, literal or a token. */
  readonly version: string;
  /** Region the version lives in (always literal). */
  readonly region: string;
  /**
   * The account owning the guardrail, when known at synth time.
   * @default unknown
   */
  readonly ownerAccount?: string;
  /** Whether the guardrail carries an automated reasoning policy. */
  readonly hasAutomatedReasoningPolicy: boolean;
  /**
   * Readable name for previews and messages.
   * @default the path
   */
  readonly label?: string;
  /**
   * The guardrail's resource policy as declared in this app.
   * @default none declared
   */
  readonly resourcePolicy?: ResourcePolicyReach;
  /**
   * Set when the resource policy is managed outside this app (an imported guardrail): reach is then
   * not checked, and a warning says so.
   * @default false
   */
  readonly resourcePolicyUnmanaged?: boolean;
}

/** Options for {@link guardrailVersionFacts}. */
export interface GuardrailVersionFactsOptions {
  /**
   * The guardrail's resource policy as declared in this app.
   * @default none declared
   */
  readonly resourcePolicy?: ResourcePolicyReach;
  /**
   * The resource policy is managed outside this app.
   * @default false
   */
  readonly resourcePolicyUnmanaged?: boolean;
  /**
   * Readable name.
   * @default the version's construct path
   */
  readonly label?: string;
}

/** Facts about a version, read from the construct. */
export function guardrailVersionFacts(version: IGuardrailVersion, options: GuardrailVersionFactsOptions = {}): GuardrailVersionFacts {
  return {
    path: version.node.path,
    identifier: version.enforcementIdentifier,
    version: version.guardrailVersion,
    region: version.region,
    ownerAccount: version.guardrail.account,
    hasAutomatedReasoningPolicy: version.guardrail.hasAutomatedReasoningPolicy,
    label: options.label,
    resourcePolicy: options.resourcePolicy,
    resourcePolicyUnmanaged: options.resourcePolicyUnmanaged,
  };
}

/** The kind of node an organization policy is attached to. */
export enum TargetType {
  /** The organization root: every account. */
  ROOT = 'ROOT',
  /** An organizational unit and everything under it. */
  ORGANIZATIONAL_UNIT = 'ORGANIZATIONAL_UNIT',
  /** One account. */
  ACCOUNT = 'ACCOUNT',
}

/** A node an organization policy is attached to. */
export interface TargetFacts {
  /** Kind of node. */
  readonly type: TargetType;
  /** Its ID: `r-…`, `ou-…-…` or a 12-digit account ID. */
  readonly id: string;
}

/** One configuration of an organization policy. */
export interface OrganizationConfigurationFacts {
  /** Region key. */
  readonly region: string;
  /** Configuration name. */
  readonly name: string;
  /** The version it names. */
  readonly version: GuardrailVersionFacts;
  /**
   * Included model IDs as strings.
   * @default all models
   */
  readonly includedModels?: string[];
  /**
   * Excluded model IDs as strings.
   * @default none
   */
  readonly excludedModels?: string[];
}

/** One organization-level `BEDROCK_POLICY` and where it is attached. */
export interface OrganizationPolicyFacts {
  /** Construct path of the policy. */
  readonly path: string;
  /** Policy name. */
  readonly name: string;
  /** Its configurations. */
  readonly configurations: OrganizationConfigurationFacts[];
  /** Nodes it is attached to directly. */
  readonly targets: TargetFacts[];
  /**
   * Size of the compact JSON (bounds, since identifiers may be tokens).
   * @default not checked
   */
  readonly characterCount?: { readonly lowerBound: number; readonly upperBound: number };
}

/** Policies of type `BEDROCK_POLICY` already attached to a target outside this app. */
export interface ExistingAttachmentFacts {
  /** Target ID. */
  readonly targetId: string;
  /** How many `BEDROCK_POLICY` policies are attached to it directly, outside this app. */
  readonly count: number;
}

/** Input of the organization-level rules: every organization policy in the app. */
export interface OrganizationRulesInput {
  /**
   * The organization, for management-account and resource-policy reach checks.
   * @default unknown: those checks report that they cannot verify
   */
  readonly organization?: Organization;
  /** Every organization-level Bedrock policy in the app. */
  readonly policies: OrganizationPolicyFacts[];
  /**
   * Bedrock policies attached outside this app, counted toward the per-target limit.
   * @default none
   */
  readonly existingAttachments?: ExistingAttachmentFacts[];
}

/** Options for {@link organizationPolicyFacts}. */
export interface OrganizationPolicyFactsOptions {
  /** Construct path of the policy. */
  readonly path: string;
  /** Policy name. */
  readonly name: string;
  /** The document. */
  readonly document: BedrockPolicyDocument;
  /** Nodes it is attached to. */
  readonly targets: TargetFacts[];
  /**
   * Facts for each version (its resource policy in particular).
   * @default guardrailVersionFacts(version) with no resource policy declared
   */
  readonly versionFacts?: (version: IGuardrailVersion) => GuardrailVersionFacts;
}

/** Builds {@link OrganizationPolicyFacts} from a document, so constructs fill the rule input in one call. */
export function organizationPolicyFacts(options: OrganizationPolicyFactsOptions): OrganizationPolicyFacts {
  const facts = options.versionFacts ?? ((v: IGuardrailVersion) => guardrailVersionFacts(v));
  let characterCount: { lowerBound: number; upperBound: number } | undefined;
  try {
    const range = options.document.characterCountRange;
    characterCount = { lowerBound: range.lowerBound, upperBound: range.upperBound };
  } catch {
    // A document with a repeated configuration name cannot render; GR-ORG-006 reports that.
    characterCount = undefined;
  }
  return {
    path: options.path,
    name: options.name,
    targets: [...options.targets],
    characterCount,
    configurations: options.document.configurations.map((c) => ({
      region: c.region,
      name: c.name,
      version: facts(c.version),
      includedModels: modelValues(c.settings.includedModels),
      excludedModels: modelValues(c.settings.excludedModels),
    })),
  };
}

/** One account-level enforced configuration. */
export interface AccountConfigurationFacts {
  /** Construct path of the account-level enforcement. */
  readonly path: string;
  /** The account enforced in. */
  readonly account: string;
  /** The region enforced in. */
  readonly region: string;
  /** The version it names. */
  readonly version: GuardrailVersionFacts;
  /**
   * Included model IDs as strings.
   * @default all models
   */
  readonly includedModels?: string[];
  /**
   * Excluded model IDs as strings.
   * @default none
   */
  readonly excludedModels?: string[];
}

/** Builds {@link AccountConfigurationFacts} from settings and a version. */
export function accountConfigurationFacts(path: string, account: string, region: string,
  version: GuardrailVersionFacts, settings: EnforcementSettings = {}): AccountConfigurationFacts {
  return {
    path, account, region, version,
    includedModels: modelValues(settings.includedModels),
    excludedModels: modelValues(settings.excludedModels),
  };
}

/** Input of the account-level rules: every account-level configuration in the app. */
export interface AccountRulesInput {
  /**
   * The organization, for resource-policy reach through OUs.
   * @default unknown: reach through OUs is reported as not verifiable
   */
  readonly organization?: Organization;
  /** Every account-level configuration in the app. */
  readonly configurations: AccountConfigurationFacts[];
}
