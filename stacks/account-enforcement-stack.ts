import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  AccountEnforcement, ACCOUNT_ID_PATTERN, DEFAULT_MEMBER_ROLE_NAME, EnforcementSettings, Guardrail, GuardrailsValidationError, GuardrailVersion,
  IGuardrailVersion, Organization, ROLE_INLINE_POLICY_LIMIT, memberRoleArn,
} from '../src';

/**
 * A guardrail version named by literal attributes: the guardrail's ARN (no version) and the
 * version number, e.g. read from the management stack's outputs after it was applied.
 */
export interface GuardrailVersionReference {
  /** ARN of the guardrail, e.g. `arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456`. */
  readonly guardrailArn: string;
  /** The version number, e.g. `"1"`. */
  readonly version: string;
}

/** Settings of an {@link AccountEnforcementStack}. */
export interface AccountEnforcementStackProps extends EnforcementSettings {
  /** The management account: the stack deploys there, with that account's credentials. */
  readonly managementAccountId: string;
  /** Home region of the stack's provider and of its shim host (one host serves every region). */
  readonly region: string;
  /**
   * The version to enforce in each region, one per region (the region is the version's).
   *
   * An `IGuardrailVersion` of another stack in the app (the management stack's) becomes a
   * cross-stack reference: cdktf adds an output there and a `terraform_remote_state` data source
   * here, so this stack's plan reads the management stack's state (and cannot run before that
   * stack is applied, nor offline). A
   * {@link GuardrailVersionReference} is imported here with literal attributes instead: no
   * reference between workspaces, but the guardrail's resource policy lives in another stack, so
   * the rules report reach as unverifiable (GR-ACC-008) unless it is acknowledged.
   */
  readonly versions: Array<IGuardrailVersion | GuardrailVersionReference>;
  /** The member accounts to enforce in (each in every region of `versions`). */
  readonly accounts: string[];
  /** Role assumed in each member account. @default "OrganizationAccountAccessRole" */
  readonly memberRoleName?: string;
  /** The organization, for reach checks and the preview. @default none */
  readonly organization?: Organization;
  /** Tags on every resource of the stack (the provider's `default_tags`). @default none */
  readonly defaultTags?: Record<string, string>;
}

/**
 * Characters of the host role's policy besides the member role ARNs (the statement frames and the
 * log statement with its log group ARN), rounded up.
 */
const HOST_POLICY_OVERHEAD = 600;

/** The default size of one stack made by {@link splitAccountEnforcement}. */
export const DEFAULT_ACCOUNTS_PER_STACK = 100;

/**
 * Account-level enforcement in a list of member accounts, deployed from the management account:
 * one `AccountEnforcement` per account and region of `versions`, all through the stack's one shim
 * host, which assumes the member role in each account. Beyond the host (log group, role, role
 * policy, function), each account and region costs one `aws_lambda_invocation`.
 *
 * Its provider is the management account's, pinned with `allowedAccountIds`. Keep the guardrail
 * versions in a management stack and name them here; split large account lists with
 * {@link splitAccountEnforcement} so each workspace's state stays small.
 */
export class AccountEnforcementStack extends TerraformStack {
  /** The management account's provider. */
  public readonly provider: AwsProvider;
  /** The versions enforced, in the order given. */
  public readonly versions: IGuardrailVersion[];
  /** The accounts enforced in, in the order given. */
  public readonly accounts: string[];
  /** Account-level enforcement per account and region (construct id `Member-<account>-<region>`), accounts outer, versions inner. */
  public readonly enforcements: AccountEnforcement[] = [];

  constructor(scope: Construct, id: string, props: AccountEnforcementStackProps) {
    super(scope, id);
    const owner = `AccountEnforcementStack(${id})`;
    if (!ACCOUNT_ID_PATTERN.test(props.managementAccountId)) {
      throw new GuardrailsValidationError('managementAccountId', `${owner}: \`managementAccountId\` must be a 12-digit account ID, got ${JSON.stringify(props.managementAccountId)}. Give the management account ID.`);
    }
    if (props.versions.length === 0) {
      throw new GuardrailsValidationError('versions', `${owner}: \`versions\` is empty, so nothing would be enforced. Give one guardrail version per region.`);
    }
    if (props.accounts.length === 0) {
      throw new GuardrailsValidationError('accounts', `${owner}: \`accounts\` is empty, so nothing would be enforced. Give the member accounts, or drop the stack.`);
    }
    const seen = new Set<string>();
    props.accounts.forEach((a, i) => {
      if (seen.has(a)) {
        throw new GuardrailsValidationError('accounts', `${owner}: \`accounts[${i}]\` repeats account ${a}. Give each account once.`);
      }
      seen.add(a);
    });
    // Each member role ARN has the same length but for the account ID (12 digits, checked by
    // AccountEnforcement), plus quotes and a comma in the policy's Resource list.
    const roleArnLength = memberRoleArn('000000000000', props.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME).length;
    const roleCharacters = props.accounts.length * (roleArnLength + 3);
    if (roleCharacters + HOST_POLICY_OVERHEAD > ROLE_INLINE_POLICY_LIMIT) {
      const fits = Math.floor((ROLE_INLINE_POLICY_LIMIT - HOST_POLICY_OVERHEAD) / (roleCharacters / props.accounts.length));
      throw new GuardrailsValidationError('accounts', `${owner}: \`accounts\` holds ${props.accounts.length} accounts, whose member role ARNs make the shim host role's policy `
        + `about ${roleCharacters + HOST_POLICY_OVERHEAD} characters; IAM allows ${ROLE_INLINE_POLICY_LIMIT}. `
        + `Split the list with splitAccountEnforcement (accountsPerStack of at most about ${fits}).`);
    }
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      allowedAccountIds: [props.managementAccountId],
      defaultTags: props.defaultTags ? [{ tags: { ...props.defaultTags } }] : undefined,
    });
    const regions = new Map<string, number>();
    props.versions.forEach((v, i) => {
      const region = isReference(v) ? regionOfArn(v.guardrailArn) : v.region;
      const first = regions.get(region);
      if (first !== undefined) {
        throw new GuardrailsValidationError('versions', `${owner}: \`versions[${i}]\` is a second version for ${region} (also versions[${first}]); `
          + 'an account holds one enforced configuration per region. Give one version per region.');
      }
      regions.set(region, i);
    });
    this.versions = props.versions.map((v) => (isReference(v) ? importVersion(this, v) : v));
    this.accounts = [...props.accounts];
    for (const account of this.accounts) {
      for (const version of this.versions) {
        this.enforcements.push(new AccountEnforcement(this, `Member-${account}-${version.region}`, {
          systemPromptGuarding: props.systemPromptGuarding,
          messageGuarding: props.messageGuarding,
          includedModels: props.includedModels,
          excludedModels: props.excludedModels,
          version,
          account,
          memberRoleName: props.memberRoleName,
          organization: props.organization,
        }));
      }
    }
  }
}

/** Settings of {@link splitAccountEnforcement}: a stack's, plus how many accounts each takes. */
export interface SplitAccountEnforcementProps extends AccountEnforcementStackProps {
  /**
   * Accounts per stack (and so per Terraform workspace). Each stack's shim host role names the
   * member role of each of its accounts in a policy IAM limits to 10,240 characters: about 150
   * accounts with the default role name.
   * @default 100
   */
  readonly accountsPerStack?: number;
}

/**
 * Splits a large account list into {@link AccountEnforcementStack}s of `accountsPerStack`
 * accounts each, in the order given, named `<idPrefix>-1`, `<idPrefix>-2`, ...: each stack is its
 * own Terraform workspace (give each returned stack its backend), so no plan or apply walks the
 * whole organization's state, and each shim host role stays within IAM's policy size.
 *
 * The split is by position: append new accounts at the end, so existing ones keep their stack. An
 * account that moves to another stack is deleted by one workspace and created by the other: apply
 * the stack that loses it first, since the handler refuses to overwrite a configuration it did not
 * create.
 */
export function splitAccountEnforcement(scope: Construct, idPrefix: string, props: SplitAccountEnforcementProps): AccountEnforcementStack[] {
  const size = props.accountsPerStack ?? DEFAULT_ACCOUNTS_PER_STACK;
  if (!Number.isInteger(size) || size < 1) {
    throw new GuardrailsValidationError('accountsPerStack', `splitAccountEnforcement(${idPrefix}): \`accountsPerStack\` must be a whole number of at least 1, got ${JSON.stringify(size)}. `
      + `Use ${DEFAULT_ACCOUNTS_PER_STACK}, or fewer for long role names.`);
  }
  const { accountsPerStack, accounts, ...rest } = props;
  void accountsPerStack;
  const stacks: AccountEnforcementStack[] = [];
  for (let start = 0, n = 1; start < accounts.length; start += size, n++) {
    stacks.push(new AccountEnforcementStack(scope, `${idPrefix}-${n}`, { ...rest, accounts: accounts.slice(start, start + size) }));
  }
  return stacks;
}

function isReference(v: IGuardrailVersion | GuardrailVersionReference): v is GuardrailVersionReference {
  return !('node' in v);
}

/** The reference imported into `stack`, under ids named after its region (one version per region). */
function importVersion(stack: TerraformStack, ref: GuardrailVersionReference): IGuardrailVersion {
  if (Token.isUnresolved(ref.guardrailArn)) {
    throw new GuardrailsValidationError('versions', `AccountEnforcementStack(${stack.node.id}): a version reference's \`guardrailArn\` is a token. `
      + 'Give the literal ARN, or pass the IGuardrailVersion itself for a cross-stack reference.');
  }
  const guardrail = Guardrail.fromGuardrailAttributes(stack, `Guardrail-${regionOfArn(ref.guardrailArn)}`, { guardrailArn: ref.guardrailArn });
  return GuardrailVersion.fromVersionAttributes(stack, `Version-${guardrail.region}`, { guardrail, version: ref.version });
}

/** The region of a literal guardrail ARN, or "imported" (the import then reports the malformed ARN). */
function regionOfArn(arn: string): string {
  return /^arn:[^:]+:bedrock:([a-z0-9-]+):/.exec(arn)?.[1] ?? 'imported';
}
