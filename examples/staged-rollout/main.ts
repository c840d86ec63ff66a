/**
 * Staged rollout: the organization policy reaches the pilot OU in stage 1 and every other OU in
 * stage 2. `ROLLOUT_STAGE` says how far the rollout has gone; raising it adds attachments and
 * changes nothing else.
 */
import { App } from 'cdktf';
import { ContentGuarding, EnforcementTarget, ManagementAccountStack, ModelId, OrganizationEnforcement } from '../../src';
import { baselineGuardrail } from '../shared/guardrails';
import { EXAMPLE_ORGANIZATION, HOME_REGION, OUS } from '../shared/organization';
import { runExample } from '../shared/run';

/** The stage in which the pilot OU is attached. */
export const PILOT_STAGE = 1;
/** The stage in which every other OU is attached. */
export const GENERAL_STAGE = 2;

/**
 * How far the rollout has gone: the stage deployed. Raise it one stage per change, after checking
 * the previous stage's accounts (see the README).
 */
export const ROLLOUT_STAGE = PILOT_STAGE;

/** Options of {@link build}. */
export interface StagedRolloutOptions {
  /** @default ROLLOUT_STAGE */
  readonly rolloutStage?: number;
}

/** The pilot OU in the first stage, every other OU of the organization in the second. */
export function rolloutTargets(): EnforcementTarget[] {
  const rest = EXAMPLE_ORGANIZATION.organizationalUnitIds().filter((id) => id !== OUS.pilot);
  return [
    EnforcementTarget.organizationalUnit(OUS.pilot, { stage: PILOT_STAGE }),
    ...rest.map((id) => EnforcementTarget.organizationalUnit(id, { stage: GENERAL_STAGE })),
  ];
}

/** Builds the example: one stack, `management`, deployed with the management account's credentials. */
export function build(app: App, options: StagedRolloutOptions = {}): ManagementAccountStack {
  return new ManagementAccountStack(app, 'management', {
    region: HOME_REGION,
    organization: EXAMPLE_ORGANIZATION,
    guardrail: baselineGuardrail(),
    versionDescription: 'Baseline',
    organizationEnforcement: {
      targets: rolloutTargets(),
      rolloutStage: options.rolloutStage ?? ROLLOUT_STAGE,
      systemPromptGuarding: ContentGuarding.SELECTIVE,
      messageGuarding: ContentGuarding.COMPREHENSIVE,
      excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
    },
  });
}

/** One line per target group: which OUs are attached at this stage and which wait. */
export function describeRollout(enforcement: OrganizationEnforcement): string {
  const org = enforcement.organization;
  const names = (targets: EnforcementTarget[]) => targets.map((t) => `${org.organizationalUnitName(t.idIn(org))} (${t.idIn(org)}, stage ${t.stage})`).join(', ') || 'none';
  return `Attached: ${names(enforcement.attachedTargets)}.\nPending: ${names(enforcement.pendingTargets)}.`;
}

if (require.main === module) runExample(__dirname, build, (stack) => describeRollout(stack.organizationEnforcement!));
