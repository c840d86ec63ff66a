import { Token } from 'cdktf';
import { GuardrailsValidationError } from '../errors';

/** Renders a received value for an error message, shortened so a long string stays readable. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const s = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(s);
  }
  return JSON.stringify(value);
}

/** Throws a {@link GuardrailsValidationError} for `property` with `message` followed by `fix`. */
export function fail(owner: string, property: string, message: string, fix: string): never {
  throw new GuardrailsValidationError(property, `${owner}: \`${property}\` ${message}. ${fix}`);
}

/** True when the value is a Terraform token (known only at apply time) and cannot be checked now. */
export function isToken(value: unknown): boolean {
  // A string holds a token only if it holds cdktf's token marker: a quick answer for the usual
  // case, which thousands of enforcements meet on the synth path.
  if (typeof value === 'string' && !value.includes('TfToken[')) return false;
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Checks a string's length is within [min, max]; tokens are skipped. */
export function checkLength(owner: string, property: string, value: string | undefined, min: number, max: number, fix?: string): void {
  if (value === undefined || isToken(value)) return;
  if (value.length < min || value.length > max) {
    fail(owner, property, `must be ${min}-${max} characters, got ${value.length} (${show(value)})`,
      fix ?? `Shorten or fill it to ${min}-${max} characters.`);
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
