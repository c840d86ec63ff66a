import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { checkPattern, fail, isToken, show } from '../private/validate';
import {
  EnforcementSettings, checkEnforcementSettings, contentGuardingToPolicyValue, modelValues, ModelId,
  MODEL_ID_MAX_LENGTH,
} from './settings';

/**
 * The value-setting operator of the management-policy syntax. AWS's Bedrock policy page documents
 * and exemplifies only `@@assign` for this policy type, so it is the only operator rendered.
 * (`@@append`, `@@remove` and `@@operators_allowed_for_child_policies` are general
 * management-policy operators the Bedrock page neither documents nor shows.)
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html
 */
export const ASSIGN = '@@assign';

/** A setting assigned with `@@assign`: overrides what a parent policy set for the same key. */
export interface AssignedValue<T> {
  /** The value. */
  readonly '@@assign': T;
}

/** `selective_content_guarding` of one configuration; at least one key is present (AWS requires one). */
export interface RenderedSelectiveContentGuarding {
  /** Mode for system prompts: `selective` or `comprehensive`. @default omitted: comprehensive */
  readonly system?: AssignedValue<string>;
  /** Mode for user and assistant messages: `selective` or `comprehensive`. @default omitted: comprehensive */
  readonly messages?: AssignedValue<string>;
}

/** `model_enforcement` of one configuration; AWS requires both lists when the block is present. */
export interface RenderedModelEnforcement {
  /** Models enforced on; `["ALL"]` for every model. */
  readonly included_models: AssignedValue<string[]>;
  /** Models excluded from enforcement. */
  readonly excluded_models: AssignedValue<string[]>;
}

/** One named guardrail configuration under a region, as rendered. */
export interface RenderedGuardrailConfiguration {
  /** `<guardrail ARN>:<version>`; may hold a Terraform token until apply. */
  readonly identifier: AssignedValue<string>;
  /** Present when a guarding mode was set. @default omitted */
  readonly selective_content_guarding?: RenderedSelectiveContentGuarding;
  /** Present when a model list was set. @default omitted: every model */
  readonly model_enforcement?: RenderedModelEnforcement;
}

/** The rendered `BEDROCK_POLICY` content: `bedrock.guardrail_inference.<region>.<config name>`. */
export interface BedrockPolicyContent {
  /** Top-level key of every Amazon Bedrock policy. */
  readonly bedrock: {
    /** Guardrail enforcement configurations per region. */
    readonly guardrail_inference: {
      readonly [region: string]: { readonly [configName: string]: RenderedGuardrailConfiguration };
    };
  };
}

/**
 * Pattern of a configuration name (the key under a region).
 *
 * AWS documents no constraint for this key (its example is `config_1`). The library accepts letters,
 * digits, `_` and `-`, 1-64 characters, starting with a letter or digit: a key that can never be
 * read as an operator (`@@…`) and stays readable in the console and in `DescribeEffectivePolicy`.
 */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Pattern of an AWS region name (e.g. `us-east-1`, `us-gov-west-1`, `ap-southeast-5`). */
export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** Organizations' maximum size of an Amazon Bedrock policy document, in characters. */
export const BEDROCK_POLICY_MAX_CHARACTERS = 10_000;

/**
 * Upper bound assumed for a guardrail ARN whose value is a Terraform token at synth time: 131 characters.
 *
 * `arn:` (4) + partition, at most `aws-us-gov` (10) + `:bedrock:` (9) + region, at most 20 (the API's
 * guardrail ARN pattern, `[a-z0-9-]{1,20}`) + `:` (1) + account (12) + `:guardrail/` (11) + guardrail ID.
 * Guardrail IDs are 12 characters in practice; the bound allows 64 so a longer ID is still counted.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 */
export const GUARDRAIL_ARN_MAX_LENGTH = 131;

/** Upper bound for a token identifier: the ARN bound + `:` + a version of at most 8 digits (`[1-9][0-9]{0,7}`). */
export const GUARDRAIL_IDENTIFIER_MAX_LENGTH = GUARDRAIL_ARN_MAX_LENGTH + 1 + 8;

/**
 * Lower bound for a token identifier, for the "certainly too long" check: `arn:aws:bedrock:` (16) +
 * the shortest region name (9, e.g. `us-east-1`) + `:` + account (12) + `:guardrail/` (11) + a
 * one-character ID + `:` + a one-digit version.
 */
export const GUARDRAIL_IDENTIFIER_MIN_LENGTH = 16 + 9 + 1 + 12 + 11 + 1 + 1 + 1;

/** One guardrail configuration of an organization policy. */
export interface GuardrailConfigurationProps extends EnforcementSettings {
  /**
   * Name of the configuration, the key under the region (e.g. `baseline`). Configurations with the
   * same name in a parent and a child policy override each other key by key; different names
   * accumulate. See {@link CONFIG_NAME_PATTERN}.
   */
  readonly name: string;
  /** The guardrail version to enforce; its `enforcementIdentifier` is what the policy names. */
  readonly version: IGuardrailVersion;
  /**
   * The region key. Must equal the version's region (checked by rule GR-ORG-002).
   * @default the version's region
   */
  readonly region?: string;
  /**
   * A readable name for previews and messages, shown instead of an identifier that is still a token.
   * @default the version's construct path
   */
  readonly label?: string;
}

/** A configuration as held by a {@link BedrockPolicyDocument}. */
export interface PolicyConfiguration {
  /** Region key. */
  readonly region: string;
  /** Configuration name. */
  readonly name: string;
  /** `<guardrail ARN>:<version>`, from the version; may be a token. */
  readonly identifier: string;
  /** The version it came from. */
  readonly version: IGuardrailVersion;
  /** Readable name for previews. */
  readonly label: string;
  /** The enforcement settings as given (copied, never the caller's object). */
  readonly settings: EnforcementSettings;
}

/** Input for a {@link BedrockPolicyDocument}. */
export interface BedrockPolicyDocumentProps {
  /**
   * Configurations to start with; more can be added with {@link BedrockPolicyDocument.addConfiguration}.
   * @default none
   */
  readonly configurations?: GuardrailConfigurationProps[];
}

/** Options for {@link BedrockPolicyDocument.toJson}. */
export interface PolicyJsonOptions {
  /**
   * Indentation. Compact JSON is what Organizations counts against the size limit when the policy
   * is saved through the API (only the console strips white space).
   * @default 0 (compact)
   */
  readonly indent?: number;
}

/** Character count of a rendered document whose identifiers may still be tokens. */
export interface CharacterCountRange {
  /** Count with every token at its shortest plausible value: if over the limit, it certainly is. */
  readonly lowerBound: number;
  /** Count with every token at its longest plausible value: if under the limit, it certainly is. */
  readonly upperBound: number;
  /** Whether any value was a token (otherwise both bounds are the exact count). */
  readonly hasTokens: boolean;
}

const OWNER = 'BedrockPolicyDocument';

/**
 * A typed AWS Organizations `BEDROCK_POLICY` document: per region, named guardrail configurations,
 * each naming a guardrail version with `@@assign`, with optional selective content guarding and
 * model enforcement.
 *
 * Rendering follows AWS's documented example key for key: `identifier`, then
 * `selective_content_guarding` (`system`, `messages`), then `model_enforcement` (`included_models`,
 * `excluded_models`); regions, configuration names and model lists are sorted so the same input
 * always gives the same JSON. Identifiers are never typed by hand: they come from an
 * {@link IGuardrailVersion}'s `enforcementIdentifier`, and stay intact when they are Terraform
 * tokens, so `render()` can go through `Fn.jsonencode` and `toJson()` through string interpolation.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 */
export class BedrockPolicyDocument {
  private readonly entries: PolicyConfiguration[] = [];

  constructor(props: BedrockPolicyDocumentProps = {}) {
    (props.configurations ?? []).forEach((c, i) => this.add(c, `configurations[${i}].`));
  }

  /**
   * Adds a configuration. Checks its name, region and settings at once; conflicts between
   * configurations (a repeated name in a region) are reported by rule GR-ORG-006.
   */
  public addConfiguration(config: GuardrailConfigurationProps): this {
    this.add(config, '');
    return this;
  }

  private add(config: GuardrailConfigurationProps, prefix: string): void {
    checkPattern(OWNER, `${prefix}name`, config.name, CONFIG_NAME_PATTERN,
      '1-64 letters, digits, "_" or "-", starting with a letter or digit',
      'Use a name like "baseline" or "config_1".');
    if (isToken(config.name)) {
      fail(OWNER, `${prefix}name`, 'is a token', 'Configuration names are policy keys: give a literal name.');
    }
    const region = config.region ?? config.version.region;
    if (isToken(region)) {
      fail(OWNER, `${prefix}region`, 'is a token', 'Region keys must be known at synth time: give a literal region like "us-east-1".');
    }
    checkPattern(OWNER, `${prefix}region`, region, REGION_PATTERN, 'an AWS region like "us-east-1"',
      'Use the region the guardrail version lives in.');
    checkEnforcementSettings(OWNER, config, prefix);
    const settings: EnforcementSettings = {
      systemPromptGuarding: config.systemPromptGuarding,
      messageGuarding: config.messageGuarding,
      includedModels: config.includedModels ? [...config.includedModels] : undefined,
      excludedModels: config.excludedModels ? [...config.excludedModels] : undefined,
    };
    this.entries.push({
      region,
      name: config.name,
      identifier: config.version.enforcementIdentifier,
      version: config.version,
      label: config.label ?? config.version.node.path,
      settings,
    });
  }

  /** The configurations, sorted by region then name (duplicates kept, for the rules to report). */
  public get configurations(): readonly PolicyConfiguration[] {
    return [...this.entries].sort((a, b) => compare(a.region, b.region) || compare(a.name, b.name));
  }

  /** The region keys, sorted. */
  public get regions(): string[] {
    return [...new Set(this.entries.map((e) => e.region))].sort(compare);
  }

  /** Whether no configuration was added. */
  public get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * The policy content as a plain object, keys in AWS's documented order. Identifier tokens are
   * kept as they are, for `Fn.jsonencode` to resolve.
   *
   * @throws GuardrailsValidationError when two configurations share a name in one region (a JSON
   * object cannot hold both; rule GR-ORG-006 reports it with the construct path)
   */
  public render(): BedrockPolicyContent {
    const inference: { [region: string]: { [name: string]: RenderedGuardrailConfiguration } } = {};
    for (const e of this.configurations) {
      const byName = inference[e.region] ?? (inference[e.region] = {});
      const clash = Object.keys(byName).find((n) => n.toLowerCase() === e.name.toLowerCase());
      if (clash !== undefined) {
        fail(OWNER, `${e.region}.${e.name}`, `repeats configuration name ${show(clash)} in region ${e.region}`,
          'Give each configuration in a region its own name, or merge the two.');
      }
      byName[e.name] = renderConfiguration(e);
    }
    return { bedrock: { guardrail_inference: inference } };
  }

  /**
   * The policy content as JSON: deterministic, compact by default. Tokens inside identifiers are
   * kept as they are, so the string can be given to a provider attribute and resolved by cdktf.
   */
  public toJson(options: PolicyJsonOptions = {}): string {
    return JSON.stringify(this.render(), undefined, options.indent ?? 0);
  }

  /**
   * Estimated size of the compact JSON in characters, counting every token identifier at
   * {@link GUARDRAIL_IDENTIFIER_MAX_LENGTH} (and token model IDs at the longest model ID): an upper
   * bound to compare with {@link BEDROCK_POLICY_MAX_CHARACTERS}. Exact when there are no tokens.
   */
  public get characterCount(): number {
    return this.characterCountRange.upperBound;
  }

  /** Lower and upper bound of the compact JSON size; see {@link CharacterCountRange}. */
  public get characterCountRange(): CharacterCountRange {
    const json = this.toJson();
    let lower = json.length;
    let upper = json.length;
    let hasTokens = false;
    for (const e of this.entries) {
      if (isToken(e.identifier)) {
        hasTokens = true;
        lower += GUARDRAIL_IDENTIFIER_MIN_LENGTH - e.identifier.length;
        upper += GUARDRAIL_IDENTIFIER_MAX_LENGTH - e.identifier.length;
      }
      for (const m of [...(modelValues(e.settings.includedModels) ?? []), ...(modelValues(e.settings.excludedModels) ?? [])]) {
        if (isToken(m)) {
          hasTokens = true;
          lower += 'a.b'.length - m.length;
          upper += MODEL_ID_MAX_LENGTH - m.length;
        }
      }
    }
    return { lowerBound: lower, upperBound: upper, hasTokens };
  }
}

function renderConfiguration(e: PolicyConfiguration): RenderedGuardrailConfiguration {
  const s = e.settings;
  const guarding = s.systemPromptGuarding !== undefined || s.messageGuarding !== undefined
    ? {
      ...(s.systemPromptGuarding !== undefined ? { system: { [ASSIGN]: contentGuardingToPolicyValue(s.systemPromptGuarding) } } : {}),
      ...(s.messageGuarding !== undefined ? { messages: { [ASSIGN]: contentGuardingToPolicyValue(s.messageGuarding) } } : {}),
    }
    : undefined;
  // AWS requires both lists inside model_enforcement, so either list given renders both.
  const models = s.includedModels !== undefined || s.excludedModels !== undefined
    ? {
      included_models: { [ASSIGN]: modelValues(s.includedModels) ?? [ModelId.ALL.value] },
      excluded_models: { [ASSIGN]: modelValues(s.excludedModels) ?? [] },
    }
    : undefined;
  return {
    identifier: { [ASSIGN]: e.identifier },
    ...(guarding ? { selective_content_guarding: guarding } : {}),
    ...(models ? { model_enforcement: models } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
