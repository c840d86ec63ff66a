/**
 * The organization the benchmark synthesizes, as plain data shared by the library program and the
 * plain provider-class program (so neither imports the other): N member accounts spread over 100
 * OUs, enforced in two regions, with a guardrail and version per region in a management stack.
 */

/** Regions enforced; the first is the home region of every provider and shim host. */
export const REGIONS = ['us-east-1', 'us-west-2'] as const;
/** The management account. */
export const MANAGEMENT_ACCOUNT = '111111111111';
/** The organization's IDs. */
export const ORGANIZATION_ID = 'o-benchorg001';
export const ROOT_ID = 'r-bnch';
/** OUs of the organization. */
export const OU_COUNT = 100;
/** Accounts per member stack (one Terraform workspace each). */
export const ACCOUNTS_PER_STACK = 100;
/** Id prefix of the member stacks: `members-1`, `members-2`, ... */
export const MEMBER_STACK_PREFIX = 'members';
/** Id of the management stack. */
export const MANAGEMENT_STACK = 'management';
/** The version number the member stacks enforce (the management stack's first published version). */
export const ENFORCED_VERSION = '1';

/** The i-th OU's ID (0-based). */
export function ouId(i: number): string {
  return `ou-bnch-${String(i).padStart(8, '0')}`;
}

/** The i-th member account's ID (0-based). */
export function accountId(i: number): string {
  return String(200_000_000_000 + i);
}

/** Member account IDs, in order. */
export function memberAccounts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => accountId(i));
}

/** The OU an account sits in: accounts are dealt round-robin over the OUs. */
export function ouOfAccount(i: number): number {
  return i % OU_COUNT;
}

/**
 * The literal ARN of the management stack's guardrail in `region`, as its outputs would give it
 * after the first apply: member stacks name it by value, so their workspaces need no remote state.
 */
export function guardrailArn(region: string): string {
  return `arn:aws:bedrock:${region}:${MANAGEMENT_ACCOUNT}:guardrail/bench${region.replace(/-/g, '')}`;
}

/** How many member stacks `n` accounts make. */
export function memberStackCount(n: number): number {
  return Math.ceil(n / ACCOUNTS_PER_STACK);
}
