import { TerraformMetaArguments, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { awsResourceConfig } from '../private/native';
import { AccountEnforcementSettingsInput } from './settings';

/** Configuration of {@link NativeEnforcedGuardrailConfiguration}. */
export interface NativeEnforcedGuardrailConfigurationConfig extends TerraformMetaArguments {
  /** Guardrail ID or ARN. */
  readonly guardrailIdentifier: string;
  /** Numbered version. */
  readonly guardrailVersion: string;
  /** Selective guarding and model enforcement, in the account API's shape. @default AWS's defaults */
  readonly settings?: AccountEnforcementSettingsInput;
}

/**
 * Thin binding of `aws_bedrock_enforced_guardrail_configuration` (hashicorp/aws PR #47408; not in a
 * released provider as of 2026-11). One per account and region; import ID: the region.
 */
export class NativeEnforcedGuardrailConfiguration extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'aws_bedrock_enforced_guardrail_configuration';

  private readonly config: NativeEnforcedGuardrailConfigurationConfig;

  constructor(scope: Construct, id: string, config: NativeEnforcedGuardrailConfigurationConfig) {
    super(scope, id, awsResourceConfig(NativeEnforcedGuardrailConfiguration.tfResourceType, config));
    this.config = config;
  }

  /** The configuration ID AWS assigned. */
  public get configId(): string {
    return this.getStringAttribute('config_id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const s = this.config.settings ?? {};
    return {
      guardrail_identifier: this.config.guardrailIdentifier,
      guardrail_version: this.config.guardrailVersion,
      selective_content_guarding: s.selectiveContentGuarding
        ? { system: s.selectiveContentGuarding.system, messages: s.selectiveContentGuarding.messages }
        : undefined,
      model_enforcement: s.modelEnforcement
        ? { included_models: s.modelEnforcement.includedModels, excluded_models: s.modelEnforcement.excludedModels }
        : undefined,
    };
  }
}
