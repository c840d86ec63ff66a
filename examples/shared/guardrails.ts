/** The organization's baseline guardrail, shared with the default app: the library's `baselineGuardrail` preset. */
export { baselineGuardrail, type GuardrailSettings } from '../../src';
