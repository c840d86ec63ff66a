import { Construct } from 'constructs';
import { AccountEnforcement } from '../enforcement/account-enforcement';
import { Guardrail } from '../guardrail/guardrail';
import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { GuardrailVersion } from '../guardrail/guardrail-version';
import { EnforcementSettings, settingsOf } from '../model/enforcement-settings';
import { ACCOUNT_ID_PATTERN, parseGuardrailArn } from '../model/identifiers';
import { Organization } from '../model/organization';
import { accountStackIndex } from '../model/partition';
import { checkLiteral, checkPattern, checkUnique, checkWholeNumber, fail } from '../model/validate';
import { AwsProvider, TerraformStack, isToken } from '../private/cdktf';

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
   * stack is applied, nor offline), and `cdktf destroy` removes this stack first. A
   * {@link GuardrailVersionReference} is imported here with literal attributes instead: no
   * reference between workspaces, but the guardrail's resource policy lives in another stack, so
   * the rules report reach as unverifiable (GR-ACC-008) unless it is acknowledged; destroy this
   * stack before the guardrail's (Bedrock refuses to delete a guardrail an enforcement uses).
   */
  readonly versions: Array<IGuardrailVersion | GuardrailVersionReference>;
  /**
   * The member accounts to enforce in (each in every region of `versions`). An empty list leaves
   * the stack with nothing but its provider: how a workspace is emptied before it is deleted.
   */
  readonly accounts: string[];
  /** Role assumed in each member account. @default "OrganizationAccountAccessRole" */
  readonly memberRoleName?: string;
  /** The organization, for reach checks and the preview. @default none */
  readonly organization?: Organization;
  /** Tags on every resource of the stack (the provider's `default_tags`). @default none */
  readonly defaultTags?: Record<string, string>;
}

/**
 * Account-level enforcement in a list of member accounts, deployed from the management account:
 * one `AccountEnforcement` per account and region of `versions`, all through the stack's one shim
 * host, which assumes the member role in each account. Beyond the host (log group, role, role
 * policy, function), each account and region costs one `aws_lambda_invocation`.
 *
 * Its provider is the management account's, pinned with `allowedAccountIds`. Keep the guardrail
 * versions in a management stack and name them here; spread large account lists over several
 * stacks with {@link splitAccountEnforcement} so each workspace's state stays small and each host
 * role's policy stays within IAM's limit (rule GR-SHIM-001).
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
    checkLiteral(owner, 'managementAccountId', props.managementAccountId, 'the provider is pinned to it', 'Give the management account ID.');
    checkPattern(owner, 'managementAccountId', props.managementAccountId, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the management account ID.');
    if (props.versions.length === 0) {
      fail(owner, 'versions', 'is empty, so nothing would be enforced', 'Give one guardrail version per region.');
    }
    checkUnique(owner, 'accounts', props.accounts, (a) => a, 'account');
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      allowedAccountIds: [props.managementAccountId],
      defaultTags: props.defaultTags ? [{ tags: { ...props.defaultTags } }] : undefined,
    });
    const regions = new Map<string, number>();
    props.versions.forEach((v, i) => {
      const region = isReference(v) ? regionOfReference(owner, i, v) : v.region;
      const first = regions.get(region);
      if (first !== undefined) {
        fail(owner, `versions[${i}]`, `is a second version for ${region} (also versions[${first}]); an account holds one enforced configuration per region`,
          'Give one version per region.');
      }
      regions.set(region, i);
    });
    this.versions = props.versions.map((v) => (isReference(v) ? importVersion(this, v) : v));
    this.accounts = [...props.accounts];
    for (const account of this.accounts) {
      for (const version of this.versions) {
        this.enforcements.push(new AccountEnforcement(this, `Member-${account}-${version.region}`, {
          ...settingsOf(props),
          version,
          account,
          memberRoleName: props.memberRoleName,
          organization: props.organization,
        }));
      }
    }
  }
}

/** Settings of {@link splitAccountEnforcement}: a stack's, plus how many stacks to spread the accounts over. */
export interface SplitAccountEnforcementProps extends AccountEnforcementStackProps {
  /**
   * How many stacks (and so Terraform workspaces) to spread the accounts over, named
   * `<idPrefix>-1` … `<idPrefix>-<stackCount>`. Each account's stack depends only on its ID and this
   * number, so adding or removing an account changes that account's stack alone. Each host role's
   * policy names the member role of each of its accounts, within IAM's 10,240 characters: about
   * 150 accounts with the default role name, so give at least one stack per 100 accounts.
   * Raising it later moves some accounts, and only into the new stacks.
   */
  readonly stackCount: number;
}

/** The highest `stackCount` {@link splitAccountEnforcement} takes. */
export const MAX_ENFORCEMENT_STACKS = 1000;

/**
 * Spreads a large account list over `stackCount` {@link AccountEnforcementStack}s named
 * `<idPrefix>-1`, `<idPrefix>-2`, ...: each stack is its own Terraform workspace (give each returned
 * stack its backend), so no plan or apply walks the whole organization's state, and each shim host
 * role stays within IAM's policy size.
 *
 * Which stack enforces an account depends only on the account ID and `stackCount`
 * ({@link accountStackIndex}), never on the list's order: adding or removing an account changes
 * that account's stack only. A stack may come out empty; it is still returned, so its workspace
 * keeps being applied. When `stackCount` is raised, the accounts that move go to the new stacks:
 * apply the existing stacks first (they release those accounts), then the new ones, since the
 * handler refuses to overwrite a configuration another stack made.
 */
export function splitAccountEnforcement(scope: Construct, idPrefix: string, props: SplitAccountEnforcementProps): AccountEnforcementStack[] {
  const owner = `splitAccountEnforcement(${idPrefix})`;
  checkWholeNumber(owner, 'stackCount', props.stackCount, 1, MAX_ENFORCEMENT_STACKS, 'Give the number of stacks, about one per 100 accounts.');
  if (props.accounts.length === 0) {
    fail(owner, 'accounts', 'is empty, so nothing would be enforced', 'Give the member accounts, or drop the stacks.');
  }
  const { stackCount, accounts, ...rest } = props;
  const shards: string[][] = Array.from({ length: stackCount }, () => []);
  for (const account of accounts) shards[accountStackIndex(account, stackCount)].push(account);
  return shards.map((shard, i) => new AccountEnforcementStack(scope, `${idPrefix}-${i + 1}`, { ...rest, accounts: shard }));
}

function isReference(v: IGuardrailVersion | GuardrailVersionReference): v is GuardrailVersionReference {
  return !('node' in v);
}

/** The region of a version reference's literal guardrail ARN. */
function regionOfReference(owner: string, index: number, ref: GuardrailVersionReference): string {
  if (isToken(ref.guardrailArn)) {
    fail(owner, `versions[${index}].guardrailArn`, 'is a token, so the region it enforces in is unknown at synth',
      'Give the literal ARN, or pass the IGuardrailVersion itself for a cross-stack reference.');
  }
  const parts = parseGuardrailArn(ref.guardrailArn);
  if (!parts) {
    fail(owner, `versions[${index}].guardrailArn`, `must be a guardrail ARN without version like "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456", got ${JSON.stringify(ref.guardrailArn)}`,
      'Copy it from the management stack\'s `guardrail_arn` output.');
  }
  return parts.region;
}

/** The reference imported into `stack`, under ids named after its region (one version per region). */
function importVersion(stack: TerraformStack, ref: GuardrailVersionReference): IGuardrailVersion {
  const guardrail = Guardrail.fromGuardrailAttributes(stack, `Guardrail-${parseGuardrailArn(ref.guardrailArn)!.region}`, { guardrailArn: ref.guardrailArn });
  return GuardrailVersion.fromVersionAttributes(stack, `Version-${guardrail.region}`, { guardrail, version: ref.version });
}
