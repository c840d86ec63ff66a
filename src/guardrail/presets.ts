import { ContentFilter, DeniedTopic } from './filters';
import { GuardrailSettings } from './guardrail';
import {
  ContentFilterType, ContextualGroundingType, FilterStrength, ManagedWordListType, PiiEntityType, SensitiveInformationAction,
} from './types';

/**
 * Ready-made denied topics for common enterprise policies. Each is a plain {@link DeniedTopic}
 * (spread it to change a field). Definitions describe the topic (as Bedrock recommends) rather than instruct the model.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-denied-topics.html
 */
export class DeniedTopics {
  /** Personalised investment, trading or retirement advice. */
  public static financialAdvice(): DeniedTopic {
    return {
      name: 'Financial advice',
      definition: 'Recommendations about investing, trading, or allocating money in specific securities, funds, cryptocurrencies or retirement accounts, tailored to a person.',
      examples: [
        'Which stocks should I buy this month?',
        'Should I move my 401k into crypto?',
        'Is now a good time to sell my index funds?',
      ],
    };
  }

  /** Diagnosis, treatment or medication guidance for a person's condition. */
  public static medicalAdvice(): DeniedTopic {
    return {
      name: 'Medical advice',
      definition: 'Diagnosing a condition, recommending treatments or medication doses, or interpreting symptoms or test results for a specific person.',
      examples: [
        'What dose of ibuprofen should I give my child?',
        'Do my symptoms mean I have diabetes?',
        'Can I stop taking my blood pressure medication?',
      ],
    };
  }

  /** Advice on a person's specific legal situation. */
  public static legalAdvice(): DeniedTopic {
    return {
      name: 'Legal advice',
      definition: "Guidance on how a person should act in their specific legal matter, such as a lawsuit, contract dispute, criminal charge or immigration case.",
      examples: [
        'How should I respond to this lawsuit against me?',
        'Can I break my lease without penalty?',
        'What should I tell the police about the accident?',
      ],
    };
  }

  /** Persuasion for or against candidates, parties or ballot measures. */
  public static politicalCampaigning(): DeniedTopic {
    return {
      name: 'Political campaigning',
      definition: 'Content that urges support for or opposition to a political candidate, party, or ballot measure, or that asks how to vote.',
      examples: [
        'Write a post convincing people to vote for this candidate.',
        'Which party should I vote for?',
      ],
    };
  }

  /** Sharing or inferring confidential business information about the company. */
  public static confidentialBusinessInformation(): DeniedTopic {
    return {
      name: 'Confidential business information',
      definition: 'Unreleased financial results, merger or acquisition plans, internal roadmaps, or other non-public company information.',
      examples: [
        'What will next quarter revenue be before the announcement?',
        'Which company are we planning to acquire?',
      ],
    };
  }
}

/** Ready-made sets of content filters. */
export class ContentFilters {
  /**
   * All six categories at `strength` for text in both directions; the prompt attack filter at
   * `strength` on input only.
   * @param strength @default FilterStrength.HIGH
   */
  public static all(strength: FilterStrength = FilterStrength.HIGH): ContentFilter[] {
    return ContentFilterType.ALL.map((type) => ({ type, inputStrength: strength }));
  }
}

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
