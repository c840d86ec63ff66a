/**
 * The content of an AWS Organizations `BEDROCK_POLICY`, as plain data: its rendered shape, how it
 * is rendered from configurations, and its size.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 */
import {
  ASSIGN, AssignedValue, NormalizedEnforcementSettings, PolicyModelEnforcement, PolicySelectiveContentGuarding, renderPolicySettings,
} from './enforcement-settings';
import { GUARDRAIL_IDENTIFIER_MAX_LENGTH, GUARDRAIL_IDENTIFIER_MIN_LENGTH, MODEL_ID_MAX_LENGTH } from './limits';
import { fail, isToken, show } from './validate';

/** One named guardrail configuration under a region, as rendered. */
export interface RenderedGuardrailConfiguration {
  /** `<guardrail ARN>:<version>`; may hold a Terraform token until apply. */
  readonly identifier: AssignedValue<string>;
  /** Present when a guarding mode was set. @default omitted */
  readonly selective_content_guarding?: PolicySelectiveContentGuarding;
  /** Present when a model list was set. @default omitted: every model */
  readonly model_enforcement?: PolicyModelEnforcement;
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

/** One configuration as plain data, ready to render. */
export interface PolicyConfigurationData {
  /** Region key. */
  readonly region: string;
  /** Configuration name. */
  readonly name: string;
  /** `<guardrail ARN>:<version>`; may be a token. */
  readonly identifier: string;
  /** The settings, normalized. */
  readonly settings: NormalizedEnforcementSettings;
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Configurations in the order they render: by region, then name. */
export function sortConfigurations<T extends { readonly region: string; readonly name: string }>(configs: readonly T[]): T[] {
  return [...configs].sort((a, b) => compare(a.region, b.region) || compare(a.name, b.name));
}

/**
 * Renders configurations as policy content: keys in AWS's documented order (`identifier`,
 * `selective_content_guarding`, `model_enforcement`), regions and names sorted, so the same input
 * always gives the same JSON. Identifier tokens are kept as they are.
 *
 * @throws GuardrailsValidationError when two configurations share a name in one region (a JSON
 * object cannot hold both)
 */
export function renderBedrockPolicy(configs: readonly PolicyConfigurationData[]): BedrockPolicyContent {
  const inference: { [region: string]: { [name: string]: RenderedGuardrailConfiguration } } = {};
  for (const c of sortConfigurations(configs)) {
    const byName = inference[c.region] ?? (inference[c.region] = {});
    const clash = Object.keys(byName).find((n) => n.toLowerCase() === c.name.toLowerCase());
    if (clash !== undefined) {
      fail('BedrockPolicyDocument', `${c.region}.${c.name}`, `repeats configuration name ${show(clash)} in region ${c.region}`,
        'Give each configuration in a region its own name, or merge the two.');
    }
    byName[c.name] = { identifier: { [ASSIGN]: c.identifier }, ...renderPolicySettings(c.settings) };
  }
  return { bedrock: { guardrail_inference: inference } };
}

/**
 * Lower and upper bound of the compact JSON size of the rendered configurations: every token
 * identifier counted at its shortest and longest plausible length, and so every token model ID.
 * Exact when nothing is a token. `json` is their compact rendering, when the caller has it.
 */
export function characterCountRange(
  configs: readonly PolicyConfigurationData[],
  json: string = JSON.stringify(renderBedrockPolicy(configs)),
): CharacterCountRange {
  let lower = json.length;
  let upper = json.length;
  let hasTokens = false;
  for (const c of configs) {
    if (isToken(c.identifier)) {
      hasTokens = true;
      lower += GUARDRAIL_IDENTIFIER_MIN_LENGTH - c.identifier.length;
      upper += GUARDRAIL_IDENTIFIER_MAX_LENGTH - c.identifier.length;
    }
    for (const m of [...(c.settings.includedModels ?? []), ...(c.settings.excludedModels ?? [])]) {
      if (isToken(m)) {
        hasTokens = true;
        lower += 'a.b'.length - m.length;
        upper += MODEL_ID_MAX_LENGTH - m.length;
      }
    }
  }
  return { lowerBound: lower, upperBound: upper, hasTokens };
}

/** The settings a configuration can assign, one key each in the policy's inheritance. */
export const POLICY_LEAVES = ['identifier', 'system', 'messages', 'included', 'excluded'] as const;
/** One of {@link POLICY_LEAVES}. */
export type PolicyLeaf = typeof POLICY_LEAVES[number];

/**
 * The settings a rendered configuration assigns, leaf by leaf: what Organizations merges when it
 * computes an account's effective policy (a lower node's `@@assign` replaces a higher one's for the
 * same region, configuration name and leaf).
 */
export function assignedLeaves(config: RenderedGuardrailConfiguration): Array<[PolicyLeaf, string | string[]]> {
  const out: Array<[PolicyLeaf, string | string[]]> = [['identifier', config.identifier['@@assign']]];
  const g = config.selective_content_guarding;
  if (g?.system) out.push(['system', g.system['@@assign']]);
  if (g?.messages) out.push(['messages', g.messages['@@assign']]);
  const m = config.model_enforcement;
  if (m) {
    out.push(['included', [...m.included_models['@@assign']]]);
    out.push(['excluded', [...m.excluded_models['@@assign']]]);
  }
  return out;
}
