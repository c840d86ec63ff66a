/**
 * Raised at synth time when a construct is given input that AWS would reject, or that would make a
 * guardrail or its enforcement silently useless.
 *
 * The message always names the property path, the constraint, the value received and the fix.
 */
export class GuardrailsValidationError extends Error {
  /** Path of the offending property, for example `contentFilters[2].outputStrength`. */
  public readonly property: string;

  /**
   * @param property path of the offending property
   * @param message full message: constraint, value received and fix
   */
  constructor(property: string, message: string) {
    super(message);
    this.name = 'GuardrailsValidationError';
    this.property = property;
  }
}
