import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { versionLabel } from '../guardrail/guardrail-version';
import {
  BedrockPolicyContent, CharacterCountRange, PolicyConfigurationData, characterCountRange, renderBedrockPolicy, sortConfigurations,
} from '../model/bedrock-policy';
import { EnforcementSettings, NormalizedEnforcementSettings, checkEnforcementSettings, normalizeSettings, settingsOf } from '../model/enforcement-settings';
import { CONFIG_NAME_PATTERN, REGION_PATTERN } from '../model/identifiers';
import { checkLiteral, checkPattern } from '../model/validate';
import { GuardrailsValidationError } from '../errors';

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
   * A readable name for previews and messages.
   * @default the guardrail's name and the version (e.g. "org-baseline (version published on deploy)")
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
  /** The settings in the one form every renderer reads. */
  readonly normalized: NormalizedEnforcementSettings;
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
    checkLiteral(OWNER, `${prefix}name`, config.name, 'configuration names are policy keys', 'Give a literal name.');
    checkPattern(OWNER, `${prefix}name`, config.name, CONFIG_NAME_PATTERN,
      '1-64 letters, digits, "_" or "-", starting with a letter or digit',
      'Use a name like "baseline" or "config_1".');
    const region = config.region ?? config.version.region;
    checkLiteral(OWNER, `${prefix}region`, region, 'region keys must be known at synth time', 'Give a literal region like "us-east-1".');
    checkPattern(OWNER, `${prefix}region`, region, REGION_PATTERN, 'an AWS region like "us-east-1"',
      'Use the region the guardrail version lives in.');
    checkEnforcementSettings(OWNER, config, prefix);
    const settings = settingsOf(config);
    this.entries.push({
      region,
      name: config.name,
      identifier: config.version.enforcementIdentifier,
      version: config.version,
      label: config.label ?? versionLabel(config.version),
      settings,
      normalized: normalizeSettings(settings),
    });
  }

  /** The configurations, sorted by region then name (duplicates kept, for the rules to report). */
  public get configurations(): readonly PolicyConfiguration[] {
    return sortConfigurations(this.entries);
  }

  /** The region keys, sorted. */
  public get regions(): string[] {
    return [...new Set(this.entries.map((e) => e.region))].sort();
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
    return renderBedrockPolicy(this.data());
  }

  /** The configurations as plain data, in rendering order. */
  public data(): PolicyConfigurationData[] {
    return this.configurations.map((e) => ({ region: e.region, name: e.name, identifier: e.identifier, settings: e.normalized }));
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
    return characterCountRange(this.data());
  }

  /**
   * The content, its compact JSON and its size, rendered once; `undefined` when two configurations
   * share a name in one region (a JSON object cannot hold both; rule GR-ORG-006 reports it with
   * the construct path), where {@link render} throws.
   */
  public tryRender(): RenderedBedrockPolicy | undefined {
    const data = this.data();
    let content: BedrockPolicyContent;
    try {
      content = renderBedrockPolicy(data);
    } catch (e) {
      if (e instanceof GuardrailsValidationError) return undefined;
      throw e;
    }
    const json = JSON.stringify(content);
    return { content, json, characterCountRange: characterCountRange(data, json) };
  }
}

/** A rendered policy document: see {@link BedrockPolicyDocument.tryRender}. */
export interface RenderedBedrockPolicy {
  /** The content as a plain object; identifier tokens kept as they are. */
  readonly content: BedrockPolicyContent;
  /** The content as compact JSON. */
  readonly json: string;
  /** Lower and upper bound of the JSON's size once tokens resolve. */
  readonly characterCountRange: CharacterCountRange;
}
