import { GuardrailsValidationError } from '../errors';
import { isToken } from '../private/cdktf';

export { isToken };

/**
 * Renders a received value for an error message, shortened so a long string stays readable.
 * Numbers JSON cannot hold (`NaN`, `Infinity`) are shown as themselves, not as `null`.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const s = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(s);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** Throws a {@link GuardrailsValidationError} for `property` with `message` followed by `fix`. */
export function fail(owner: string, property: string, message: string, fix: string): never {
  throw new GuardrailsValidationError(property, `${owner}: \`${property}\` ${message}. ${fix}`);
}

/** Checks a string's length is within [min, max]; tokens are skipped. */
export function checkLength(owner: string, property: string, value: string | undefined, min: number, max: number, fix?: string): void {
  if (value === undefined || isToken(value)) return;
  if (value.length < min || value.length > max) {
    fail(owner, property, `must be ${min}-${max} characters, got ${value.length} (${show(value)})`,
      fix ?? `Shorten or fill it to ${min}-${max} characters.`);
  }
}

/**
 * Refuses a Terraform token where the value must be known at synth time (an account ID the reach
 * and ownership checks need, a policy key).
 */
export function checkLiteral(owner: string, property: string, value: unknown, why: string, fix: string): void {
  if (isToken(value)) fail(owner, property, `is a Terraform token, known only at apply time, but ${why}`, fix);
}

/** Checks a number is a whole number within [min, max]. */
export function checkWholeNumber(owner: string, property: string, value: number | undefined, min: number, max: number, fix?: string): void {
  if (value === undefined || isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(owner, property, `must be a whole number from ${min} to ${max}, got ${show(value)}`, fix ?? `Use a whole number from ${min} to ${max}.`);
  }
}

/** Checks a number is within [min, max]; tokens are skipped. */
export function checkRange(owner: string, property: string, value: number | undefined, min: number, max: number, fix?: string): void {
  if (value === undefined || isToken(value)) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    fail(owner, property, `must be between ${min} and ${max}, got ${show(value)}`, fix ?? `Use a value from ${min} to ${max}.`);
  }
}

/** Checks a string matches `pattern`; tokens are skipped. */
export function checkPattern(owner: string, property: string, value: string | undefined, pattern: RegExp, described: string, fix: string): void {
  if (value === undefined || isToken(value)) return;
  if (!pattern.test(value)) {
    fail(owner, property, `must be ${described}, got ${show(value)}`, fix);
  }
}

/** Checks a list has no two entries with the same key; returns nothing, throws on the first repeat. */
export function checkUnique<T>(owner: string, property: string, items: readonly T[], key: (item: T) => string, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (isToken(k)) return;
    const norm = k.toLowerCase();
    const first = seen.get(norm);
    if (first !== undefined) {
      fail(owner, `${property}[${i}]`, `repeats the ${what} ${show(k)} already given at ${property}[${first}]`,
        `Give each ${what} once; merge the two entries.`);
    }
    seen.set(norm, i);
  });
}
