import { sha256Of, shortenWithHash, stableStringify } from '../../src/private/hash';

describe('hash helpers', () => {
  test('stableStringify sorts keys at every depth and drops undefined members', () => {
    expect(stableStringify({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(sha256Of({ a: 1, b: 2 })).toBe(sha256Of({ b: 2, a: 1 }));
  });

  test('shortenWithHash keeps names that fit and cuts longer ones to exactly the limit, stably and distinctly', () => {
    expect(shortenWithHash('a'.repeat(64), 64)).toBe('a'.repeat(64));
    const long = `${'a'.repeat(70)}-one`;
    const short = shortenWithHash(long, 64);
    expect(short).toHaveLength(64);
    expect(short).toBe(`${'a'.repeat(55)}-${sha256Of(long).slice(0, 8)}`);
    expect(shortenWithHash(long, 64)).toBe(short);
    expect(shortenWithHash(`${'a'.repeat(70)}-two`, 64)).not.toBe(short);
    expect(shortenWithHash('x'.repeat(200), 128)).toHaveLength(128);
  });
});
