import { IConstruct } from 'constructs';
import { TerraformProvider, asAwsProvider, defaultAwsProvider, isToken, pinnedAccount } from './cdktf';
import { GuardrailsValidationError } from '../errors';

/** Where a construct's resources are created: known at synth time so cross-checks can run. */
export interface ResolvedEnv {
  /** The AWS region, a literal string. */
  readonly region: string;
  /** The AWS account ID when the provider pins one (`allowedAccountIds` with one entry). */
  readonly account?: string;
  /** The provider to set on resources; undefined means the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

/**
 * Resolves region and account for a construct from an explicit provider or the stack's default
 * AwsProvider. Region must be a literal: every enforcement is checked against it at synth time.
 */
export function resolveEnv(scope: IConstruct, owner: string, provider?: TerraformProvider, region?: string, account?: string): ResolvedEnv {
  const aws = provider ?? defaultAwsProvider(scope);
  const awsProvider = asAwsProvider(aws);
  const providerRegion = awsProvider?.region;
  const resolvedRegion = region ?? providerRegion;
  if (resolvedRegion === undefined || isToken(resolvedRegion)) {
    throw new GuardrailsValidationError('region',
      `${owner}: \`region\` is unknown at synth time (got ${resolvedRegion === undefined ? 'no region' : 'a token'}). ` +
      'Give the AwsProvider a literal `region` (for example "us-east-1") or set `region` on the construct.');
  }
  if (region !== undefined && providerRegion !== undefined && !isToken(providerRegion) && region !== providerRegion) {
    throw new GuardrailsValidationError('region',
      `${owner}: \`region\` is "${region}" but its provider deploys to "${providerRegion}". ` +
      `Pass the AwsProvider for ${region} as \`provider\`, or drop \`region\`.`);
  }
  const providerAccount = pinnedAccount(awsProvider);
  if (account !== undefined && providerAccount !== undefined && account !== providerAccount) {
    throw new GuardrailsValidationError('account',
      `${owner}: \`account\` is "${account}" but its provider only allows account "${providerAccount}". ` +
      'Pass the provider of that account as `provider`, or drop `account`.');
  }
  return { region: resolvedRegion, account: account ?? providerAccount, provider };
}
