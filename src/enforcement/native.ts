import { Construct } from 'constructs';
import { NativeSettings } from '../model/enforcement-settings';
import { ENFORCED_CONFIGURATION_SCHEMA as SCHEMA } from '../model/native-schema';
import { TerraformMetaArguments, TerraformResource, awsResourceConfig } from '../private/cdktf';

/** Configuration of {@link NativeEnforcedGuardrailConfiguration}. */
export interface NativeEnforcedGuardrailConfigurationConfig extends TerraformMetaArguments {
  /** Guardrail ID or ARN. */
  readonly guardrailIdentifier: string;
  /** Numbered version. */
  readonly guardrailVersion: string;
  /** Selective guarding (both modes, always) and model enforcement. */
  readonly settings: NativeSettings;
}

/**
 * Thin binding of `aws_bedrock_enforced_guardrail_configuration` (hashicorp/aws PR #47408; not in a
 * released provider as of 2026-12). One per account and region; import ID: the region.
 */
export class NativeEnforcedGuardrailConfiguration extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = SCHEMA.type;

  private readonly config: NativeEnforcedGuardrailConfigurationConfig;

  constructor(scope: Construct, id: string, config: NativeEnforcedGuardrailConfigurationConfig) {
    super(scope, id, awsResourceConfig(NativeEnforcedGuardrailConfiguration.tfResourceType, config));
    this.config = config;
  }

  /** The configuration ID AWS assigned. */
  public get configId(): string {
    return this.getStringAttribute(SCHEMA.configId);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const s = this.config.settings;
    return {
      [SCHEMA.guardrailIdentifier]: this.config.guardrailIdentifier,
      [SCHEMA.guardrailVersion]: this.config.guardrailVersion,
      [SCHEMA.selectiveContentGuarding]: { [SCHEMA.system]: s.selective_content_guarding.system, [SCHEMA.messages]: s.selective_content_guarding.messages },
      [SCHEMA.modelEnforcement]: s.model_enforcement
        ? { [SCHEMA.includedModels]: s.model_enforcement.included_models, [SCHEMA.excludedModels]: s.model_enforcement.excluded_models }
        : undefined,
    };
  }
}
