import { fail, isToken, show } from '../private/validate';

/**
 * How an enforced guardrail treats content that the caller has marked with guard-content tags
 * (`guardContent` blocks in the Converse API, input tags in `InvokeModel`).
 *
 * The same two modes exist at both enforcement levels. The account-level API
 * (`PutEnforcedGuardrailConfiguration`) spells them in uppercase, as these enum values do; the
 * organization `BEDROCK_POLICY` document spells them in lowercase. {@link contentGuardingToPolicyValue}
 * and {@link contentGuardingFromPolicyValue} are the one place that maps between the two.
 *
 * When a mode is omitted, AWS applies `comprehensive` (documented for the organization policy on
 * "Amazon Bedrock policy syntax and examples"; the account-level API reference lists the field as
 * optional and gives no default, so the library assumes the same default there).
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_SelectiveContentGuarding.html
 */
export enum ContentGuarding {
  /**
   * Evaluate only the content inside guard-content tags: the caller decides what is guarded.
   *
   * For system prompts, a request without tags has **nothing** evaluated. For messages, a request
   * without tags has all message content evaluated.
   */
  SELECTIVE = 'SELECTIVE',
  /**
   * Evaluate all content, whatever tags the caller set. The strictest mode, and AWS's default.
   */
  COMPREHENSIVE = 'COMPREHENSIVE',
}

/** The mode AWS applies when a guarding mode is omitted. */
export const DEFAULT_CONTENT_GUARDING = ContentGuarding.COMPREHENSIVE;

/**
 * The value the organization `BEDROCK_POLICY` document uses for a mode: `selective` or `comprehensive`.
 */
export function contentGuardingToPolicyValue(mode: ContentGuarding): string {
  return mode.toLowerCase();
}

/**
 * Reads a mode as written in a `BEDROCK_POLICY` document (`selective` / `comprehensive`) or by the
 * account-level API (`SELECTIVE` / `COMPREHENSIVE`).
 *
 * @throws GuardrailsValidationError for any other value
 */
export function contentGuardingFromPolicyValue(value: string): ContentGuarding {
  const upper = value.toUpperCase();
  if (upper === ContentGuarding.SELECTIVE || upper === ContentGuarding.COMPREHENSIVE) {
    return upper as ContentGuarding;
  }
  return fail('ContentGuarding', 'value', `must be "selective" or "comprehensive", got ${show(value)}`,
    'Use ContentGuarding.SELECTIVE or ContentGuarding.COMPREHENSIVE.');
}

/** What kind of identifier a {@link ModelId} holds. */
export enum ModelIdKind {
  /** The keyword `ALL`: every model. Valid only in an include list. */
  ALL = 'ALL',
  /**
   * A model ID of the shape AWS documents for model enforcement:
   * `provider.model[:version[:variant]][/12-character id]`, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`.
   */
  MODEL = 'MODEL',
  /**
   * A system-defined cross-region inference profile ID, e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0`.
   * It passes the API's (unanchored) pattern, but AWS does not document whether enforcement matches
   * calls made through a profile by the profile's ID; the rules warn about it.
   */
  INFERENCE_PROFILE = 'INFERENCE_PROFILE',
  /** A Terraform token, known only at apply time: not checked. */
  UNRESOLVED = 'UNRESOLVED',
}

/**
 * Shape of a model ID accepted by `includedModels` / `excludedModels`, anchored.
 *
 * AWS's API reference gives `([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}(/[a-z0-9]{12}){0,1}`
 * (and `ALL|...` for the include list) for both the account-level API and the organization policy.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ModelEnforcement.html
 */
export const MODEL_ID_PATTERN = /^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(?::[a-z0-9-]{1,63}){0,2}(?:\/[a-z0-9]{12})?$/;

/** Shape of a system-defined cross-region inference profile ID: a geography prefix before a model ID. */
export const INFERENCE_PROFILE_ID_PATTERN = /^(?:us|us-gov|eu|apac|jp|au|ca|global)\.[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(?::[a-z0-9-]{1,63}){0,2}$/;

/** Longest model ID the documented pattern allows: 63 + 1 + 63 + 2 × (1 + 63) + 13 characters. */
export const MODEL_ID_MAX_LENGTH = 268;

/**
 * A Bedrock model identifier for model enforcement's include and exclude lists.
 *
 * Named constants cover a few current models; {@link ModelId.of} takes any other ID and checks its
 * shape against the pattern AWS documents. `ModelId.ALL` is valid only in an include list.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html
 */
export class ModelId {
  /** Every model (the `ALL` keyword). Only valid in `includedModels`. */
  public static readonly ALL = new ModelId('ALL', ModelIdKind.ALL);
  /** Amazon Nova Pro. */
  public static readonly AMAZON_NOVA_PRO_V1 = new ModelId('amazon.nova-pro-v1:0', ModelIdKind.MODEL);
  /** Amazon Nova Lite. */
  public static readonly AMAZON_NOVA_LITE_V1 = new ModelId('amazon.nova-lite-v1:0', ModelIdKind.MODEL);
  /** Amazon Nova Micro. */
  public static readonly AMAZON_NOVA_MICRO_V1 = new ModelId('amazon.nova-micro-v1:0', ModelIdKind.MODEL);
  /** Amazon Titan Text Embeddings V2 (an embedding model: guardrails do not apply to it, so exclude it). */
  public static readonly AMAZON_TITAN_EMBED_TEXT_V2 = new ModelId('amazon.titan-embed-text-v2:0', ModelIdKind.MODEL);
  /** Anthropic Claude Sonnet 4.5. */
  public static readonly ANTHROPIC_CLAUDE_SONNET_4_5 = new ModelId('anthropic.claude-sonnet-4-5-20250929-v1:0', ModelIdKind.MODEL);
  /** Anthropic Claude 3.5 Sonnet (June 2024). */
  public static readonly ANTHROPIC_CLAUDE_3_5_SONNET = new ModelId('anthropic.claude-3-5-sonnet-20240620-v1:0', ModelIdKind.MODEL);
  /** Anthropic Claude 3 Haiku. */
  public static readonly ANTHROPIC_CLAUDE_3_HAIKU = new ModelId('anthropic.claude-3-haiku-20240307-v1:0', ModelIdKind.MODEL);
  /** Cohere Embed English v3 (an embedding model: guardrails do not apply to it, so exclude it). */
  public static readonly COHERE_EMBED_ENGLISH_V3 = new ModelId('cohere.embed-english-v3', ModelIdKind.MODEL);
  /** Meta Llama 3.1 70B Instruct. */
  public static readonly META_LLAMA3_1_70B_INSTRUCT = new ModelId('meta.llama3-1-70b-instruct-v1:0', ModelIdKind.MODEL);

  /**
   * A model ID not covered by the constants.
   *
   * Accepts a model ID (`provider.model[:version[:variant]][/id]`, lowercase) or a system-defined
   * cross-region inference profile ID (`us.provider.model...`). Terraform tokens are accepted unchecked.
   *
   * @param id the model ID, e.g. `mistral.mistral-large-2407-v1:0`
   * @throws GuardrailsValidationError when the ID has neither shape, naming the pattern and the fix
   */
  public static of(id: string): ModelId {
    if (isToken(id)) return new ModelId(id, ModelIdKind.UNRESOLVED);
    const kind = ModelId.classify(id);
    if (kind === undefined) {
      return fail('ModelId', 'id', `must be a model ID like "anthropic.claude-3-5-sonnet-20240620-v1:0" ` +
        `(pattern provider.model[:version[:variant]][/12-character id], lowercase), got ${show(id)}`,
      id.toUpperCase() === 'ALL'
        ? 'Use ModelId.ALL for every model.'
        : id.startsWith('arn:')
          ? 'Model enforcement takes model IDs, not ARNs: give the part after "foundation-model/".'
          : 'Copy the model ID from `aws bedrock list-foundation-models` (field modelId).');
    }
    return new ModelId(id, kind);
  }

  /**
   * The kind of a raw model identifier string, or `undefined` when it is malformed.
   * Used by the rules on plain data; does not throw.
   */
  public static classify(id: string): ModelIdKind | undefined {
    if (isToken(id)) return ModelIdKind.UNRESOLVED;
    if (id === 'ALL') return ModelIdKind.ALL;
    if (MODEL_ID_PATTERN.test(id)) return ModelIdKind.MODEL;
    if (INFERENCE_PROFILE_ID_PATTERN.test(id)) return ModelIdKind.INFERENCE_PROFILE;
    return undefined;
  }

  /** The identifier as AWS receives it. */
  public readonly value: string;
  /** What kind of identifier it is. */
  public readonly kind: ModelIdKind;

  private constructor(value: string, kind: ModelIdKind) {
    this.value = value;
    this.kind = kind;
  }

  /** The identifier as AWS receives it. */
  public toString(): string {
    return this.value;
  }
}

/**
 * Enforcement settings shared by organization-level ({@link BedrockPolicyDocument} configurations)
 * and account-level enforcement: the same names, defaults and meaning at both levels.
 */
export interface EnforcementSettings {
  /**
   * How system prompts are guarded.
   * @default ContentGuarding.COMPREHENSIVE (AWS's default when the setting is omitted)
   */
  readonly systemPromptGuarding?: ContentGuarding;
  /**
   * How user and assistant messages are guarded.
   * @default ContentGuarding.COMPREHENSIVE (AWS's default when the setting is omitted)
   */
  readonly messageGuarding?: ContentGuarding;
  /**
   * Models the guardrail is enforced on. `ModelId.ALL` (alone) means every model.
   * @default all models (model enforcement is omitted unless `includedModels` or `excludedModels` is given)
   */
  readonly includedModels?: ModelId[];
  /**
   * Models the guardrail is not enforced on. A model in both lists is excluded (AWS), so the rules
   * refuse that. Embedding models, which guardrails do not support, belong here.
   * @default none
   */
  readonly excludedModels?: ModelId[];
}

/** Settings with every default applied: what AWS will apply. */
export interface EffectiveEnforcementSettings {
  /** How system prompts are guarded. */
  readonly systemPromptGuarding: ContentGuarding;
  /** How messages are guarded. */
  readonly messageGuarding: ContentGuarding;
  /** Included model IDs, sorted; `["ALL"]` for every model. */
  readonly includedModels: string[];
  /** Excluded model IDs, sorted. */
  readonly excludedModels: string[];
  /** Names of the settings that took AWS's default because they were not given. */
  readonly defaulted: string[];
}

/**
 * Checks enforcement settings that can be judged on their own, and throws on the first problem:
 * `ModelId.ALL` in `excludedModels`, `ModelId.ALL` mixed with other models, an empty include list.
 * Cross-cutting checks (a model in both lists) are rules.
 *
 * @param owner construct or type name for the message
 * @param settings the settings to check
 * @param prefix property path prefix, e.g. `configurations[2].`
 * @default prefix ''
 */
export function checkEnforcementSettings(owner: string, settings: EnforcementSettings, prefix = ''): void {
  const included = settings.includedModels;
  if (included !== undefined) {
    if (included.length === 0) {
      fail(owner, `${prefix}includedModels`, 'is empty', 'Omit `includedModels` (every model) or use [ModelId.ALL], or name at least one model.');
    }
    if (included.some((m) => m.kind === ModelIdKind.ALL) && included.length > 1) {
      fail(owner, `${prefix}includedModels`, `mixes ModelId.ALL with other models (${included.map((m) => m.value).join(', ')})`,
        'ModelId.ALL already includes every model: give [ModelId.ALL] alone, or list only specific models.');
    }
  }
  (settings.excludedModels ?? []).forEach((m, i) => {
    if (m.kind === ModelIdKind.ALL) {
      fail(owner, `${prefix}excludedModels[${i}]`, 'is ModelId.ALL, which is only valid in an include list',
        'To turn enforcement off, remove the configuration; otherwise list the models to exclude.');
    }
  });
}

/** Sorted, de-duplicated model ID strings. */
export function modelValues(models: readonly ModelId[] | undefined): string[] | undefined {
  if (models === undefined) return undefined;
  return [...new Set(models.map((m) => m.value))].sort();
}

/**
 * The settings as AWS will apply them, defaults filled in (for previews and messages).
 */
export function effectiveSettings(settings: EnforcementSettings): EffectiveEnforcementSettings {
  const defaulted: string[] = [];
  if (settings.systemPromptGuarding === undefined) defaulted.push('systemPromptGuarding');
  if (settings.messageGuarding === undefined) defaulted.push('messageGuarding');
  if (settings.includedModels === undefined) defaulted.push('includedModels');
  if (settings.excludedModels === undefined) defaulted.push('excludedModels');
  return {
    systemPromptGuarding: settings.systemPromptGuarding ?? DEFAULT_CONTENT_GUARDING,
    messageGuarding: settings.messageGuarding ?? DEFAULT_CONTENT_GUARDING,
    includedModels: modelValues(settings.includedModels) ?? [ModelId.ALL.value],
    excludedModels: modelValues(settings.excludedModels) ?? [],
    defaulted,
  };
}

/** The selective content guarding block of the account-level API (`SelectiveContentGuarding`). */
export interface AccountSelectiveContentGuarding {
  /** Mode for system prompts. @default omitted: AWS's default */
  readonly system?: string;
  /** Mode for messages. @default omitted: AWS's default */
  readonly messages?: string;
}

/** The model enforcement block of the account-level API (`ModelEnforcement`). */
export interface AccountModelEnforcement {
  /** Models to enforce on; `["ALL"]` for every model. */
  readonly includedModels: string[];
  /** Models to exclude. */
  readonly excludedModels: string[];
}

/** The optional settings part of `guardrailInferenceConfig` for `PutEnforcedGuardrailConfiguration`. */
export interface AccountEnforcementSettingsInput {
  /** Present when a guarding mode was given. @default omitted */
  readonly selectiveContentGuarding?: AccountSelectiveContentGuarding;
  /** Present when a model list was given; both lists are then required by the API. @default omitted: every model */
  readonly modelEnforcement?: AccountModelEnforcement;
}

/**
 * Renders settings for the account-level API (uppercase modes, camelCase fields). Omitted settings
 * stay omitted, so AWS's defaults apply; when either model list is given, both lists are sent
 * (the API requires both), the missing one as its default (`["ALL"]` / `[]`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html
 */
export function renderAccountSettings(settings: EnforcementSettings): AccountEnforcementSettingsInput {
  const out: { selectiveContentGuarding?: AccountSelectiveContentGuarding; modelEnforcement?: AccountModelEnforcement } = {};
  if (settings.systemPromptGuarding !== undefined || settings.messageGuarding !== undefined) {
    out.selectiveContentGuarding = {
      ...(settings.systemPromptGuarding !== undefined ? { system: settings.systemPromptGuarding } : {}),
      ...(settings.messageGuarding !== undefined ? { messages: settings.messageGuarding } : {}),
    };
  }
  if (settings.includedModels !== undefined || settings.excludedModels !== undefined) {
    out.modelEnforcement = {
      includedModels: modelValues(settings.includedModels) ?? [ModelId.ALL.value],
      excludedModels: modelValues(settings.excludedModels) ?? [],
    };
  }
  return out;
}
