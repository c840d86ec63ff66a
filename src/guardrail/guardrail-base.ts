import { TerraformProvider } from '../private/cdktf';
import { IConstruct } from 'constructs';
import { GuardrailProfile } from './types';

/**
 * A Bedrock guardrail, made by this app ({@link Guardrail}) or elsewhere
 * ({@link Guardrail.fromGuardrailAttributes}).
 */
export interface IGuardrail extends IConstruct {
  /** ARN of the guardrail (no version), e.g. `arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123`. May be a token. */
  readonly guardrailArn: string;
  /** ID of the guardrail. May be a token. */
  readonly guardrailId: string;
  /** The guardrail's name, when known at synth time (a guardrail made in this app). @default undefined: unknown */
  readonly guardrailName?: string;
  /** Region the guardrail lives in: always a literal, known at synth time. */
  readonly region: string;
  /** Account that owns the guardrail, when known at synth time. @default undefined: unknown until apply */
  readonly account?: string;
  /** The cross-region guardrail profile the guardrail uses, with its routing table. @default undefined: none */
  readonly crossRegionProfile?: GuardrailProfile;
  /** The ID of {@link crossRegionProfile} (e.g. `us.guardrail.v1:0`). @default undefined: none */
  readonly crossRegionProfileId?: string;
  /** Whether the guardrail carries an automated reasoning policy (organization enforcement refuses those). */
  readonly hasAutomatedReasoningPolicy: boolean;
  /** The provider its resources use. @default undefined: the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** An immutable, numbered version of a guardrail: what enforcement points at. */
export interface IGuardrailVersion extends IConstruct {
  /** The guardrail this is a version of. */
  readonly guardrail: IGuardrail;
  /** ARN of the guardrail (no version). */
  readonly guardrailArn: string;
  /** ID of the guardrail. */
  readonly guardrailId: string;
  /** The version number as a string (`"1"`, `"2"`, ...), or a token resolved at apply time. Never `DRAFT` for enforcement. */
  readonly guardrailVersion: string;
  /** `<guardrail ARN>:<version>`: the identifier organization enforcement policies name. */
  readonly enforcementIdentifier: string;
  /** Region of the guardrail and so of the version. */
  readonly region: string;
}
