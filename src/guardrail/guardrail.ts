import { Construct } from 'constructs';
import {
  ContentFilter, ContextualGroundingFilter, DeniedTopic, ManagedWordList, PiiFilter, RegexFilter, WordFilter,
  renderContentFilters, renderDeniedTopics, renderGrounding, renderManagedWordLists, renderPii, renderRegexes, renderWords,
} from './filters';
import { IGuardrail } from './guardrail-base';
import { GuardrailVersion, GuardrailVersionOptions } from './guardrail-version';
import { GuardrailProfile, GuardrailTier } from './types';
import { GuardrailPrincipal } from '../access/principals';
import { GuardrailResourcePolicy } from '../access/resource-policy';
import {
  GUARDRAIL_NAME_PATTERN, GUARDRAIL_PROFILE_ID_PATTERN, KMS_KEY_ARN_PATTERN, parseGuardrailArn,
} from '../model/identifiers';
import { checkLength, checkPattern, fail, isToken, show } from '../model/validate';
import { BedrockGuardrail, TerraformProvider, TerraformStack, providerAlias, splitElement, synthesizedBlock } from '../private/cdktf';
import { resolveEnv } from '../private/env';
import { sha256Of } from '../private/hash';
import { GuardrailsValidation } from '../validation/validation';

/** The blocked messaging AWS's console proposes. */
export const DEFAULT_BLOCKED_MESSAGING = 'Sorry, the model cannot answer this question.';

/** Timeouts for guardrail operations, as Terraform durations (e.g. `"30m"`). */
export interface GuardrailTimeouts {
  /** @default the provider's default (30m) */
  readonly create?: string;
  /** @default the provider's default (30m) */
  readonly update?: string;
  /** @default the provider's default (30m) */
  readonly delete?: string;
}

/** Where a construct's AWS resources are made. */
export interface DeploymentOptions {
  /**
   * The AWS provider to create the resources with (an aliased provider for another region or
   * account).
   * @default the stack's default (un-aliased) AwsProvider
   */
  readonly provider?: TerraformProvider;
  /**
   * The region, when the provider's `region` is not a literal. Must agree with the provider.
   * @default the provider's `region`
   */
  readonly region?: string;
  /**
   * The account ID, for synth-time cross-account checks.
   * @default the provider's `allowedAccountIds` when it names exactly one account; otherwise unknown
   */
  readonly account?: string;
}

/** Properties of a {@link Guardrail}. */
export interface GuardrailProps extends DeploymentOptions {
  /** Name: 1-50 characters of letters, digits, `-` and `_`, unique in the account and region. */
  readonly name: string;
  /** Description: 1-200 characters. @default none */
  readonly description?: string;
  /** Message returned when a prompt is blocked: 1-500 characters. @default "Sorry, the model cannot answer this question." */
  readonly blockedInputMessaging?: string;
  /** Message returned when a response is blocked: 1-500 characters. @default "Sorry, the model cannot answer this question." */
  readonly blockedOutputsMessaging?: string;
  /** Content filters, one per category. @default none */
  readonly contentFilters?: ContentFilter[];
  /** Tier of the content filters; STANDARD needs `crossRegionProfile`. @default not set: AWS uses CLASSIC */
  readonly contentFiltersTier?: GuardrailTier;
  /** Denied topics. See {@link DeniedTopics} for presets. @default none */
  readonly deniedTopics?: DeniedTopic[];
  /** Tier of the denied topics; STANDARD needs `crossRegionProfile`. @default not set: AWS uses CLASSIC */
  readonly topicsTier?: GuardrailTier;
  /** Custom words and phrases to block. @default none */
  readonly wordFilters?: WordFilter[];
  /** Managed word lists (profanity). @default none */
  readonly managedWordLists?: ManagedWordList[];
  /** PII entity filters. @default none */
  readonly piiFilters?: PiiFilter[];
  /** Custom regex filters for sensitive information. @default none */
  readonly regexFilters?: RegexFilter[];
  /** Contextual grounding and relevance checks. @default none */
  readonly contextualGrounding?: ContextualGroundingFilter[];
  /** Cross-region guardrail profile. @default none: evaluated in the guardrail's region only */
  readonly crossRegionProfile?: GuardrailProfile;
  /** ARN of a customer managed KMS key in the guardrail's region. @default an AWS owned key */
  readonly kmsKeyArn?: string;
  /** Tags. Changing only tags never publishes a new version. @default none */
  readonly tags?: Record<string, string>;
  /** Operation timeouts. @default the provider's defaults */
  readonly timeouts?: GuardrailTimeouts;
}

/**
 * A guardrail's settings without where it is deployed: what the stacks take (they supply the
 * provider, and so the region and account).
 */
export interface GuardrailSettings extends Omit<GuardrailProps, 'provider' | 'region' | 'account'> {}

/** Attributes of a guardrail made elsewhere, for {@link Guardrail.fromGuardrailAttributes}. */
export interface GuardrailAttributes extends DeploymentOptions {
  /** The guardrail's ARN (no version). A literal ARN lets region and account be read from it. */
  readonly guardrailArn: string;
  /** The cross-region profile it uses. @default none */
  readonly crossRegionProfile?: GuardrailProfile;
  /** Whether it has an automated reasoning policy (organization enforcement refuses those). @default false */
  readonly hasAutomatedReasoningPolicy?: boolean;
}

/** Shared by guardrails made here and imported ones. */
export abstract class GuardrailBase extends Construct implements IGuardrail {
  public abstract readonly guardrailArn: string;
  public abstract readonly guardrailId: string;
  public abstract readonly region: string;
  public abstract readonly account?: string;
  public abstract readonly crossRegionProfile?: GuardrailProfile;
  public abstract readonly hasAutomatedReasoningPolicy: boolean;
  public abstract readonly provider?: TerraformProvider;

  public get crossRegionProfileId(): string | undefined {
    return this.crossRegionProfile?.profileId;
  }

  /**
   * Lets `principals` apply this guardrail through its resource-based policy, creating the policy
   * (as child `ResourcePolicy`, made through the shim) on first use.
   */
  public grantApply(...principals: GuardrailPrincipal[]): GuardrailResourcePolicy {
    const existing = GuardrailResourcePolicy.of(this);
    if (existing) {
      principals.forEach((p) => existing.addPrincipal(p));
      return existing;
    }
    return new GuardrailResourcePolicy(this, 'ResourcePolicy', { guardrail: this, principals });
  }
}

class ImportedGuardrail extends GuardrailBase {
  public readonly guardrailArn: string;
  public readonly guardrailId: string;
  public readonly region: string;
  public readonly account?: string;
  public readonly crossRegionProfile?: GuardrailProfile;
  public readonly hasAutomatedReasoningPolicy: boolean;
  public readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, attrs: GuardrailAttributes) {
    super(scope, id);
    const owner = `Guardrail.fromGuardrailAttributes(${id})`;
    const match = isToken(attrs.guardrailArn) ? undefined : parseGuardrailArn(attrs.guardrailArn);
    if (!isToken(attrs.guardrailArn) && !match) {
      fail(owner, 'guardrailArn', `must be a guardrail ARN without version like "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456", got ${show(attrs.guardrailArn)}`,
        'Drop any ":<version>" suffix and import the version with GuardrailVersion.fromVersionAttributes.');
    }
    if (match) {
      // A literal ARN says where the guardrail is; it may well be another account's (shared).
      if (attrs.region !== undefined && attrs.region !== match.region) {
        fail(owner, 'region', `is "${attrs.region}" but the ARN is in ${match.region}`, 'Drop `region`: it is read from the ARN.');
      }
      if (attrs.account !== undefined && attrs.account !== match.account) {
        fail(owner, 'account', `is "${attrs.account}" but the ARN is in account ${match.account}`, 'Drop `account`: it is read from the ARN.');
      }
      this.region = match.region;
      this.account = match.account;
      this.provider = attrs.provider;
      this.guardrailId = match.guardrailId;
    } else {
      const env = resolveEnv(this, owner, attrs.provider, attrs.region, attrs.account);
      this.region = env.region;
      this.account = env.account;
      this.provider = env.provider;
      this.guardrailId = splitElement(attrs.guardrailArn, '/', 1);
    }
    this.guardrailArn = attrs.guardrailArn;
    this.crossRegionProfile = attrs.crossRegionProfile;
    this.hasAutomatedReasoningPolicy = attrs.hasAutomatedReasoningPolicy ?? false;
  }
}

/**
 * An Amazon Bedrock guardrail (`aws_bedrock_guardrail`): content filters, denied topics, word
 * filters, PII and regex filters and contextual grounding, validated before deploy.
 *
 * Publish immutable versions with {@link Guardrail.addVersion}: a new version is made only when
 * the guardrail's content changes.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails.html
 */
export class Guardrail extends GuardrailBase {
  /** A guardrail made outside this app. */
  public static fromGuardrailAttributes(scope: Construct, id: string, attrs: GuardrailAttributes): IGuardrail {
    return new ImportedGuardrail(scope, id, attrs);
  }

  /** The provider resource, for escape hatches. */
  public readonly resource: BedrockGuardrail;
  public readonly guardrailArn: string;
  public readonly guardrailId: string;
  /** The DRAFT version's number as the API reports it (always `DRAFT`). */
  public readonly draftVersion: string;
  public readonly region: string;
  public readonly account?: string;
  public readonly crossRegionProfile?: GuardrailProfile;
  public readonly hasAutomatedReasoningPolicy = false;
  public readonly provider?: TerraformProvider;
  /** The guardrail's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: GuardrailProps) {
    super(scope, id);
    const owner = `Guardrail(${this.node.path})`;
    const env = resolveEnv(this, owner, props.provider, props.region, props.account);

    checkLength(owner, 'name', props.name, 1, 50);
    checkPattern(owner, 'name', props.name, GUARDRAIL_NAME_PATTERN, 'letters, digits, - and _ only', 'Rename it, e.g. "org-default-guardrail".');
    checkLength(owner, 'description', props.description, 1, 200);
    checkLength(owner, 'blockedInputMessaging', props.blockedInputMessaging, 1, 500);
    checkLength(owner, 'blockedOutputsMessaging', props.blockedOutputsMessaging, 1, 500);
    checkKmsKey(owner, props.kmsKeyArn, env.region);
    checkTags(owner, props.tags);

    const contentFilters = renderContentFilters(owner, props.contentFilters ?? []);
    const topics = renderDeniedTopics(owner, props.deniedTopics ?? []);
    const words = renderWords(owner, props.wordFilters ?? []);
    const managed = renderManagedWordLists(owner, props.managedWordLists ?? []);
    const pii = renderPii(owner, props.piiFilters ?? []);
    const regexes = renderRegexes(owner, props.regexFilters ?? []);
    const grounding = renderGrounding(owner, props.contextualGrounding ?? []);

    const policies = contentFilters.length + topics.length + words.length + managed.length + pii.length + regexes.length + grounding.length;
    if (policies === 0) {
      fail(owner, 'contentFilters', 'and every other policy (deniedTopics, wordFilters, managedWordLists, piiFilters, regexFilters, contextualGrounding) are empty, so the guardrail would block nothing',
        'Configure at least one policy, e.g. `contentFilters: ContentFilters.all()`.');
    }
    checkTier(owner, 'contentFiltersTier', props.contentFiltersTier, props.crossRegionProfile, contentFilters.length, 'contentFilters');
    checkTier(owner, 'topicsTier', props.topicsTier, props.crossRegionProfile, topics.length, 'deniedTopics');
    checkProfile(owner, props.crossRegionProfile, env.region);

    this.resource = new BedrockGuardrail(this, 'Resource', {
      provider: env.provider,
      name: props.name,
      description: props.description,
      blockedInputMessaging: props.blockedInputMessaging ?? DEFAULT_BLOCKED_MESSAGING,
      blockedOutputsMessaging: props.blockedOutputsMessaging ?? DEFAULT_BLOCKED_MESSAGING,
      kmsKeyArn: props.kmsKeyArn,
      tags: props.tags ? { ...props.tags } : undefined,
      contentPolicyConfig: contentFilters.length
        ? [{ filtersConfig: contentFilters, tierConfig: props.contentFiltersTier ? [{ tierName: props.contentFiltersTier.value }] : undefined }]
        : undefined,
      topicPolicyConfig: topics.length
        ? [{ topicsConfig: topics, tierConfig: props.topicsTier ? [{ tierName: props.topicsTier.value }] : undefined }]
        : undefined,
      wordPolicyConfig: words.length || managed.length
        ? [{ wordsConfig: words.length ? words : undefined, managedWordListsConfig: managed.length ? managed : undefined }]
        : undefined,
      sensitiveInformationPolicyConfig: pii.length || regexes.length
        ? [{ piiEntitiesConfig: pii.length ? pii : undefined, regexesConfig: regexes.length ? regexes : undefined }]
        : undefined,
      contextualGroundingPolicyConfig: grounding.length ? [{ filtersConfig: grounding }] : undefined,
      crossRegionConfig: props.crossRegionProfile ? [{ guardrailProfileIdentifier: props.crossRegionProfile.profileId }] : undefined,
      timeouts: props.timeouts ? { ...props.timeouts } : undefined,
    });

    this.name = props.name;
    this.guardrailArn = this.resource.guardrailArn;
    this.guardrailId = this.resource.guardrailId;
    this.draftVersion = this.resource.version;
    this.region = env.region;
    this.account = env.account;
    this.provider = env.provider;
    this.crossRegionProfile = props.crossRegionProfile;

    const stack = TerraformStack.of(this);
    GuardrailsValidation.of(this).addGuardrail(this, () => ({
      path: this.node.path,
      name: this.name,
      region: this.region,
      placement: this.account !== undefined
        ? `account ${this.account}`
        : `the account of stack ${stack.node.id}'s ${providerAlias(this.provider) ? `provider "${providerAlias(this.provider)}"` : 'default provider'}`,
    }));
  }

  /** The guardrail's name, known at synth. */
  public get guardrailName(): string {
    return this.name;
  }

  /**
   * Publishes an immutable version of this guardrail. The version is replaced (a new number
   * published, the old one kept in AWS) only when the guardrail's content changes; tags and
   * timeouts do not count.
   * @param id construct id @default "Version"
   */
  public addVersion(id = 'Version', options: GuardrailVersionOptions = {}): GuardrailVersion {
    const existing = this.node.tryFindChild(id);
    if (existing) {
      fail(`Guardrail(${this.node.path})`, 'addVersion', `was called again with id "${id}", which ${existing instanceof GuardrailVersion ? 'an earlier version' : 'another construct'} `
        + 'of this guardrail already has', 'Give each version its own construct id, e.g. guardrail.addVersion("Strict"). Construct ids are kept in the '
        + 'Terraform addresses, so an id must never change once deployed.');
    }
    return new GuardrailVersion(this, id, { guardrail: this, ...options });
  }

  /**
   * A digest of everything that defines what the guardrail does, resolved to Terraform
   * expressions so it is stable across synths. Excludes tags, timeouts and meta-arguments.
   */
  public contentDigest(): string {
    const block = synthesizedBlock(this.resource) as Record<string, unknown>;
    const { tags, tags_all, timeouts, lifecycle, depends_on, provider, count, for_each, '//': meta, ...content } = block;
    void tags; void tags_all; void timeouts; void lifecycle; void depends_on; void provider; void count; void for_each; void meta;
    return sha256Of(content);
  }
}

function checkTier(owner: string, property: string, tier: GuardrailTier | undefined, profile: GuardrailProfile | undefined, filters: number, filtersProp: string): void {
  if (tier === undefined) return;
  if (tier.requiresCrossRegionProfile && profile === undefined) {
    fail(owner, property, `is ${tier.value}, which needs a cross-region guardrail profile, and \`crossRegionProfile\` is not set`,
      'Set `crossRegionProfile` (e.g. GuardrailProfile.US) or use GuardrailTier.CLASSIC.');
  }
  if (filters === 0) {
    fail(owner, property, `is set to ${tier.value} but \`${filtersProp}\` is empty, so the tier applies to nothing`, `Add ${filtersProp} or remove \`${property}\`.`);
  }
}

function checkProfile(owner: string, profile: GuardrailProfile | undefined, region: string): void {
  if (profile === undefined || isToken(profile.profileId)) return;
  checkPattern(owner, 'crossRegionProfile', profile.profileId, GUARDRAIL_PROFILE_ID_PATTERN, 'a guardrail profile ID like "us.guardrail.v1:0"', 'Use a GuardrailProfile constant.');
  const geography = profile.profileId.split('.')[0];
  const regionGeography: Record<string, RegExp> = {
    'us': /^us-(east|west)-\d$/, 'us-gov': /^us-gov-/, 'eu': /^eu-/, 'apac': /^ap-/,
  };
  const expected = regionGeography[geography];
  if (expected && !expected.test(region)) {
    fail(owner, 'crossRegionProfile', `is "${profile.profileId}", which cannot be used from ${region}`,
      'Use the profile of the guardrail\'s own geography (e.g. GuardrailProfile.EU in eu-* regions).');
  }
}

function checkKmsKey(owner: string, arn: string | undefined, region: string): void {
  if (arn === undefined || isToken(arn)) return;
  const m = KMS_KEY_ARN_PATTERN.exec(arn);
  if (!m) {
    fail(owner, 'kmsKeyArn', `must be a KMS key ARN like "arn:aws:kms:${region}:123456789012:key/<key id>", got ${show(arn)}`,
      'Pass the key\'s ARN (not its ID or an alias).');
  }
  if (m[1] !== region) {
    fail(owner, 'kmsKeyArn', `is a key in ${m[1]} but the guardrail is in ${region}`, `Use a KMS key in ${region}.`);
  }
}

function checkTags(owner: string, tags: Record<string, string> | undefined): void {
  if (tags === undefined || isToken(tags)) return;
  const keys = Object.keys(tags);
  if (keys.length > 50) fail(owner, 'tags', `may hold at most 50 tags, got ${keys.length}`, 'Drop or merge tags.');
  for (const k of keys) {
    checkLength(owner, `tags[${JSON.stringify(k)}]`, k, 1, 128, 'Shorten the tag key to at most 128 characters.');
    checkLength(owner, `tags[${JSON.stringify(k)}]`, tags[k], 0, 256, 'Shorten the tag value to at most 256 characters.');
    if (!isToken(k) && k.toLowerCase().startsWith('aws:')) {
      fail(owner, `tags[${JSON.stringify(k)}]`, 'uses the reserved "aws:" prefix', 'Rename the tag key.');
    }
  }
}
