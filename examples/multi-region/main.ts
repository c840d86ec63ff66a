/**
 * Multi-region: the same guardrail and its enforcement in two regions. A guardrail is regional and
 * enforcement in a region needs a version in that region, so each extra region gets a provider
 * alias, its own guardrail, version and resource policy; one BEDROCK_POLICY carries one
 * configuration per region key; account-level enforcement is made once per region.
 */
import { App, TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  AccountEnforcement, ContentGuarding, EnforcementSettings, EnforcementTarget, Guardrail, GuardrailPrincipal,
  IGuardrailVersion, ManagementAccountStack, ModelId, OrganizationEnforcement,
} from '../../src';
import { baselineGuardrail } from '../shared/guardrails';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, HOME_REGION, OUS } from '../shared/organization';
import { runExample } from '../shared/run';

/** Regions besides the home region where Bedrock is used and must be guarded. */
export const EXTRA_REGIONS: readonly string[] = ['us-west-2'];

/** The enforcement settings, the same in every region and at both levels. */
export const SETTINGS: EnforcementSettings = {
  systemPromptGuarding: ContentGuarding.SELECTIVE,
  messageGuarding: ContentGuarding.COMPREHENSIVE,
  excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
};

/** The guardrail version published in one region. */
export interface RegionalVersion {
  readonly region: string;
  readonly version: IGuardrailVersion;
}

/** The stack and what the example added to it per region. */
export interface MultiRegionApp {
  readonly management: ManagementAccountStack;
  /** The home region first, then `EXTRA_REGIONS` in order. */
  readonly regions: RegionalVersion[];
  readonly organizationEnforcement: OrganizationEnforcement;
  /** Account-level enforcement in the workloads account, one per region. */
  readonly memberEnforcements: AccountEnforcement[];
}

/**
 * The guardrail in another region of the management account: a provider alias for the region, the
 * baseline guardrail and a version there, and a resource policy that lets the organization apply it.
 */
export function addRegion(stack: ManagementAccountStack, region: string): RegionalVersion {
  const provider = new AwsProvider(stack, `aws-${region}`, {
    alias: region,
    region,
    allowedAccountIds: [EXAMPLE_ORGANIZATION.managementAccountId],
  });
  const guardrail = new Guardrail(stack, `Guardrail-${region}`, { ...baselineGuardrail(), provider });
  const version = guardrail.addVersion('Version', { description: 'Baseline' });
  guardrail.grantApply(GuardrailPrincipal.ofOrganization(EXAMPLE_ORGANIZATION));
  new TerraformOutput(stack, `guardrail_arn_${region.replace(/-/g, '_')}`, { value: guardrail.guardrailArn, description: `ARN of the shared guardrail in ${region}` });
  new TerraformOutput(stack, `guardrail_version_${region.replace(/-/g, '_')}`, { value: version.guardrailVersion, description: `Published version enforced in ${region}` });
  return { region, version };
}

/** Builds the example: one stack, `management`, with the guardrail in every region. */
export function build(app: App): MultiRegionApp {
  const management = new ManagementAccountStack(app, 'management', {
    region: HOME_REGION,
    organization: EXAMPLE_ORGANIZATION,
    guardrail: baselineGuardrail(),
    versionDescription: 'Baseline',
  });
  const regions = [{ region: HOME_REGION, version: management.version }, ...EXTRA_REGIONS.map((r) => addRegion(management, r))];

  const organizationEnforcement = new OrganizationEnforcement(management, 'OrganizationPolicy', {
    organization: EXAMPLE_ORGANIZATION,
    policyName: 'bedrock-guardrails',
    configurations: regions.map((r) => ({ ...SETTINGS, name: 'baseline', version: r.version })),
    targets: [EnforcementTarget.organizationalUnit(OUS.pilot)],
  });
  new TerraformOutput(management, 'organization_policy_id', { value: organizationEnforcement.policyId, description: 'ID of the BEDROCK_POLICY' });

  // The management stack's one shim host serves every region: the handler builds its client per region.
  const memberEnforcements = regions.map((r) => new AccountEnforcement(management, `Member-${ACCOUNTS.workloads}-${r.region}`, {
    ...SETTINGS,
    version: r.version,
    account: ACCOUNTS.workloads,
    organization: EXAMPLE_ORGANIZATION,
  }));
  return { management, regions, organizationEnforcement, memberEnforcements };
}

if (require.main === module) runExample(__dirname, build);
