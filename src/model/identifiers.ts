/**
 * The shape of every identifier the library reads or writes, each written once. The constructs,
 * the synth-time rules and the shim handler all use these; nothing here imports anything, so the
 * handler's bundle can include it.
 */

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';
const ACCOUNT = '\\d{12}';
const GUARDRAIL_ID = '[a-z0-9]+';
const PROFILE_ID = '[a-z0-9-]+\\.guardrail\\.v[0-9:]+';
const GUARDRAIL_ARN = `arn:(${PARTITION}):bedrock:(${REGION}):(${ACCOUNT}):guardrail/(${GUARDRAIL_ID})`;

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID_PATTERN = new RegExp(`^${ACCOUNT}$`);
/** An AWS Organizations organization ID, e.g. `o-a1b2c3d4e5`. */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;
/** An organization root ID, e.g. `r-a1b2`. */
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;
/** An organizational unit ID, e.g. `ou-a1b2-c3d4e5f6`. */
export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** An AWS region name, e.g. `us-east-1`, `us-gov-west-1`, `ap-southeast-5`. */
export const REGION_PATTERN = new RegExp(`^${REGION}$`);

/** A guardrail name (the API's pattern): letters, digits, `-` and `_`. */
export const GUARDRAIL_NAME_PATTERN = /^[0-9a-zA-Z-_]+$/;
/** A guardrail ARN without version; groups: partition, region, account, guardrail ID. */
export const GUARDRAIL_ARN_PATTERN = new RegExp(`^${GUARDRAIL_ARN}$`);
/** What the account-level API takes as `guardrailIdentifier`: a guardrail ID or its ARN. */
export const GUARDRAIL_IDENTIFIER_PATTERN = new RegExp(`^(?:${GUARDRAIL_ID}|${GUARDRAIL_ARN})$`);
/**
 * An organization policy's identifier, `<guardrail ARN>:<version>`; groups: partition, region,
 * account, guardrail ID, version. The version group takes any text, so a DRAFT or malformed
 * version can be reported as such.
 */
export const ENFORCEMENT_IDENTIFIER_PATTERN = new RegExp(`^${GUARDRAIL_ARN}:([^:/]+)$`);
/** A numbered guardrail version, `1` to `99999999` (DRAFT is not one). */
export const VERSION_NUMBER_PATTERN = /^[1-9][0-9]{0,7}$/;
/** A system-defined guardrail profile ID, e.g. `us.guardrail.v1:0`. */
export const GUARDRAIL_PROFILE_ID_PATTERN = new RegExp(`^${PROFILE_ID}$`);
/** A guardrail or guardrail profile ARN; groups: partition, region, account, resource (`guardrail/<id>` or `guardrail-profile/<id>`). */
export const GUARDRAIL_OR_PROFILE_ARN_PATTERN = new RegExp(`^arn:(${PARTITION}):bedrock:(${REGION}):(${ACCOUNT}):(guardrail/${GUARDRAIL_ID}|guardrail-profile/${PROFILE_ID})$`);
/** A customer managed KMS key ARN; groups: region, account. */
export const KMS_KEY_ARN_PATTERN = new RegExp(`^arn:${PARTITION}:kms:(${REGION}):(${ACCOUNT}):key/[A-Za-z0-9-]+$`);

/** An IAM role name, optionally with a path (`path/name`). */
export const ROLE_NAME_PATTERN = /^[\w+=,.@/-]{1,512}$/;
/** An IAM role ARN; groups: partition, account. */
export const ROLE_ARN_PATTERN = new RegExp(`^arn:(${PARTITION}):iam::(${ACCOUNT}):role/[\\w+=,.@/-]{1,512}$`);
/** A role session name, as `sts:AssumeRole` documents it. */
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
/** An AWS Organizations policy type, e.g. `BEDROCK_POLICY`. */
export const POLICY_TYPE_PATTERN = /^[A-Z][A-Z_]{1,127}$/;

/**
 * A configuration name, the key under a region in a `BEDROCK_POLICY`.
 *
 * AWS documents no constraint for this key (its example is `config_1`). The library accepts letters,
 * digits, `_` and `-`, 1-64 characters, starting with a letter or digit: a key that can never be
 * read as an operator (`@@…`) and stays readable in the console and in `DescribeEffectivePolicy`.
 */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * A model ID accepted by `includedModels` / `excludedModels`, anchored.
 *
 * AWS's API reference gives `([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}(/[a-z0-9]{12}){0,1}`
 * (and `ALL|...` for the include list) for both the account-level API and the organization policy.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ModelEnforcement.html
 */
export const MODEL_ID_PATTERN = /^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(?::[a-z0-9-]{1,63}){0,2}(?:\/[a-z0-9]{12})?$/;
/** A system-defined cross-region inference profile ID: a geography prefix before a model ID. */
export const INFERENCE_PROFILE_ID_PATTERN = /^(?:us|us-gov|eu|apac|jp|au|ca|global)\.[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(?::[a-z0-9-]{1,63}){0,2}$/;

/** The parts of a guardrail ARN. */
export interface GuardrailArnParts {
  /** Partition, e.g. `aws`. */
  readonly partition: string;
  /** Region. */
  readonly region: string;
  /** Owning account. */
  readonly account: string;
  /** Guardrail ID. */
  readonly guardrailId: string;
}

/** The parts of a literal guardrail ARN, or `undefined` when it is not one. */
export function parseGuardrailArn(arn: string): GuardrailArnParts | undefined {
  const m = GUARDRAIL_ARN_PATTERN.exec(arn);
  return m ? { partition: m[1], region: m[2], account: m[3], guardrailId: m[4] } : undefined;
}

/** The guardrail ARN the parts make: the inverse of {@link parseGuardrailArn}. */
export function guardrailArnOf(parts: GuardrailArnParts): string {
  return `arn:${parts.partition}:bedrock:${parts.region}:${parts.account}:guardrail/${parts.guardrailId}`;
}

/** The parts of an enforcement identifier (`<guardrail ARN>:<version>`). */
export interface EnforcementIdentifierParts extends GuardrailArnParts {
  /** The text after the last `:`, whatever it is (checked against {@link VERSION_NUMBER_PATTERN} separately). */
  readonly version: string;
}

/** The parts of a literal enforcement identifier, or `undefined` when it is malformed. */
export function parseEnforcementIdentifier(identifier: string): EnforcementIdentifierParts | undefined {
  const m = ENFORCEMENT_IDENTIFIER_PATTERN.exec(identifier);
  return m ? { partition: m[1], region: m[2], account: m[3], guardrailId: m[4], version: m[5] } : undefined;
}

/** Region and account of a literal guardrail or guardrail-profile ARN, or `undefined`. */
export function guardrailResourceLocation(arn: string): { readonly region: string; readonly account: string } | undefined {
  const m = GUARDRAIL_OR_PROFILE_ARN_PATTERN.exec(arn);
  return m ? { region: m[2], account: m[3] } : undefined;
}

/** The account of a literal IAM role ARN, or `undefined`. */
export function roleArnAccount(arn: string): string | undefined {
  return ROLE_ARN_PATTERN.exec(arn)?.[2];
}

/** The ARN of `roleName` (a name or `path/name`) in `account`. */
export function roleArn(account: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${roleName.replace(/^\//, '')}`;
}

/** The ARN of a guardrail profile in `region` of `account`. */
export function guardrailProfileArn(region: string, account: string, profileId: string, partition = 'aws'): string {
  return `arn:${partition}:bedrock:${region}:${account}:guardrail-profile/${profileId}`;
}
