import { ModelId, ModelIdKind } from './model-id';
import { EnforcedConfigurationProperties } from './shim-contract';
import { fail, show } from './validate';

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

/**
 * Enforcement settings in the one form every renderer reads: guarding modes as given, model lists
 * as sorted, de-duplicated ID strings. `undefined` means "not given": AWS's default applies.
 */
export interface NormalizedEnforcementSettings {
  /** Mode for system prompts, when given. @default not given: comprehensive */
  readonly systemPromptGuarding?: ContentGuarding;
  /** Mode for messages, when given. @default not given: comprehensive */
  readonly messageGuarding?: ContentGuarding;
  /** Included model IDs, sorted and unique, when given. @default not given: every model */
  readonly includedModels?: readonly string[];
  /** Excluded model IDs, sorted and unique, when given. @default not given: none */
  readonly excludedModels?: readonly string[];
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

/** Only the enforcement settings of a wider settings object (props, say), the model lists copied. */
export function settingsOf(s: EnforcementSettings): EnforcementSettings {
  return {
    systemPromptGuarding: s.systemPromptGuarding,
    messageGuarding: s.messageGuarding,
    includedModels: s.includedModels ? [...s.includedModels] : undefined,
    excludedModels: s.excludedModels ? [...s.excludedModels] : undefined,
  };
}

/** The settings in their one normalized form (a copy: the caller's objects are never kept). */
export function normalizeSettings(settings: EnforcementSettings): NormalizedEnforcementSettings {
  return {
    ...(settings.systemPromptGuarding !== undefined ? { systemPromptGuarding: settings.systemPromptGuarding } : {}),
    ...(settings.messageGuarding !== undefined ? { messageGuarding: settings.messageGuarding } : {}),
    ...(settings.includedModels !== undefined ? { includedModels: modelValues(settings.includedModels) } : {}),
    ...(settings.excludedModels !== undefined ? { excludedModels: modelValues(settings.excludedModels) } : {}),
  };
}

/** Whether a model list was given: AWS then requires both lists, the missing one at its default. */
function hasModelEnforcement(n: NormalizedEnforcementSettings): boolean {
  return n.includedModels !== undefined || n.excludedModels !== undefined;
}

/** The settings as AWS will apply them, defaults filled in (for previews and messages). */
export function effectiveSettings(n: NormalizedEnforcementSettings): EffectiveEnforcementSettings {
  const defaulted: string[] = [];
  if (n.systemPromptGuarding === undefined) defaulted.push('systemPromptGuarding');
  if (n.messageGuarding === undefined) defaulted.push('messageGuarding');
  if (n.includedModels === undefined) defaulted.push('includedModels');
  if (n.excludedModels === undefined) defaulted.push('excludedModels');
  return {
    systemPromptGuarding: n.systemPromptGuarding ?? DEFAULT_CONTENT_GUARDING,
    messageGuarding: n.messageGuarding ?? DEFAULT_CONTENT_GUARDING,
    includedModels: [...(n.includedModels ?? [ModelId.ALL.value])],
    excludedModels: [...(n.excludedModels ?? [])],
    defaulted,
  };
}

/** The value-setting operator of the management-policy syntax. */
export const ASSIGN = '@@assign';

/** A setting assigned with `@@assign`: overrides what a parent policy set for the same key. */
export interface AssignedValue<T> {
  /** The value. */
  readonly '@@assign': T;
}

/** `selective_content_guarding` of one organization-policy configuration; at least one key is present. */
export interface PolicySelectiveContentGuarding {
  /** Mode for system prompts: `selective` or `comprehensive`. @default omitted: comprehensive */
  readonly system?: AssignedValue<string>;
  /** Mode for user and assistant messages: `selective` or `comprehensive`. @default omitted: comprehensive */
  readonly messages?: AssignedValue<string>;
}

/** `model_enforcement` of one organization-policy configuration; AWS requires both lists when it is present. */
export interface PolicyModelEnforcement {
  /** Models enforced on; `["ALL"]` for every model. */
  readonly included_models: AssignedValue<string[]>;
  /** Models excluded from enforcement. */
  readonly excluded_models: AssignedValue<string[]>;
}

/** The settings part of one organization-policy configuration. */
export interface PolicySettings {
  /** Present when a guarding mode was given. @default omitted */
  readonly selective_content_guarding?: PolicySelectiveContentGuarding;
  /** Present when a model list was given. @default omitted: every model */
  readonly model_enforcement?: PolicyModelEnforcement;
}

/**
 * Renders settings for a `BEDROCK_POLICY` configuration: lowercase modes under `@@assign`, snake
 * case keys in AWS's documented order. Omitted settings stay omitted, so a child policy or AWS's
 * default decides them; either model list given renders both (AWS requires both).
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 */
export function renderPolicySettings(n: NormalizedEnforcementSettings): PolicySettings {
  const guarding = n.systemPromptGuarding !== undefined || n.messageGuarding !== undefined
    ? {
      ...(n.systemPromptGuarding !== undefined ? { system: { [ASSIGN]: contentGuardingToPolicyValue(n.systemPromptGuarding) } } : {}),
      ...(n.messageGuarding !== undefined ? { messages: { [ASSIGN]: contentGuardingToPolicyValue(n.messageGuarding) } } : {}),
    }
    : undefined;
  const models = hasModelEnforcement(n)
    ? {
      included_models: { [ASSIGN]: [...(n.includedModels ?? [ModelId.ALL.value])] },
      excluded_models: { [ASSIGN]: [...(n.excludedModels ?? [])] },
    }
    : undefined;
  return {
    ...(guarding ? { selective_content_guarding: guarding } : {}),
    ...(models ? { model_enforcement: models } : {}),
  };
}

/**
 * The optional settings part of `guardrailInferenceConfig` for `PutEnforcedGuardrailConfiguration`:
 * the same fields the shim's event carries.
 */
export type AccountApiSettings = Pick<EnforcedConfigurationProperties, 'selectiveContentGuarding' | 'modelEnforcement'>;

/**
 * Renders settings for the account-level API (uppercase modes, camelCase fields), as the shim
 * sends them. Omitted settings stay omitted, so AWS's defaults apply; either model list given
 * sends both (the API requires both), the missing one at its default (`["ALL"]` / `[]`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html
 */
export function renderAccountApiSettings(n: NormalizedEnforcementSettings): AccountApiSettings {
  const out: { -readonly [K in keyof AccountApiSettings]: AccountApiSettings[K] } = {};
  if (n.systemPromptGuarding !== undefined || n.messageGuarding !== undefined) {
    out.selectiveContentGuarding = {
      ...(n.systemPromptGuarding !== undefined ? { system: n.systemPromptGuarding } : {}),
      ...(n.messageGuarding !== undefined ? { messages: n.messageGuarding } : {}),
    };
  }
  if (hasModelEnforcement(n)) {
    out.modelEnforcement = {
      includedModels: [...(n.includedModels ?? [ModelId.ALL.value])],
      excludedModels: [...(n.excludedModels ?? [])],
    };
  }
  return out;
}

/** The settings blocks of `aws_bedrock_enforced_guardrail_configuration`. */
export interface NativeSettings {
  /** Both modes, always: the argument is optional and not computed, so a mode AWS fills in would show as a diff. */
  readonly selective_content_guarding: { readonly system: ContentGuarding; readonly messages: ContentGuarding };
  /** Present when a model list was given; both lists are required inside it. @default omitted: every model */
  readonly model_enforcement?: { readonly included_models: string[]; readonly excluded_models: string[] };
}

/**
 * Renders settings for the native resource. Unlike the API, both guarding modes are always
 * written, AWS's default for one not given: the upstream schema marks them optional and not
 * computed, so a mode left out would appear as a permanent diff once AWS reports its default.
 */
export function renderNativeSettings(n: NormalizedEnforcementSettings): NativeSettings {
  const effective = effectiveSettings(n);
  return {
    selective_content_guarding: { system: effective.systemPromptGuarding, messages: effective.messageGuarding },
    ...(hasModelEnforcement(n) ? { model_enforcement: { included_models: effective.includedModels, excluded_models: effective.excludedModels } } : {}),
  };
}
