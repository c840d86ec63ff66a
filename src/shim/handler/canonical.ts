import { createHash } from 'node:crypto';

/**
 * Canonical form of an IAM-style policy document, for semantic comparison: object keys sorted,
 * arrays treated as unordered sets (order carries no meaning anywhere in the policy grammar), and
 * a one-element array equal to its element (`"Action": "x"` is `"Action": ["x"]`).
 */
export function canonicalPolicy(json: string): string {
  return JSON.stringify(normalize(JSON.parse(json)));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    const unique = [...new Map(items.map((item) => [JSON.stringify(item), item])).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item);
    return unique.length === 1 ? unique[0] : unique;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) out[key] = normalize((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Whether two policy documents say the same thing; a document that is not JSON equals only itself. */
export function samePolicy(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  try {
    return canonicalPolicy(a) === canonicalPolicy(b);
  } catch {
    return false;
  }
}

/** SHA-256 hex digest of `text`. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
