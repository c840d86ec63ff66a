/**
 * The names of the two hashicorp/aws resources the shim stands in for, and of their arguments, as
 * read from their upstream pull requests (unreleased as of 2026-12, so they may still change when
 * merged: a rename is a change here and nowhere else).
 *
 * - `aws_bedrock_enforced_guardrail_configuration`: hashicorp/terraform-provider-aws PR #47408.
 * - `aws_bedrock_guardrail_resource_policy`: issue #48674, PR #48697.
 */

/** `aws_bedrock_enforced_guardrail_configuration`. */
export const ENFORCED_CONFIGURATION_SCHEMA = {
  type: 'aws_bedrock_enforced_guardrail_configuration',
  guardrailIdentifier: 'guardrail_identifier',
  guardrailVersion: 'guardrail_version',
  selectiveContentGuarding: 'selective_content_guarding',
  system: 'system',
  messages: 'messages',
  modelEnforcement: 'model_enforcement',
  includedModels: 'included_models',
  excludedModels: 'excluded_models',
  region: 'region',
  configId: 'config_id',
} as const;

/** `aws_bedrock_guardrail_resource_policy`. */
export const RESOURCE_POLICY_SCHEMA = {
  type: 'aws_bedrock_guardrail_resource_policy',
  resourceArn: 'resource_arn',
  policy: 'policy',
  region: 'region',
} as const;
