/**
 * How the library makes the AWS objects that hashicorp/aws 6.25.0 has no resource for (a guardrail's
 * resource policy, account-level enforcement).
 */
export enum Implementation {
  /**
   * Through the shim: a Lambda function called by `aws_lambda_invocation` (CRUD lifecycle). Works
   * with the hashicorp/aws versions released today, on any Terraform runner.
   */
  SHIM = 'shim',
  /**
   * Through the provider's own resources, `aws_bedrock_guardrail_resource_policy` and
   * `aws_bedrock_enforced_guardrail_configuration`, which need a hashicorp/aws release that ships
   * them (not released as of 2026-11: provider PRs #48697 and #47408). `import` blocks adopt what
   * the shim made, and the shim's invocation is kept in a released state so the switch never
   * deletes anything.
   */
  NATIVE = 'native',
}
