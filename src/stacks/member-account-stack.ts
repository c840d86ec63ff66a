import { Construct } from 'constructs';
import { GuardrailPrincipal } from '../access/principals';
import { AccountEnforcement } from '../enforcement/account-enforcement';
import { Guardrail, GuardrailSettings } from '../guardrail/guardrail';
import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { GuardrailVersion } from '../guardrail/guardrail-version';
import { EnforcementSettings, settingsOf } from '../model/enforcement-settings';
import { Organization } from '../model/organization';
import { fail } from '../model/validate';
import { AwsProvider, TerraformOutput, TerraformStack } from '../private/cdktf';

/** Settings of a {@link MemberAccountStack}. */
export interface MemberAccountStackProps extends EnforcementSettings {
  /** The business unit's account: the stack deploys there with that account's credentials. */
  readonly accountId: string;
  /** Region of the guardrail and the enforcement. */
  readonly region: string;
  /**
   * The unit's own guardrail, enforced in its account (stricter than the organization's).
   * @default none: enforce `sharedVersion`
   */
  readonly guardrail?: GuardrailSettings;
  /**
   * A version of a guardrail that lives elsewhere (the organization's), enforced at account level
   * instead of an own guardrail. Its resource policy must reach this account. Bedrock refuses to
   * delete a guardrail an enforcement uses, so destroy this stack before the guardrail's; in one
   * app, `memberStack.addDependency(managementStack)` makes `cdktf destroy` do so.
   * @default none: give `guardrail`
   */
  readonly sharedVersion?: (scope: Construct) => IGuardrailVersion;
  /** The organization, for reach checks and the preview. @default none */
  readonly organization?: Organization;
  /** Tags on every resource of the stack. @default none */
  readonly defaultTags?: Record<string, string>;
}

/**
 * A business unit's stack in its own account: optionally its own guardrail and version, and the
 * account-level enforcement of that version (or of a shared one) in its region. Outputs
 * `guardrail_arn`, `guardrail_id` and `guardrail_version`.
 */
export class MemberAccountStack extends TerraformStack {
  /** The member account's provider. */
  public readonly provider: AwsProvider;
  /** The unit's own guardrail, if it has one. */
  public readonly guardrail?: Guardrail;
  /** The version enforced. */
  public readonly version: IGuardrailVersion;
  /** The account-level enforcement. */
  public readonly enforcement: AccountEnforcement;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps) {
    super(scope, id);
    if ((props.guardrail === undefined) === (props.sharedVersion === undefined)) {
      fail(`MemberAccountStack(${id})`, 'guardrail', `and \`sharedVersion\` are ${props.guardrail ? 'both set' : 'both missing'}`,
        'Give exactly one: the unit\'s own guardrail, or the organization\'s version.');
    }
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      allowedAccountIds: [props.accountId],
      defaultTags: props.defaultTags ? [{ tags: { ...props.defaultTags } }] : undefined,
    });
    if (props.guardrail) {
      this.guardrail = new Guardrail(this, 'Guardrail', props.guardrail);
      this.version = this.guardrail.addVersion('Version');
      this.guardrail.grantApply(GuardrailPrincipal.owningAccount());
    } else {
      this.version = props.sharedVersion!(this);
    }
    this.enforcement = new AccountEnforcement(this, 'Enforcement', { ...settingsOf(props), version: this.version, organization: props.organization });

    new TerraformOutput(this, 'guardrail_arn', { value: this.version.guardrailArn });
    new TerraformOutput(this, 'guardrail_id', { value: this.version.guardrailId });
    new TerraformOutput(this, 'guardrail_version', { value: this.version.guardrailVersion });
  }

  /** A version of another stack's or account's guardrail, by literal ARN and number. */
  public static sharedVersion(guardrailArn: string, version: string): (scope: Construct) => IGuardrailVersion {
    return (scope) => GuardrailVersion.fromVersionAttributes(scope, 'SharedVersion', {
      guardrail: Guardrail.fromGuardrailAttributes(scope, 'SharedGuardrail', { guardrailArn }),
      version,
    });
  }
}
