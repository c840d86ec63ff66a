import { Construct } from 'constructs';
import { GuardrailPrincipal } from '../access/principals';
import { AccountEnforcement } from '../enforcement/account-enforcement';
import { OrganizationEnforcement } from '../enforcement/organization-enforcement';
import { Guardrail, GuardrailSettings } from '../guardrail/guardrail';
import { GuardrailVersion } from '../guardrail/guardrail-version';
import { EnforcementSettings, settingsOf } from '../model/enforcement-settings';
import { Organization } from '../model/organization';
import { EnforcementTarget } from '../model/targets';
import { AwsProvider, TerraformOutput, TerraformStack } from '../private/cdktf';

/** Organization-level enforcement settings of a {@link ManagementAccountStack}. */
export interface OrganizationEnforcementSettings extends EnforcementSettings {
  /** Where to attach the policy (each target may carry a rollout stage). */
  readonly targets: EnforcementTarget[];
  /** Name of the configuration under the region key. @default "baseline" */
  readonly configurationName?: string;
  /** Name of the Organizations policy. @default "bedrock-guardrails" */
  readonly policyName?: string;
  /** How far the staged rollout has gone. @default every stage */
  readonly rolloutStage?: number;
  /** Allow attaching to the root. @default false */
  readonly allowRootAttachment?: boolean;
}

/** Account-level enforcement in one member account, made from the management stack. */
export interface MemberEnforcementSettings extends EnforcementSettings {
  /** The member account. */
  readonly account: string;
  /** Role assumed there. @default "OrganizationAccountAccessRole" */
  readonly memberRoleName?: string;
}

/** Settings of a {@link ManagementAccountStack}. */
export interface ManagementAccountStackProps {
  /** Region of the guardrail and of every enforcement made here. */
  readonly region: string;
  /** The organization; its management account is where this stack deploys. */
  readonly organization: Organization;
  /** The shared guardrail. */
  readonly guardrail: GuardrailSettings;
  /** Description of the published version. @default none */
  readonly versionDescription?: string;
  /**
   * Who may apply the guardrail (its resource policy).
   * @default the whole organization
   */
  readonly applyPrincipals?: GuardrailPrincipal[];
  /** Organization-level enforcement. @default none */
  readonly organizationEnforcement?: OrganizationEnforcementSettings;
  /** Account-level enforcement in member accounts. @default none */
  readonly memberEnforcements?: MemberEnforcementSettings[];
  /** Tags on every resource of the stack (the provider's `default_tags`). @default none */
  readonly defaultTags?: Record<string, string>;
}

/**
 * The platform team's stack in the management account: the shared guardrail and its version, the
 * resource policy that lets the organization apply it, the organization `BEDROCK_POLICY`, and
 * account-level enforcement in chosen member accounts. Outputs `guardrail_arn`, `guardrail_id`,
 * `guardrail_version` and, with organization enforcement, `organization_policy_id`.
 */
export class ManagementAccountStack extends TerraformStack {
  /** The management account's provider. */
  public readonly provider: AwsProvider;
  /** The shared guardrail. */
  public readonly guardrail: Guardrail;
  /** Its published version. */
  public readonly version: GuardrailVersion;
  /** The organization policy, when configured. */
  public readonly organizationEnforcement?: OrganizationEnforcement;
  /** Account-level enforcement per member account, in the order given. */
  public readonly memberEnforcements: AccountEnforcement[];

  constructor(scope: Construct, id: string, props: ManagementAccountStackProps) {
    super(scope, id);
    const org = props.organization;
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      allowedAccountIds: [org.managementAccountId],
      defaultTags: props.defaultTags ? [{ tags: { ...props.defaultTags } }] : undefined,
    });
    this.guardrail = new Guardrail(this, 'Guardrail', props.guardrail);
    this.version = this.guardrail.addVersion('Version', { description: props.versionDescription });
    this.guardrail.grantApply(...(props.applyPrincipals ?? [GuardrailPrincipal.ofOrganization(org)]));

    const o = props.organizationEnforcement;
    if (o) {
      this.organizationEnforcement = new OrganizationEnforcement(this, 'OrganizationPolicy', {
        organization: org,
        policyName: o.policyName ?? 'bedrock-guardrails',
        configurations: [{ ...settingsOf(o), name: o.configurationName ?? 'baseline', version: this.version }],
        targets: o.targets,
        rolloutStage: o.rolloutStage,
        allowRootAttachment: o.allowRootAttachment,
      });
    }
    this.memberEnforcements = (props.memberEnforcements ?? []).map((m) => new AccountEnforcement(this, `Member-${m.account}`, {
      ...settingsOf(m),
      version: this.version,
      account: m.account,
      memberRoleName: m.memberRoleName,
      organization: org,
    }));

    new TerraformOutput(this, 'guardrail_arn', { value: this.guardrail.guardrailArn, description: 'ARN of the shared guardrail' });
    new TerraformOutput(this, 'guardrail_id', { value: this.guardrail.guardrailId, description: 'ID of the shared guardrail' });
    new TerraformOutput(this, 'guardrail_version', { value: this.version.guardrailVersion, description: 'Published version enforced' });
    if (this.organizationEnforcement) {
      new TerraformOutput(this, 'organization_policy_id', { value: this.organizationEnforcement.policyId, description: 'ID of the BEDROCK_POLICY' });
    }
  }
}
