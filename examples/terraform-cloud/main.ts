/**
 * Terraform Cloud: one HCP Terraform (Terraform Cloud) workspace per stack. The management
 * workspace owns the shared guardrail and the organization policy; each member workspace enforces
 * the shared version at account level with its own account's credentials. The shared guardrail's
 * ARN and version reach the member stacks as literal values (copied from the management
 * workspace's outputs), not as cross-stack references, which cdktf would turn into
 * `terraform_remote_state` lookups between workspaces.
 */
import { App, CloudBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import { acknowledgeWarning, ContentGuarding, EnforcementTarget, ManagementAccountStack, MemberAccountStack, ModelId } from '../../src';
import { baselineGuardrail } from '../shared/guardrails';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, HOME_REGION, OUS } from '../shared/organization';
import { runExample } from '../shared/run';

/** The HCP Terraform organization and project that hold the workspaces (replace with yours). */
export const TFC = {
  organization: 'example-platform-team',
  project: 'bedrock-guardrails',
} as const;

/** Workspace name of a stack: one workspace per stack. */
export function workspaceName(stackId: string): string {
  return `bedrock-guardrails-${stackId}`;
}

/**
 * The shared guardrail as the management workspace published it: copy `guardrail_arn` and
 * `guardrail_version` from its outputs after each apply that publishes a new version.
 */
export const SHARED_GUARDRAIL = {
  arn: `arn:aws:bedrock:${HOME_REGION}:${ACCOUNTS.management}:guardrail/a1b2c3d4e5f6`,
  version: '1',
} as const;

/** Member accounts that enforce the shared version at account level from their own workspace. */
export const ENFORCING_MEMBERS: readonly string[] = [ACCOUNTS.workloads, ACCOUNTS.sandbox];

/** Keeps a stack's state in its own HCP Terraform workspace. */
export function useWorkspace(stack: TerraformStack): CloudBackend {
  return new CloudBackend(stack, {
    organization: TFC.organization,
    workspaces: new NamedCloudWorkspace(workspaceName(stack.node.id), TFC.project),
  });
}

/** The stacks of the example. */
export interface TerraformCloudApp {
  readonly management: ManagementAccountStack;
  /** One stack per account of `ENFORCING_MEMBERS`, in order. */
  readonly members: MemberAccountStack[];
}

/** Builds the example: `management` and one `member-<account>` stack per enforcing member. */
export function build(app: App): TerraformCloudApp {
  const management = new ManagementAccountStack(app, 'management', {
    region: HOME_REGION,
    organization: EXAMPLE_ORGANIZATION,
    guardrail: baselineGuardrail(),
    versionDescription: 'Baseline',
    organizationEnforcement: {
      targets: [EnforcementTarget.organizationalUnit(OUS.pilot)],
      systemPromptGuarding: ContentGuarding.SELECTIVE,
      messageGuarding: ContentGuarding.COMPREHENSIVE,
      excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    },
  });
  useWorkspace(management);

  const members = ENFORCING_MEMBERS.map((accountId) => {
    const member = new MemberAccountStack(app, `member-${accountId}`, {
      accountId,
      region: HOME_REGION,
      organization: EXAMPLE_ORGANIZATION,
      sharedVersion: MemberAccountStack.sharedVersion(SHARED_GUARDRAIL.arn, SHARED_GUARDRAIL.version),
      systemPromptGuarding: ContentGuarding.SELECTIVE,
      messageGuarding: ContentGuarding.COMPREHENSIVE,
      excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    });
    // The member stack sees only the ARN, not the policy the management stack puts on the guardrail.
    acknowledgeWarning(member.enforcement, 'GR-ACC-008',
      `The management stack's resource policy lets organization ${EXAMPLE_ORGANIZATION.organizationId} apply the guardrail; ApplyGuardrail is checked from ${accountId} before the first apply (README).`);
    useWorkspace(member);
    return member;
  });
  return { management, members };
}

if (require.main === module) runExample(__dirname, build);
