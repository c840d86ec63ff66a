import { Construct } from 'constructs';
import { RESOURCE_POLICY_SCHEMA as SCHEMA } from '../model/native-schema';
import { TerraformMetaArguments, TerraformResource, awsResourceConfig } from '../private/cdktf';

/** Configuration of {@link NativeGuardrailResourcePolicy}. */
export interface NativeGuardrailResourcePolicyConfig extends TerraformMetaArguments {
  /** ARN of the guardrail or guardrail profile. */
  readonly resourceArn: string;
  /** The policy document as JSON text. */
  readonly policy: string;
  /**
   * The region the API call goes to: the resource's own (a guardrail profile in another region
   * than its provider's). hashicorp/aws 6.x's per-resource `region` argument.
   * @default the provider's region
   */
  readonly region?: string;
}

/**
 * Thin binding of `aws_bedrock_guardrail_resource_policy` (hashicorp/aws PR #48697; not in a
 * released provider as of 2026-12). Import ID: the resource ARN.
 */
export class NativeGuardrailResourcePolicy extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = SCHEMA.type;

  /** ARN of the guardrail or guardrail profile. */
  public readonly resourceArn: string;
  /** The policy document as JSON text. */
  public readonly policy: string;
  /** The region the policy is put in, when not the provider's. */
  public readonly region?: string;

  constructor(scope: Construct, id: string, config: NativeGuardrailResourcePolicyConfig) {
    super(scope, id, awsResourceConfig(NativeGuardrailResourcePolicy.tfResourceType, config));
    this.resourceArn = config.resourceArn;
    this.policy = config.policy;
    this.region = config.region;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { [SCHEMA.resourceArn]: this.resourceArn, [SCHEMA.policy]: this.policy, [SCHEMA.region]: this.region };
  }
}
