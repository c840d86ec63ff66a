import { GUARDRAIL_PROFILE_ID_PATTERN, guardrailProfileArn } from '../model/identifiers';
import { fail, isToken, show } from '../model/validate';

/**
 * How strongly a content filter applies.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-content-filters.html
 */
export enum FilterStrength {
  /** The filter is off for this direction. */
  NONE = 'NONE',
  /** Blocks content classified harmful with high confidence only. */
  LOW = 'LOW',
  /** Blocks content classified harmful with medium or high confidence. */
  MEDIUM = 'MEDIUM',
  /** Blocks content classified harmful with low, medium or high confidence. */
  HIGH = 'HIGH',
}

/** What a content, topic, word or grounding filter does when it detects something. */
export enum GuardrailAction {
  /** Block the content and return the blocked messaging. */
  BLOCK = 'BLOCK',
  /** Take no action, only report the detection in the trace ("detect mode"). */
  NONE = 'NONE',
}

/** What a sensitive-information (PII or regex) filter does when it detects a match. */
export enum SensitiveInformationAction {
  /** Block the content and return the blocked messaging. */
  BLOCK = 'BLOCK',
  /** Mask the match with an identifier tag, e.g. `{NAME}`. */
  ANONYMIZE = 'ANONYMIZE',
  /** Take no action, only report the detection in the trace. */
  NONE = 'NONE',
}

/** The kind of content a content filter evaluates. */
export enum Modality {
  /** Text content. */
  TEXT = 'TEXT',
  /** Image content (supported by content filters). */
  IMAGE = 'IMAGE',
}

/** The contextual grounding checks. */
export enum ContextualGroundingType {
  /** Is the response grounded in (factually consistent with) the reference source? */
  GROUNDING = 'GROUNDING',
  /** Is the response relevant to the user's query? */
  RELEVANCE = 'RELEVANCE',
}

/** Base of the enum-like classes: a set AWS keeps extending, with named constants and `of()`. */
abstract class OpenEnum {
  protected constructor(
    /** The value as the API spells it. */
    public readonly value: string,
  ) {}

  /** The value as the API spells it. */
  public toString(): string {
    return this.value;
  }
}

function checkOpenValue(kind: string, value: string, pattern: RegExp): string {
  if (!isToken(value) && !pattern.test(value)) {
    fail(kind, 'value', `must match ${pattern}, got ${show(value)}`, `Use one of ${kind}'s constants, or the value exactly as the Bedrock API spells it.`);
  }
  return value;
}

/**
 * A harmful-content category for content filters.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-content-filters.html
 */
export class ContentFilterType extends OpenEnum {
  /** Sexual content. */
  public static readonly SEXUAL = new ContentFilterType('SEXUAL');
  /** Violence. */
  public static readonly VIOLENCE = new ContentFilterType('VIOLENCE');
  /** Hate. */
  public static readonly HATE = new ContentFilterType('HATE');
  /** Insults. */
  public static readonly INSULTS = new ContentFilterType('INSULTS');
  /** Misconduct: seeking or giving information about criminal activity. */
  public static readonly MISCONDUCT = new ContentFilterType('MISCONDUCT');
  /** Prompt attacks: jailbreaks and prompt injection. Applies to input only. */
  public static readonly PROMPT_ATTACK = new ContentFilterType('PROMPT_ATTACK');
  /** The six categories, in the console's order. */
  public static readonly ALL: readonly ContentFilterType[] = [
    ContentFilterType.SEXUAL, ContentFilterType.VIOLENCE, ContentFilterType.HATE,
    ContentFilterType.INSULTS, ContentFilterType.MISCONDUCT, ContentFilterType.PROMPT_ATTACK,
  ];

  /** A category this library does not name yet, spelled as the API spells it (e.g. `"NEW_CATEGORY"`). */
  public static of(value: string): ContentFilterType {
    return new ContentFilterType(checkOpenValue('ContentFilterType', value, /^[A-Z][A-Z0-9_]*$/));
  }
}

/**
 * A type of personally identifiable information the sensitive-information policy detects.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-sensitive-filters.html
 */
export class PiiEntityType extends OpenEnum {
  /** A physical address. */
  public static readonly ADDRESS = new PiiEntityType('ADDRESS');
  /** An age. */
  public static readonly AGE = new PiiEntityType('AGE');
  /** An AWS access key ID. */
  public static readonly AWS_ACCESS_KEY = new PiiEntityType('AWS_ACCESS_KEY');
  /** An AWS secret access key. */
  public static readonly AWS_SECRET_KEY = new PiiEntityType('AWS_SECRET_KEY');
  /** A Canadian health number. */
  public static readonly CA_HEALTH_NUMBER = new PiiEntityType('CA_HEALTH_NUMBER');
  /** A Canadian social insurance number. */
  public static readonly CA_SOCIAL_INSURANCE_NUMBER = new PiiEntityType('CA_SOCIAL_INSURANCE_NUMBER');
  /** A card verification value. */
  public static readonly CREDIT_DEBIT_CARD_CVV = new PiiEntityType('CREDIT_DEBIT_CARD_CVV');
  /** A card expiry date. */
  public static readonly CREDIT_DEBIT_CARD_EXPIRY = new PiiEntityType('CREDIT_DEBIT_CARD_EXPIRY');
  /** A credit or debit card number. */
  public static readonly CREDIT_DEBIT_CARD_NUMBER = new PiiEntityType('CREDIT_DEBIT_CARD_NUMBER');
  /** A driver's licence number. */
  public static readonly DRIVER_ID = new PiiEntityType('DRIVER_ID');
  /** An email address. */
  public static readonly EMAIL = new PiiEntityType('EMAIL');
  /** An IBAN. */
  public static readonly INTERNATIONAL_BANK_ACCOUNT_NUMBER = new PiiEntityType('INTERNATIONAL_BANK_ACCOUNT_NUMBER');
  /** An IPv4 address. */
  public static readonly IP_ADDRESS = new PiiEntityType('IP_ADDRESS');
  /** A vehicle licence plate. */
  public static readonly LICENSE_PLATE = new PiiEntityType('LICENSE_PLATE');
  /** A MAC address. */
  public static readonly MAC_ADDRESS = new PiiEntityType('MAC_ADDRESS');
  /** A person's name. */
  public static readonly NAME = new PiiEntityType('NAME');
  /** A password. */
  public static readonly PASSWORD = new PiiEntityType('PASSWORD');
  /** A phone number. */
  public static readonly PHONE = new PiiEntityType('PHONE');
  /** A personal identification number. */
  public static readonly PIN = new PiiEntityType('PIN');
  /** A SWIFT code. */
  public static readonly SWIFT_CODE = new PiiEntityType('SWIFT_CODE');
  /** A UK NHS number. */
  public static readonly UK_NATIONAL_HEALTH_SERVICE_NUMBER = new PiiEntityType('UK_NATIONAL_HEALTH_SERVICE_NUMBER');
  /** A UK national insurance number. */
  public static readonly UK_NATIONAL_INSURANCE_NUMBER = new PiiEntityType('UK_NATIONAL_INSURANCE_NUMBER');
  /** A UK unique taxpayer reference. */
  public static readonly UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER = new PiiEntityType('UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER');
  /** A URL. */
  public static readonly URL = new PiiEntityType('URL');
  /** A user name. */
  public static readonly USERNAME = new PiiEntityType('USERNAME');
  /** A US bank account number. */
  public static readonly US_BANK_ACCOUNT_NUMBER = new PiiEntityType('US_BANK_ACCOUNT_NUMBER');
  /** A US bank routing number. */
  public static readonly US_BANK_ROUTING_NUMBER = new PiiEntityType('US_BANK_ROUTING_NUMBER');
  /** A US individual taxpayer identification number. */
  public static readonly US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER = new PiiEntityType('US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER');
  /** A US passport number. */
  public static readonly US_PASSPORT_NUMBER = new PiiEntityType('US_PASSPORT_NUMBER');
  /** A US social security number. */
  public static readonly US_SOCIAL_SECURITY_NUMBER = new PiiEntityType('US_SOCIAL_SECURITY_NUMBER');
  /** A vehicle identification number. */
  public static readonly VEHICLE_IDENTIFICATION_NUMBER = new PiiEntityType('VEHICLE_IDENTIFICATION_NUMBER');

  /** An entity type this library does not name yet, spelled as the API spells it. */
  public static of(value: string): PiiEntityType {
    return new PiiEntityType(checkOpenValue('PiiEntityType', value, /^[A-Z][A-Z0-9_]*$/));
  }
}

/**
 * The safeguard tier of content filters or denied topics. STANDARD is more robust and multilingual
 * and requires a cross-region guardrail profile.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-tiers.html
 */
export class GuardrailTier extends OpenEnum {
  /** The original tier; works without cross-region inference. */
  public static readonly CLASSIC = new GuardrailTier('CLASSIC');
  /** More robust, more languages; needs `crossRegionProfile`. */
  public static readonly STANDARD = new GuardrailTier('STANDARD');

  /** A tier this library does not name yet. */
  public static of(value: string): GuardrailTier {
    return new GuardrailTier(checkOpenValue('GuardrailTier', value, /^[A-Z][A-Z0-9_]*$/));
  }

  /** Whether this tier needs a cross-region guardrail profile (every tier but CLASSIC). */
  public get requiresCrossRegionProfile(): boolean {
    return this.value !== 'CLASSIC';
  }
}

/** A managed word list for the word policy. */
export class ManagedWordListType extends OpenEnum {
  /** AWS's managed list of profanity. */
  public static readonly PROFANITY = new ManagedWordListType('PROFANITY');

  /** A managed list this library does not name yet. */
  public static of(value: string): ManagedWordListType {
    return new ManagedWordListType(checkOpenValue('ManagedWordListType', value, /^[A-Z][A-Z0-9_]*$/));
  }
}

/**
 * A system-defined guardrail profile for cross-region guardrail inference: the geography a
 * guardrail's evaluations may be routed within. Required by the STANDARD tier.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-cross-region-support.html
 */
export class GuardrailProfile {
  /** The US geography (source regions us-east-1, us-east-2, us-west-1, us-west-2). */
  public static readonly US = new GuardrailProfile('us.guardrail.v1:0', {
    'us-east-1': ['us-east-1', 'us-east-2', 'us-west-2'],
    'us-east-2': ['us-east-1', 'us-east-2', 'us-west-2'],
    'us-west-1': ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
    'us-west-2': ['us-east-1', 'us-east-2', 'us-west-2'],
  });
  /** The AWS GovCloud (US) geography. */
  public static readonly US_GOV = new GuardrailProfile('us-gov.guardrail.v1:0', {
    'us-gov-east-1': ['us-gov-east-1', 'us-gov-west-1'],
    'us-gov-west-1': ['us-gov-east-1', 'us-gov-west-1'],
  });
  /** The EU geography. Destination regions per source region: see the user guide page. */
  public static readonly EU = new GuardrailProfile('eu.guardrail.v1:0', {});
  /** The Asia Pacific geography. Destination regions per source region: see the user guide page. */
  public static readonly APAC = new GuardrailProfile('apac.guardrail.v1:0', {});

  /**
   * A profile by ID (e.g. `"us.guardrail.v1:0"`), with its routing table when it matters to you
   * (resource policies on the profile in each destination region). Without a table, the ID of one
   * of the constants above gives that constant, with the table the library knows.
   * @param destinationsBySource source region → destination regions @default the constant's table for its ID, else none known
   */
  public static of(profileId: string, destinationsBySource?: Record<string, string[]>): GuardrailProfile {
    if (!isToken(profileId) && !GUARDRAIL_PROFILE_ID_PATTERN.test(profileId)) {
      fail('GuardrailProfile', 'profileId', `must be a guardrail profile ID like "us.guardrail.v1:0", got ${show(profileId)}`,
        'Use GuardrailProfile.US / EU / APAC / US_GOV, or copy the ID from the Bedrock user guide ("Supported Regions for cross-Region guardrail inference").');
    }
    if (destinationsBySource === undefined) {
      const known = [GuardrailProfile.US, GuardrailProfile.US_GOV, GuardrailProfile.EU, GuardrailProfile.APAC].find((p) => p.profileId === profileId);
      if (known) return known;
    }
    return new GuardrailProfile(profileId, destinationsBySource ?? {});
  }

  private constructor(
    /** The profile ID, e.g. `us.guardrail.v1:0`. */
    public readonly profileId: string,
    private readonly destinationsBySource: Record<string, string[]>,
  ) {}

  /** The profile's ARN as seen from `region` in `account`. */
  public arn(region: string, account: string, partition = 'aws'): string {
    return guardrailProfileArn(region, account, this.profileId, partition);
  }

  /**
   * The regions requests from `sourceRegion` may be routed to, or just the source region when the
   * routing table for it is not known to the library.
   */
  public destinationRegions(sourceRegion: string): string[] {
    return [...(this.destinationsBySource[sourceRegion] ?? [sourceRegion])];
  }
}
