/**
 * Limits AWS documents for what the library emits, each written once.
 */

/** Organizations' maximum size of an Amazon Bedrock policy document, in characters. */
export const BEDROCK_POLICY_MAX_CHARACTERS = 10_000;

/** Organizations' limit on policies of one type attached directly to one root, OU or account. */
export const MAX_POLICIES_PER_TARGET = 10;

/** Length limit of an Organizations policy name. */
export const POLICY_NAME_MAX_LENGTH = 128;

/** Length limit of an Organizations policy description. */
export const POLICY_DESCRIPTION_MAX_LENGTH = 512;

/** IAM's limit on the total size of a role's inline policies, in characters without white space. */
export const ROLE_INLINE_POLICY_LIMIT = 10_240;

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

/** Longest model ID the documented pattern allows: 63 + 1 + 63 + 2 × (1 + 63) + 13 characters. */
export const MODEL_ID_MAX_LENGTH = 268;

/** The highest rollout stage a target may carry. */
export const MAX_ROLLOUT_STAGE = 1000;
