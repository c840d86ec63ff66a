import { IConstruct } from 'constructs';
import { RuleRegistry } from './private/rule-registry';

/**
 * Acknowledges a synth-time warning (by its id in brackets, e.g. `GR-ACC-008`) for `scope` and
 * every construct under it, with the reason it is acceptable. Acknowledged warnings are no longer
 * printed. Errors cannot be acknowledged: they describe configurations AWS rejects or that would
 * break Bedrock calls.
 */
export function acknowledgeWarning(scope: IConstruct, ruleId: string, reason: string): void {
  RuleRegistry.of(scope).acknowledgements.acknowledge(scope.node.path, ruleId, reason);
}
