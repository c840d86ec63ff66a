import { IConstruct } from 'constructs';
import { GuardrailsValidation } from './validation';

/**
 * Acknowledges a synth-time warning (by its id in brackets, e.g. `GR-ACC-008`) for `scope` and
 * every construct under it, with the reason it is acceptable. Acknowledged warnings are no longer
 * printed. Errors cannot be acknowledged: they describe configurations AWS rejects or that would
 * break Bedrock calls.
 *
 * @throws GuardrailsValidationError when the rule id is malformed or the reason is empty
 */
export function acknowledgeWarning(scope: IConstruct, ruleId: string, reason: string): void {
  GuardrailsValidation.of(scope).acknowledge(scope, ruleId, reason);
}
