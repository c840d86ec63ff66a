import {
  ContentFilterType, ContextualGroundingType, FilterStrength, GuardrailAction, ManagedWordListType, Modality,
  PiiEntityType, SensitiveInformationAction,
} from './types';
import { checkLength, checkPattern, checkRange, checkUnique, fail, isToken, show } from '../model/validate';

/**
 * Per-direction switches shared by every filter: what to do on a detection in the prompt (input)
 * and in the model's response (output), and whether each direction is evaluated at all.
 */
export interface DirectionalOptions<A> {
  /** Action on a detection in the input. @default the filter's action (BLOCK for all but PII/regex, whose default is their `action`) */
  readonly inputAction?: A;
  /** Action on a detection in the output. @default the filter's action (BLOCK for all but PII/regex, whose default is their `action`) */
  readonly outputAction?: A;
  /** Evaluate the input. Disabled directions are not charged. @default true */
  readonly inputEnabled?: boolean;
  /** Evaluate the output. Disabled directions are not charged. @default true */
  readonly outputEnabled?: boolean;
}

/**
 * A content filter: one harmful category with a strength per direction.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-content-filters.html
 */
export interface ContentFilter extends DirectionalOptions<GuardrailAction> {
  /** The category. */
  readonly type: ContentFilterType;
  /** Strength applied to prompts. */
  readonly inputStrength: FilterStrength;
  /**
   * Strength applied to model responses. The prompt attack filter applies to input only and must
   * be NONE here.
   * @default `inputStrength`; NONE for PROMPT_ATTACK
   */
  readonly outputStrength?: FilterStrength;
  /** Modalities evaluated in prompts. @default [Modality.TEXT] */
  readonly inputModalities?: Modality[];
  /** Modalities evaluated in responses. @default [Modality.TEXT] */
  readonly outputModalities?: Modality[];
}

/**
 * A topic the guardrail denies, described in natural language. Detections block in both
 * directions: `aws_bedrock_guardrail` (hashicorp/aws 6.25.0) has no per-direction topic actions.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-denied-topics.html
 */
export interface DeniedTopic {
  /** Name: 1-100 characters of letters, digits, spaces and `-_!?.`. */
  readonly name: string;
  /** What the topic is, as a description rather than an instruction: 1-200 characters. */
  readonly definition: string;
  /** Up to 5 example prompts of the topic, 1-100 characters each. @default none */
  readonly examples?: string[];
}

/** A word or phrase the guardrail blocks. */
export interface WordFilter extends DirectionalOptions<GuardrailAction> {
  /** The word or phrase: 1-100 characters. */
  readonly text: string;
}

/** A managed word list (today: profanity). */
export interface ManagedWordList extends DirectionalOptions<GuardrailAction> {
  /** The list. */
  readonly type: ManagedWordListType;
}

/**
 * A PII entity type and what to do with it.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-sensitive-filters.html
 */
export interface PiiFilter extends DirectionalOptions<SensitiveInformationAction> {
  /** The entity type. */
  readonly type: PiiEntityType;
  /** The action, used for both directions unless `inputAction` / `outputAction` say otherwise. */
  readonly action: SensitiveInformationAction;
}

/** A custom regular expression for sensitive information. */
export interface RegexFilter extends DirectionalOptions<SensitiveInformationAction> {
  /** Name: 1-100 characters, unique within the guardrail. */
  readonly name: string;
  /** The pattern: 1-500 characters. */
  readonly pattern: string;
  /** What it matches: 1-1000 characters. @default none */
  readonly description?: string;
  /** The action, used for both directions unless `inputAction` / `outputAction` say otherwise. */
  readonly action: SensitiveInformationAction;
}

/**
 * A contextual grounding check with its confidence threshold. Responses scoring below the
 * threshold are blocked (`aws_bedrock_guardrail` in hashicorp/aws 6.25.0 has no detect-only
 * action for these checks).
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-contextual-grounding-check.html
 */
export interface ContextualGroundingFilter {
  /** GROUNDING or RELEVANCE. */
  readonly type: ContextualGroundingType;
  /** Responses scoring below this are blocked: 0 to 0.99 (1 would block everything). */
  readonly threshold: number;
}

function checkEnum<T extends string>(owner: string, property: string, value: T | undefined, allowed: Record<string, T>): void {
  if (value === undefined || isToken(value)) return;
  const values = Object.values(allowed) as string[];
  if (!values.includes(value)) {
    fail(owner, property, `must be one of ${values.join(', ')}, got ${show(value)}`, `Use the enum's constants.`);
  }
}

/** Resolved directional settings as the provider wants them. */
interface Directions<A> { inputAction: A; outputAction: A; inputEnabled: boolean; outputEnabled: boolean }

function directions<A extends string>(owner: string, path: string, o: DirectionalOptions<A>, fallback: A, allowed: Record<string, A>): Directions<A> {
  checkEnum(owner, `${path}.inputAction`, o.inputAction, allowed);
  checkEnum(owner, `${path}.outputAction`, o.outputAction, allowed);
  const d = {
    inputAction: o.inputAction ?? fallback,
    outputAction: o.outputAction ?? fallback,
    inputEnabled: o.inputEnabled ?? true,
    outputEnabled: o.outputEnabled ?? true,
  };
  if (d.inputEnabled === false && d.outputEnabled === false) {
    fail(owner, `${path}.inputEnabled`, 'and `outputEnabled` are both false, so the filter evaluates nothing',
      'Enable at least one direction, or remove the filter.');
  }
  return d;
}

function modalities(owner: string, path: string, value: Modality[] | undefined): Modality[] {
  if (value === undefined) return [Modality.TEXT];
  if (isToken(value)) return value;
  if (value.length === 0) {
    fail(owner, path, 'is empty, so the filter evaluates no content', 'Give at least one modality (Modality.TEXT, Modality.IMAGE) or omit it for [TEXT].');
  }
  value.forEach((m, i) => checkEnum(owner, `${path}[${i}]`, m, Modality as unknown as Record<string, Modality>));
  checkUnique(owner, path, value, (m) => m, 'modality');
  return [...value];
}

/** Content filters as `content_policy_config.filters_config` entries. */
export function renderContentFilters(owner: string, filters: readonly ContentFilter[]) {
  checkUnique(owner, 'contentFilters', filters, (f) => f.type.value, 'content filter type');
  return filters.map((f, i) => {
    const p = `contentFilters[${i}]`;
    const strengths = FilterStrength as unknown as Record<string, FilterStrength>;
    checkEnum(owner, `${p}.inputStrength`, f.inputStrength, strengths);
    checkEnum(owner, `${p}.outputStrength`, f.outputStrength, strengths);
    const promptAttack = f.type.value === ContentFilterType.PROMPT_ATTACK.value;
    if (promptAttack) {
      if (f.outputStrength !== undefined && f.outputStrength !== FilterStrength.NONE) {
        fail(owner, `${p}.outputStrength`, `must be NONE for PROMPT_ATTACK (the filter applies to prompts only), got ${show(f.outputStrength)}`,
          'Omit `outputStrength` or set FilterStrength.NONE.');
      }
      for (const prop of ['outputAction', 'outputEnabled', 'outputModalities'] as const) {
        if (f[prop] !== undefined) {
          fail(owner, `${p}.${prop}`, `is set to ${show(f[prop])} but PROMPT_ATTACK evaluates prompts only`, `Remove \`${prop}\`.`);
        }
      }
      if (f.inputStrength === FilterStrength.NONE) {
        fail(owner, `${p}.inputStrength`, 'is NONE, so the PROMPT_ATTACK filter evaluates nothing', 'Use LOW, MEDIUM or HIGH, or remove the filter.');
      }
    }
    const outputStrength = f.outputStrength ?? (promptAttack ? FilterStrength.NONE : f.inputStrength);
    if (f.inputStrength === FilterStrength.NONE && outputStrength === FilterStrength.NONE) {
      fail(owner, `${p}.inputStrength`, `and \`outputStrength\` are both NONE, so the ${f.type.value} filter evaluates nothing`,
        'Raise a strength to LOW, MEDIUM or HIGH, or remove the filter.');
    }
    const d = directions(owner, p, f, GuardrailAction.BLOCK, GuardrailAction as unknown as Record<string, GuardrailAction>);
    const base = {
      type: f.type.value,
      inputStrength: f.inputStrength,
      outputStrength,
      inputAction: d.inputAction,
      inputEnabled: d.inputEnabled,
      inputModalities: modalities(owner, `${p}.inputModalities`, f.inputModalities),
    };
    if (promptAttack) return base;
    return {
      ...base,
      outputAction: d.outputAction,
      outputEnabled: d.outputEnabled,
      outputModalities: modalities(owner, `${p}.outputModalities`, f.outputModalities),
    };
  });
}

/** Pattern of a denied topic's name (the API's pattern). */
export const TOPIC_NAME_PATTERN = /^[0-9a-zA-Z-_ !?.]+$/;
/** The most denied topics a guardrail may have. */
export const MAX_DENIED_TOPICS = 30;
/** The most examples a denied topic may have. */
export const MAX_TOPIC_EXAMPLES = 5;

/** Checks one denied topic against the API's limits; used for presets too. */
export function checkDeniedTopic(owner: string, t: DeniedTopic, p: string): void {
  checkLength(owner, `${p}.name`, t.name, 1, 100);
  checkPattern(owner, `${p}.name`, t.name, TOPIC_NAME_PATTERN, 'letters, digits, spaces and -_!?. only',
    'Rename the topic, e.g. "Investment advice".');
  checkLength(owner, `${p}.definition`, t.definition, 1, 200,
    'Describe the topic in at most 200 characters; put instances in `examples`.');
  const examples = t.examples ?? [];
  if (!isToken(examples)) {
    if (examples.length > MAX_TOPIC_EXAMPLES) {
      fail(owner, `${p}.examples`, `may hold at most ${MAX_TOPIC_EXAMPLES} examples, got ${examples.length}`, `Keep the ${MAX_TOPIC_EXAMPLES} most typical.`);
    }
    examples.forEach((e, j) => checkLength(owner, `${p}.examples[${j}]`, e, 1, 100));
  }
}

/** Denied topics as `topic_policy_config.topics_config` entries. */
export function renderDeniedTopics(owner: string, topics: readonly DeniedTopic[]) {
  if (topics.length > MAX_DENIED_TOPICS) {
    fail(owner, 'deniedTopics', `may hold at most ${MAX_DENIED_TOPICS} topics, got ${topics.length}`, 'Merge related topics or split the guardrail.');
  }
  checkUnique(owner, 'deniedTopics', topics, (t) => t.name, 'topic name');
  return topics.map((t, i) => {
    checkDeniedTopic(owner, t, `deniedTopics[${i}]`);
    return { name: t.name, definition: t.definition, examples: t.examples ? [...t.examples] : [], type: 'DENY' };
  });
}

/** The most custom words a guardrail may have. */
export const MAX_WORDS = 10000;

/** Word filters as `word_policy_config.words_config` entries. */
export function renderWords(owner: string, words: readonly WordFilter[]) {
  if (words.length > MAX_WORDS) {
    fail(owner, 'wordFilters', `may hold at most ${MAX_WORDS} words, got ${words.length}`, 'Use the managed profanity list for common terms, or split the guardrail.');
  }
  checkUnique(owner, 'wordFilters', words, (w) => w.text.trim(), 'word');
  return words.map((w, i) => {
    const p = `wordFilters[${i}]`;
    checkLength(owner, `${p}.text`, w.text, 1, 100);
    if (!isToken(w.text) && w.text.trim() === '') {
      fail(owner, `${p}.text`, 'is only white space, which matches nothing', 'Give a word or phrase.');
    }
    return { text: w.text, ...directions(owner, p, w, GuardrailAction.BLOCK, GuardrailAction as unknown as Record<string, GuardrailAction>) };
  });
}

/** Managed word lists as `word_policy_config.managed_word_lists_config` entries. */
export function renderManagedWordLists(owner: string, lists: readonly ManagedWordList[]) {
  checkUnique(owner, 'managedWordLists', lists, (l) => l.type.value, 'managed word list');
  return lists.map((l, i) => ({
    type: l.type.value,
    ...directions(owner, `managedWordLists[${i}]`, l, GuardrailAction.BLOCK, GuardrailAction as unknown as Record<string, GuardrailAction>),
  }));
}

/** PII filters as `sensitive_information_policy_config.pii_entities_config` entries. */
export function renderPii(owner: string, filters: readonly PiiFilter[]) {
  checkUnique(owner, 'piiFilters', filters, (f) => f.type.value, 'PII entity type');
  const actions = SensitiveInformationAction as unknown as Record<string, SensitiveInformationAction>;
  return filters.map((f, i) => {
    const p = `piiFilters[${i}]`;
    checkEnum(owner, `${p}.action`, f.action, actions);
    const d = directions(owner, p, f, f.action, actions);
    return { type: f.type.value, action: f.action, ...d };
  });
}

/** The most custom regexes a guardrail may have. */
export const MAX_REGEXES = 10;

/** Regex filters as `sensitive_information_policy_config.regexes_config` entries. */
export function renderRegexes(owner: string, regexes: readonly RegexFilter[]) {
  if (regexes.length > MAX_REGEXES) {
    fail(owner, 'regexFilters', `may hold at most ${MAX_REGEXES} regexes, got ${regexes.length}`, 'Combine patterns with alternation (a|b).');
  }
  checkUnique(owner, 'regexFilters', regexes, (r) => r.name, 'regex name');
  const actions = SensitiveInformationAction as unknown as Record<string, SensitiveInformationAction>;
  return regexes.map((r, i) => {
    const p = `regexFilters[${i}]`;
    checkLength(owner, `${p}.name`, r.name, 1, 100);
    checkLength(owner, `${p}.pattern`, r.pattern, 1, 500);
    checkLength(owner, `${p}.description`, r.description, 1, 1000);
    checkEnum(owner, `${p}.action`, r.action, actions);
    if (!isToken(r.pattern)) {
      try {
        new RegExp(r.pattern);
      } catch (e) {
        fail(owner, `${p}.pattern`, `is not a valid regular expression (${(e as Error).message}): ${show(r.pattern)}`, 'Fix the pattern; test it against sample text first.');
      }
    }
    const d = directions(owner, p, r, r.action, actions);
    return { name: r.name, pattern: r.pattern, ...(r.description !== undefined ? { description: r.description } : {}), action: r.action, ...d };
  });
}

/** Contextual grounding checks as `contextual_grounding_policy_config.filters_config` entries. */
export function renderGrounding(owner: string, filters: readonly ContextualGroundingFilter[]) {
  checkUnique(owner, 'contextualGrounding', filters, (f) => f.type, 'contextual grounding type');
  return filters.map((f, i) => {
    const p = `contextualGrounding[${i}]`;
    checkEnum(owner, `${p}.type`, f.type, ContextualGroundingType as unknown as Record<string, ContextualGroundingType>);
    checkRange(owner, `${p}.threshold`, f.threshold, 0, 0.99,
      'Use a confidence threshold from 0 to 0.99 (0.7 is a common start); 1 or more would block every response.');
    return { type: f.type, threshold: f.threshold };
  });
}
