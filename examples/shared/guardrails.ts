/** The organization's baseline guardrail, shared with the default app (see stacks/baseline-guardrail.ts). */
export { baselineGuardrail, type GuardrailSettings } from '../../stacks/baseline-guardrail';
