import { Construct } from 'constructs';
import { NativeEnforcedGuardrailConfiguration } from './native';
import { GuardrailResourcePolicy } from '../access/resource-policy';
import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { versionFacts } from '../guardrail/guardrail-version';
import { Implementation } from '../implementation';
import {
  EnforcementSettings, checkEnforcementSettings, normalizeSettings, renderAccountApiSettings, renderNativeSettings, settingsOf,
} from '../model/enforcement-settings';
import { ACCOUNT_ID_PATTERN } from '../model/identifiers';
import { Organization } from '../model/organization';
import { DEFAULT_MEMBER_ROLE_NAME } from '../model/shim-contract';
import { TargetType } from '../model/targets';
import { checkLiteral, checkPattern, fail } from '../model/validate';
import { AwsProvider, LambdaInvocation, TerraformProvider, TerraformStack, requireTerraformVersion } from '../private/cdktf';
import { ShimHost, memberRoleArn } from '../shim/shim-host';
import { EnforcementLevel } from '../validation/facts';
import { GuardrailsValidation } from '../validation/validation';

/** Properties of an {@link AccountEnforcement}. */
export interface AccountEnforcementProps extends EnforcementSettings {
  /** The guardrail version to enforce: numbered, and in the region enforced. */
  readonly version: IGuardrailVersion;
  /**
   * The account to enforce in. When it is not the account the stack deploys to, the shim assumes
   * `memberRoleName` there, with a session policy allowing only the enforcement calls.
   * @default the stack's own account (the provider's)
   */
  readonly account?: string;
  /**
   * The region to enforce in. Must be the version's region (a guardrail is regional).
   * @default the version's region
   */
  readonly region?: string;
  /** Role assumed in another account. @default "OrganizationAccountAccessRole" */
  readonly memberRoleName?: string;
  /**
   * Manage a configuration that already exists in the account and region (made by someone else)
   * instead of refusing to overwrite it.
   * @default false
   */
  readonly adoptExisting?: boolean;
  /** How the configuration is made. @default Implementation.SHIM */
  readonly implementation?: Implementation;
  /**
   * The provider of the stack's account whose shim host does the work (an aliased provider for
   * another home region).
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * The organization, to check the guardrail's resource policy reaches the account through its OU.
   * @default none: reach through OUs is reported as not verifiable
   */
  readonly organization?: Organization;
}

const OWNER = 'AccountEnforcement';

/**
 * Account-level enforcement: makes every Bedrock inference call in one account and region apply a
 * guardrail version (`PutEnforcedGuardrailConfiguration`), with optional model include/exclude
 * lists and selective or comprehensive guarding of system prompts and messages.
 *
 * It costs one Terraform resource: an `aws_lambda_invocation` of the stack's shim host, which
 * assumes the member role for another account. Checked at synth: one configuration per account and
 * region, a numbered version in the same region, and, for a guardrail in another account, that its
 * resource policy lets this account apply it.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html
 */
export class AccountEnforcement extends Construct {
  /** The account enforced in (a literal, or the stack's account as a lookup). */
  public readonly account: string;
  /** The region enforced in. */
  public readonly region: string;
  /** The version enforced. */
  public readonly version: IGuardrailVersion;
  /** The settings as given. */
  public readonly settings: EnforcementSettings;
  /** The shim invocation (also present with NATIVE, released, so switching never deletes). */
  public readonly invocation: LambdaInvocation;
  /** The native resource, with `Implementation.NATIVE`. */
  public readonly nativeResource?: NativeEnforcedGuardrailConfiguration;

  constructor(scope: Construct, id: string, props: AccountEnforcementProps) {
    super(scope, id);
    // The path is read once: the rules' facts need it too, and it cannot change.
    const path = this.node.path;
    const owner = `${OWNER}(${path})`;
    checkEnforcementSettings(owner, props);
    if (props.account !== undefined) {
      checkLiteral(owner, 'account', props.account, 'whether a role must be assumed, and whether the guardrail\'s resource policy reaches the account, cannot be checked then',
        'Give the literal 12-digit account ID.');
      checkPattern(owner, 'account', props.account, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the member account ID.');
      if (props.organization && !props.organization.hasAccount(props.account)) {
        fail(owner, 'account', `is ${props.account}, which the Organization does not declare`,
          'Declare the account in its OU (or under the root) in the Organization, so reach and preview can be checked.');
      }
    }
    const host = ShimHost.of(this, props.provider);
    this.version = props.version;
    this.region = props.region ?? props.version.region;
    this.settings = settingsOf(props);
    const crossAccount = props.account !== undefined && props.account !== host.account;
    if (crossAccount && host.account === undefined) {
      fail(owner, 'account', `is ${props.account}, but the stack's account is unknown at synth, so it cannot tell whether a role must be assumed`,
        'Pin the provider to its account with `allowedAccountIds: ["<id>"]`, or omit `account` to enforce in the stack\'s own account.');
    }
    if (!crossAccount && props.memberRoleName !== undefined) {
      fail(owner, 'memberRoleName', 'is set, but the enforcement is in the stack\'s own account, where no role is assumed', 'Remove `memberRoleName`, or set `account` to the member account.');
    }
    this.account = props.account ?? host.accountId;
    const roleArn = crossAccount ? memberRoleArn(this.account, props.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME) : undefined;
    const implementation = props.implementation ?? Implementation.SHIM;
    const normalized = normalizeSettings(this.settings);

    if (implementation === Implementation.NATIVE) {
      this.nativeResource = new NativeEnforcedGuardrailConfiguration(this, 'Native', {
        provider: crossAccount ? memberProvider(this, this.account, this.region, roleArn!) : regionProvider(this, props.provider, this.region, host.region),
        guardrailIdentifier: props.version.guardrailArn,
        guardrailVersion: props.version.guardrailVersion,
        settings: renderNativeSettings(normalized),
      });
      this.nativeResource.importFrom(this.region, this.nativeResource.provider);
      // import blocks arrived in Terraform 1.5.
      requireTerraformVersion(this, '1.5.0');
    }
    this.invocation = host.manage(this, 'Configuration', {
      kind: 'EnforcedGuardrailConfiguration',
      target: { accountId: this.account, region: this.region, roleArn },
      properties: {
        guardrailIdentifier: props.version.guardrailArn,
        guardrailVersion: props.version.guardrailVersion,
        ...renderAccountApiSettings(normalized),
        adoptExisting: props.adoptExisting ?? false,
        ...(implementation === Implementation.NATIVE ? { release: true } : {}),
      },
      // Enforcement without the grant makes the account's Bedrock calls fail: put the policy
      // first. Read at synth, so a policy declared after this construct counts too.
      lateDependencies: () => GuardrailResourcePolicy.resourcesOf(this.version.guardrail),
    });

    const validation = GuardrailsValidation.of(this);
    validation.addOrganization(props.organization);
    const stack = TerraformStack.of(this).node.id;
    validation.addAccountConfiguration(this, () => ({
      level: EnforcementLevel.ACCOUNT,
      path,
      stack,
      region: this.region,
      name: 'account-level',
      version: versionFacts(this.version),
      settings: normalized,
      targets: [{ type: TargetType.ACCOUNT, id: this.account }],
      account: this.account,
    }));
  }
}

/** The provider alias that assumes the member role, one per account and region in a stack. */
function memberProvider(scope: Construct, account: string, region: string, roleArn: string): AwsProvider {
  const stack = TerraformStack.of(scope);
  const id = `member-${account}-${region}`;
  return (stack.node.tryFindChild(id) as AwsProvider | undefined)
    ?? new AwsProvider(stack, id, { alias: id, region, allowedAccountIds: [account], assumeRole: [{ roleArn, sessionName: 'cdktf-bedrock-guardrails' }] });
}

/** The stack's provider for `region`: the host's when it is that region, else an alias. */
function regionProvider(scope: Construct, provider: TerraformProvider | undefined, region: string, hostRegion: string): TerraformProvider | undefined {
  if (region === hostRegion) return provider;
  const stack = TerraformStack.of(scope);
  const id = `region-${region}`;
  return (stack.node.tryFindChild(id) as AwsProvider | undefined) ?? new AwsProvider(stack, id, { alias: id, region });
}
