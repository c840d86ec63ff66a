import { TerraformMetaArguments, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { awsResourceConfig } from '../private/native';

/** Configuration of {@link NativeGuardrailResourcePolicy}. */
export interface NativeGuardrailResourcePolicyConfig extends TerraformMetaArguments {
  /** ARN of the guardrail or guardrail profile. */
  readonly resourceArn: string;
  /** The policy document as JSON text. */
  readonly policy: string;
}

/**
 * Thin binding of `aws_bedrock_guardrail_resource_policy` (hashicorp/aws PR #48697; not in a
 * released provider as of 2026-11). Import ID: the resource ARN.
 */
export class NativeGuardrailResourcePolicy extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'aws_bedrock_guardrail_resource_policy';

  /** ARN of the guardrail or guardrail profile. */
  public readonly resourceArn: string;
  /** The policy document as JSON text. */
  public readonly policy: string;

  constructor(scope: Construct, id: string, config: NativeGuardrailResourcePolicyConfig) {
    super(scope, id, awsResourceConfig(NativeGuardrailResourcePolicy.tfResourceType, config));
    this.resourceArn = config.resourceArn;
    this.policy = config.policy;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { resource_arn: this.resourceArn, policy: this.policy };
  }
}
