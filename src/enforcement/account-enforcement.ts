import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NativeEnforcedGuardrailConfiguration } from './native';
import { EnforcementSettings, checkEnforcementSettings, renderAccountSettings } from './settings';
import { GuardrailResourcePolicy } from '../access/resource-policy';
import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { Implementation } from '../implementation';
import { ACCOUNT_ID_PATTERN, Organization } from '../organization';
import { requireTerraformVersion } from '../private/required-terraform';
import { RuleRegistry, versionFactsOf } from '../private/rule-registry';
import { checkPattern, fail } from '../private/validate';
import { accountConfigurationFacts } from '../rules/facts';
import { DEFAULT_MEMBER_ROLE_NAME, ShimHost, memberRoleArn } from '../shim/shim-host';

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
      checkPattern(owner, 'account', props.account, ACCOUNT_ID_PATTERN, 'a 12-digit account ID', 'Give the member account ID.');
    }
    const host = ShimHost.of(this, props.provider);
    this.version = props.version;
    this.region = props.region ?? props.version.region;
    this.settings = {
      systemPromptGuarding: props.systemPromptGuarding,
      messageGuarding: props.messageGuarding,
      includedModels: props.includedModels ? [...props.includedModels] : undefined,
      excludedModels: props.excludedModels ? [...props.excludedModels] : undefined,
    };
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
    const rendered = renderAccountSettings(this.settings);

    if (implementation === Implementation.NATIVE) {
      this.nativeResource = new NativeEnforcedGuardrailConfiguration(this, 'Native', {
        provider: crossAccount ? memberProvider(this, this.account, this.region, roleArn!) : regionProvider(this, props.provider, this.region, host.region),
        guardrailIdentifier: props.version.guardrailArn,
        guardrailVersion: props.version.guardrailVersion,
        settings: rendered,
      });
      this.nativeResource.importFrom(this.region, this.nativeResource.provider);
      requireTerraformVersion(this, '1.5.0', 'import blocks');
    }
    this.invocation = host.manage(this, 'Configuration', {
      kind: 'EnforcedGuardrailConfiguration',
      target: { accountId: this.account, region: this.region, roleArn },
      properties: {
        guardrailIdentifier: props.version.guardrailArn,
        guardrailVersion: props.version.guardrailVersion,
        ...rendered,
        adoptExisting: props.adoptExisting ?? false,
        ...(implementation === Implementation.NATIVE ? { release: true } : {}),
      },
      // Enforcement without the grant makes the account's Bedrock calls fail: put the policy
      // first. Read at synth, so a policy declared after this construct counts too.
      lateDependencies: () => {
        const policy = GuardrailResourcePolicy.of(this.version.guardrail);
        return policy ? [...policy.invocations, ...policy.nativeResources] : [];
      },
    });

    RuleRegistry.of(this).addAccount({
      construct: this,
      path,
      organization: props.organization,
      facts: () => accountConfigurationFacts(path, this.account, this.region, versionFactsOf(this.version), this.settings),
    });
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
