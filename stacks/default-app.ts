import { App } from 'cdktf';
import { baselineGuardrail, ContentGuarding, EnforcementTarget, ManagementAccountStack, ModelId, Organization } from '../src';

/** The example organization the default app deploys into (replace with yours). */
export const DEFAULT_ORGANIZATION = new Organization({
  organizationId: 'o-exampleorg1',
  rootId: 'r-ex12',
  managementAccountId: '111111111111',
  organizationalUnits: [
    { id: 'ou-ex12-pilot001', name: 'Pilot', accounts: ['222222222222'] },
    { id: 'ou-ex12-workload1', name: 'Workloads', accounts: ['333333333333'] },
  ],
});

/**
 * The default app: one management-account stack with the shared guardrail and its version, a
 * resource policy for the organization, a BEDROCK_POLICY attached to the pilot OU, and
 * account-level enforcement in one member account.
 */
export function buildDefaultApp(app: App): ManagementAccountStack {
  return new ManagementAccountStack(app, 'management', {
    region: 'us-east-1',
    organization: DEFAULT_ORGANIZATION,
    guardrail: baselineGuardrail(),
    versionDescription: 'Baseline',
    organizationEnforcement: {
      targets: [EnforcementTarget.organizationalUnit('ou-ex12-pilot001')],
      systemPromptGuarding: ContentGuarding.SELECTIVE,
      messageGuarding: ContentGuarding.COMPREHENSIVE,
      excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    },
    memberEnforcements: [{ account: '333333333333', messageGuarding: ContentGuarding.COMPREHENSIVE }],
  });
}
