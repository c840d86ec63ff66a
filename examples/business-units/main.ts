/**
 * Business units: the platform team's shared organization guardrail, enforced on the business
 * units' OU by a BEDROCK_POLICY from the management account; and, in each unit's own account, the
 * unit's stricter guardrail with account-level enforcement, deployed with that account's
 * credentials. Every unit is described by one `BusinessUnit` record and built by one function.
 */
import { App } from 'cdktf';
import {
  ContentGuarding, DeniedTopic, DeniedTopics, EnforcementTarget, ManagementAccountStack, MemberAccountStack, ModelId,
  PiiEntityType, PiiFilter, RegexFilter, SensitiveInformationAction,
} from '../../src';
import { baselineGuardrail } from '../shared/guardrails';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, HOME_REGION, OUS } from '../shared/organization';
import { runExample } from '../shared/run';

/** What makes one business unit's guardrail stricter than the baseline: only additions. */
export interface BusinessUnit {
  /** Short name, used for the stack (`unit-<name>`) and the guardrail (`<name>-guardrail`). */
  readonly name: string;
  /** The unit's account, where its stack deploys. */
  readonly accountId: string;
  /** The team that owns the account, as a tag on every resource of its stack. */
  readonly owner: string;
  /** Topics denied on top of the baseline's. @default none */
  readonly extraDeniedTopics?: DeniedTopic[];
  /** PII filters on top of the baseline's. @default none */
  readonly extraPiiFilters?: PiiFilter[];
  /** Regex filters for the unit's own identifiers. @default none */
  readonly regexFilters?: RegexFilter[];
}

/** The business units. Adding a unit is adding a record here (and its account to the Organization). */
export const BUSINESS_UNITS: readonly BusinessUnit[] = [
  {
    name: 'retail-banking',
    accountId: ACCOUNTS.retailBanking,
    owner: 'retail-banking-platform',
    extraDeniedTopics: [DeniedTopics.legalAdvice()],
    extraPiiFilters: [
      { type: PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, action: SensitiveInformationAction.BLOCK },
      { type: PiiEntityType.US_BANK_ACCOUNT_NUMBER, action: SensitiveInformationAction.ANONYMIZE },
    ],
    regexFilters: [{
      name: 'customer-number',
      pattern: 'RB-[0-9]{10}',
      description: 'Retail banking customer numbers',
      action: SensitiveInformationAction.ANONYMIZE,
    }],
  },
  {
    name: 'health-insurance',
    accountId: ACCOUNTS.healthInsurance,
    owner: 'health-claims-engineering',
    extraDeniedTopics: [DeniedTopics.legalAdvice()],
    extraPiiFilters: [
      { type: PiiEntityType.US_SOCIAL_SECURITY_NUMBER, action: SensitiveInformationAction.BLOCK },
      { type: PiiEntityType.NAME, action: SensitiveInformationAction.ANONYMIZE },
    ],
    regexFilters: [{
      name: 'member-id',
      pattern: 'HI[0-9]{9}',
      description: 'Health insurance member IDs',
      action: SensitiveInformationAction.ANONYMIZE,
    }],
  },
];

/** The stacks of the example. */
export interface BusinessUnitsApp {
  /** The platform team's stack in the management account. */
  readonly management: ManagementAccountStack;
  /** One stack per business unit, in `BUSINESS_UNITS` order. */
  readonly units: MemberAccountStack[];
}

/**
 * A business unit's stack: the baseline guardrail plus the unit's additions, enforced at account
 * level in the unit's own account, every prompt and message evaluated.
 */
export function businessUnitStack(app: App, unit: BusinessUnit): MemberAccountStack {
  const base = baselineGuardrail(`${unit.name}-guardrail`);
  return new MemberAccountStack(app, `unit-${unit.name}`, {
    accountId: unit.accountId,
    region: HOME_REGION,
    organization: EXAMPLE_ORGANIZATION,
    guardrail: {
      ...base,
      description: `Guardrail of the ${unit.name} business unit: the baseline and the unit's additions`,
      deniedTopics: [...(base.deniedTopics ?? []), ...(unit.extraDeniedTopics ?? [])],
      piiFilters: [...(base.piiFilters ?? []), ...(unit.extraPiiFilters ?? [])],
      regexFilters: [...(base.regexFilters ?? []), ...(unit.regexFilters ?? [])],
    },
    systemPromptGuarding: ContentGuarding.COMPREHENSIVE,
    messageGuarding: ContentGuarding.COMPREHENSIVE,
    excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    defaultTags: { 'business-unit': unit.name, 'owner': unit.owner },
  });
}

/** Builds the example: `management` and one `unit-<name>` stack per business unit. */
export function build(app: App): BusinessUnitsApp {
  const management = new ManagementAccountStack(app, 'management', {
    region: HOME_REGION,
    organization: EXAMPLE_ORGANIZATION,
    guardrail: baselineGuardrail(),
    versionDescription: 'Baseline',
    organizationEnforcement: {
      targets: [EnforcementTarget.organizationalUnit(OUS.businessUnits)],
      systemPromptGuarding: ContentGuarding.SELECTIVE,
      messageGuarding: ContentGuarding.COMPREHENSIVE,
      excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    },
  });
  return { management, units: BUSINESS_UNITS.map((unit) => businessUnitStack(app, unit)) };
}

if (require.main === module) runExample(__dirname, build);
