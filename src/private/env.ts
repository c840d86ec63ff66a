import { TerraformProvider, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GuardrailsValidationError } from '../errors';
import { isToken } from './validate';

/** Where a construct's resources are created: known at synth time so cross-checks can run. */
export interface ResolvedEnv {
  /** The AWS region, a literal string. */
  readonly region: string;
  /** The AWS account ID when the provider pins one (`allowedAccountIds` with one entry). */
  readonly account?: string;
  /** The provider to set on resources; undefined means the stack's default AWS provider. */
  readonly provider?: TerraformProvider;
}

const defaults = new WeakMap<TerraformStack, { childCount: number; provider?: AwsProvider }>();

/** The stack's un-aliased AwsProvider, found among the stack's direct children and cached. */
export function defaultAwsProvider(scope: IConstruct): AwsProvider | undefined {
  const stack = TerraformStack.of(scope);
  const children = stack.node.children;
  const cached = defaults.get(stack);
  if (cached && cached.childCount === children.length) return cached.provider;
  const provider = children.find((c): c is AwsProvider => c instanceof AwsProvider && !c.alias);
  defaults.set(stack, { childCount: children.length, provider });
  return provider;
}

/** The account a provider is pinned to (`allowedAccountIds` with one literal entry), if any. */
export function pinnedAccount(provider: TerraformProvider | undefined): string | undefined {
  const pinned = provider instanceof AwsProvider ? provider.allowedAccountIds : undefined;
  return pinned && pinned.length === 1 && !isToken(pinned[0]) ? pinned[0] : undefined;
}

/**
 * Resolves region and account for a construct from an explicit provider or the stack's default
 * AwsProvider. Region must be a literal: every enforcement is checked against it at synth time.
 */
export function resolveEnv(scope: IConstruct, owner: string, provider?: TerraformProvider, region?: string, account?: string): ResolvedEnv {
  const aws = provider ?? defaultAwsProvider(scope);
  const awsProvider = aws instanceof AwsProvider ? aws : undefined;
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
