/**
 * Seed walkthrough: the whole centralized flow from the management account, in the order AWS
 * advises. Phase "share" publishes the guardrail and lets the organization apply it; after checking
 * ApplyGuardrail from a member account, phase "enforce" adds the organization policy on the pilot
 * OU and account-level enforcement in one member account. The README walks through each step.
 */
import { App } from 'cdktf';
import { ContentGuarding, EnforcementTarget, GuardrailPrincipal, ManagementAccountStack, ModelId } from '../../src';
import { baselineGuardrail } from '../shared/guardrails';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, HOME_REGION, OUS } from '../shared/organization';
import { runExample } from '../shared/run';

/**
 * How far the walkthrough has gone:
 * - `share`: steps 1-3, the guardrail, its version and its resource policy; nothing is enforced;
 * - `enforce`: steps 4-6 on top, once ApplyGuardrail works from the accounts to enforce.
 */
export type SeedPhase = 'share' | 'enforce';

/** The phase this program deploys. Deploy `share` first; see the README before changing it. */
export const PHASE: SeedPhase = 'enforce';

/** Options of {@link build}. */
export interface SeedOptions {
  /** @default PHASE */
  readonly phase?: SeedPhase;
}

/** Builds the walkthrough: one stack, `management`, deployed with the management account's credentials. */
export function build(app: App, options: SeedOptions = {}): ManagementAccountStack {
  const enforce = (options.phase ?? PHASE) === 'enforce';
  return new ManagementAccountStack(app, 'management', {
    region: HOME_REGION,
    organization: EXAMPLE_ORGANIZATION,
    // Step 1: the guardrail.
    guardrail: baselineGuardrail(),
    // Step 2: an immutable numbered version, the only kind enforcement accepts.
    versionDescription: 'Seed baseline',
    // Step 3: the resource policy that lets every account of the organization apply the guardrail.
    applyPrincipals: [GuardrailPrincipal.ofOrganization(EXAMPLE_ORGANIZATION)],
    // Steps 4 and 6: the BEDROCK_POLICY, attached to the pilot OU only, with selective guarding.
    organizationEnforcement: enforce
      ? {
        targets: [EnforcementTarget.organizationalUnit(OUS.pilot)],
        configurationName: 'baseline',
        policyName: 'bedrock-guardrails-baseline',
        systemPromptGuarding: ContentGuarding.SELECTIVE,
        messageGuarding: ContentGuarding.SELECTIVE,
        excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
      }
      : undefined,
    // Steps 5 and 6: account-level enforcement in the workloads account, every message evaluated.
    memberEnforcements: enforce
      ? [{
        account: ACCOUNTS.workloads,
        systemPromptGuarding: ContentGuarding.SELECTIVE,
        messageGuarding: ContentGuarding.COMPREHENSIVE,
        excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
      }]
      : [],
  });
}

if (require.main === module) runExample(__dirname, build);
