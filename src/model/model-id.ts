import { INFERENCE_PROFILE_ID_PATTERN, MODEL_ID_PATTERN } from './identifiers';
import { fail, isToken, show } from './validate';

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
