/**
 * cdktf-bedrock-guardrails: CDK for Terraform constructs for centralized, cross-account Amazon
 * Bedrock Guardrails. The public API, named one by one; nothing else in the package is part of it.
 */

// Errors
export { GuardrailsValidationError } from './errors';

// The organization and the identifiers, limits and values the constructs take
export { Organization, type OrganizationProps, type OrganizationalUnitSpec } from './model/organization';
export {
  ACCOUNT_ID_PATTERN, CONFIG_NAME_PATTERN, GUARDRAIL_ARN_PATTERN, GUARDRAIL_NAME_PATTERN, GUARDRAIL_PROFILE_ID_PATTERN,
  INFERENCE_PROFILE_ID_PATTERN, MODEL_ID_PATTERN, ORGANIZATION_ID_PATTERN, OU_ID_PATTERN, REGION_PATTERN, ROOT_ID_PATTERN,
  VERSION_NUMBER_PATTERN,
} from './model/identifiers';
export {
  BEDROCK_POLICY_MAX_CHARACTERS, GUARDRAIL_ARN_MAX_LENGTH, GUARDRAIL_IDENTIFIER_MAX_LENGTH, MAX_POLICIES_PER_TARGET,
  MAX_ROLLOUT_STAGE, MODEL_ID_MAX_LENGTH, ROLE_INLINE_POLICY_LIMIT,
} from './model/limits';
export { ModelId, ModelIdKind } from './model/model-id';
export {
  type AssignedValue, ContentGuarding, DEFAULT_CONTENT_GUARDING, type EffectiveEnforcementSettings, type EnforcementSettings,
  type PolicyModelEnforcement, type PolicySelectiveContentGuarding, contentGuardingFromPolicyValue, contentGuardingToPolicyValue,
} from './model/enforcement-settings';
export { type BedrockPolicyContent, type CharacterCountRange, type RenderedGuardrailConfiguration } from './model/bedrock-policy';
export { EnforcementTarget, type EnforcementTargetOptions, TargetType } from './model/targets';
export { DEFAULT_MEMBER_ROLE_NAME } from './model/shim-contract';

// Guardrails and their versions
export {
  ContentFilterType, ContextualGroundingType, FilterStrength, GuardrailAction, GuardrailProfile, GuardrailTier,
  ManagedWordListType, Modality, PiiEntityType, SensitiveInformationAction,
} from './guardrail/types';
export {
  type ContentFilter, type ContextualGroundingFilter, type DeniedTopic, type DirectionalOptions, MAX_DENIED_TOPICS, MAX_REGEXES,
  MAX_TOPIC_EXAMPLES, MAX_WORDS, type ManagedWordList, type PiiFilter, type RegexFilter, TOPIC_NAME_PATTERN, type WordFilter,
} from './guardrail/filters';
export { ContentFilters, DeniedTopics, baselineGuardrail } from './guardrail/presets';
export { type IGuardrail, type IGuardrailVersion } from './guardrail/guardrail-base';
export {
  DEFAULT_BLOCKED_MESSAGING, type DeploymentOptions, Guardrail, type GuardrailAttributes, GuardrailBase, type GuardrailProps,
  type GuardrailSettings, type GuardrailTimeouts,
} from './guardrail/guardrail';
export {
  GuardrailVersion, type GuardrailVersionAttributes, type GuardrailVersionOptions, type GuardrailVersionProps,
} from './guardrail/guardrail-version';
export { Implementation } from './implementation';

// Who may apply a guardrail
export { GuardrailPrincipal, GuardrailPrincipalKind } from './access/principals';
export { APPLY_GUARDRAIL, GET_GUARDRAIL, GuardrailResourcePolicy, type GuardrailResourcePolicyProps } from './access/resource-policy';
export { NativeGuardrailResourcePolicy, type NativeGuardrailResourcePolicyConfig } from './access/native';

// Enforcement
export {
  BedrockPolicyDocument, type BedrockPolicyDocumentProps, type GuardrailConfigurationProps, type PolicyConfiguration,
  type PolicyJsonOptions, type RenderedBedrockPolicy,
} from './enforcement/policy-document';
export {
  BEDROCK_POLICY_PROVIDER_CONSTRAINT, BEDROCK_POLICY_TYPE, OrganizationEnforcement, type OrganizationEnforcementProps,
} from './enforcement/organization-enforcement';
export { AccountEnforcement, type AccountEnforcementProps } from './enforcement/account-enforcement';
export { NativeEnforcedGuardrailConfiguration, type NativeEnforcedGuardrailConfigurationConfig } from './enforcement/native';

// The shim
export { ShimHost, type ShimHostOptions, type ShimObjectSpec, type ShimTargetSpec } from './shim/shim-host';

// Reusable stacks
export {
  ManagementAccountStack, type ManagementAccountStackProps, type MemberEnforcementSettings, type OrganizationEnforcementSettings,
} from './stacks/management-account-stack';
export { MemberAccountStack, type MemberAccountStackProps } from './stacks/member-account-stack';
export {
  AccountEnforcementStack, type AccountEnforcementStackProps, type GuardrailVersionReference, MAX_ENFORCEMENT_STACKS,
  type SplitAccountEnforcementProps, splitAccountEnforcement,
} from './stacks/account-enforcement-stack';
export { accountStackIndex } from './model/partition';

// The app, warnings and the enforcement preview
export { GuardrailsApp, type GuardrailsAppProps } from './app';
export { acknowledgeWarning } from './validation/acknowledge';
export {
  type AccountEnforcementPreview, type EffectiveConfigurationPreview, type EnforcementPreview, type EnforcementPreviewInput,
  type IdentifierLabel, type PreviewAccountConfiguration, type PreviewOrganizationPolicy, type PreviewSummary,
  type RegionEnforcementPreview, type PolicyRolloutPreview, type PreviewScope, type PreviewStagedTarget, type PreviewSummaryOptions,
  type PreviewTree, type RolloutTargetPreview, previewEnforcement, renderPreviewDiagram, renderPreviewMarkdown, summarizePreview, unguardedPairs,
} from './validation/preview';
export { PREVIEW_JSON, PREVIEW_MARKDOWN } from './validation/preview-writer';
