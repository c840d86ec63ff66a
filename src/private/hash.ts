import { createHash } from 'crypto';

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 hex digest of the stable JSON form of `value`. */
export function sha256Of(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

/**
 * `name` when it fits in `max` characters, else its first `max - 9` characters, `-` and 8 hex
 * characters of its hash: stable, and unique as long as the names are.
 */
export function shortenWithHash(name: string, max: number): string {
  return name.length <= max ? name : `${name.slice(0, max - 9)}-${sha256Of(name).slice(0, 8)}`;
}
