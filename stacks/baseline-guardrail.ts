import { ManagementAccountStackProps } from './management-account-stack';
import {
  ContentFilters, ContextualGroundingType, DeniedTopics, ManagedWordListType, PiiEntityType, SensitiveInformationAction,
} from '../src';

/** A guardrail's settings as the stacks take them (the stack supplies provider, region and account). */
export type GuardrailSettings = ManagementAccountStackProps['guardrail'];

/**
 * The organization's baseline guardrail: every content filter at HIGH (prompt attacks on input),
 * investment and medical advice denied, profanity blocked, AWS secret keys blocked and email
 * addresses masked, and a grounding check for answers built on retrieved documents.
 *
 * A function, not a constant: each caller gets fresh arrays it may extend without touching
 * anyone else's guardrail.
 */
export function baselineGuardrail(name = 'org-baseline'): GuardrailSettings {
  return {
    name,
    description: 'Organization-wide baseline guardrail',
    blockedInputMessaging: 'This request was blocked by the organization AI policy.',
    blockedOutputsMessaging: 'This response was blocked by the organization AI policy.',
    contentFilters: ContentFilters.all(),
    deniedTopics: [DeniedTopics.financialAdvice(), DeniedTopics.medicalAdvice()],
    managedWordLists: [{ type: ManagedWordListType.PROFANITY }],
    piiFilters: [
      { type: PiiEntityType.AWS_SECRET_KEY, action: SensitiveInformationAction.BLOCK },
      { type: PiiEntityType.EMAIL, action: SensitiveInformationAction.ANONYMIZE },
    ],
    contextualGrounding: [{ type: ContextualGroundingType.GROUNDING, threshold: 0.7 }],
    tags: { 'managed-by': 'cdktf-bedrock-guardrails' },
  };
}
