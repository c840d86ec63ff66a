/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and returns the results in the
 * order of `items` (so output built from them does not depend on which call finished first).
 * A rejected call rejects the whole run; callers that want every item done catch inside `fn`.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Memoizes an async function by a string key, sharing the promise between concurrent callers. */
export function memoize<A extends unknown[], R>(key: (...args: A) => string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const cache = new Map<string, Promise<R>>();
  return (...args: A) => {
    const k = key(...args);
    let p = cache.get(k);
    if (!p) {
      p = fn(...args);
      // Marked handled here; every caller awaits the same promise and sees the rejection.
      p.catch(() => undefined);
      cache.set(k, p);
    }
    return p;
  };
}
