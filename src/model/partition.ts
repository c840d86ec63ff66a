import { createHash } from 'crypto';

/** The 32-bit finalizer of MurmurHash3: mixes every input bit into every output bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The stack (0-based) an account is enforced from when accounts are spread over `stackCount`
 * stacks: the stack whose score for the account is highest (rendezvous hashing). The score of
 * stack `i` mixes a SHA-256 digest of the account ID with `i`, so the answer depends on nothing
 * else: accounts added or removed never move the others, and raising `stackCount` moves an
 * account only when one of the new stacks wins it.
 */
export function accountStackIndex(account: string, stackCount: number): number {
  const digest = createHash('sha256').update(account).digest();
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4);
  let best = 0;
  let bestHigh = -1;
  let bestLow = -1;
  for (let i = 0; i < stackCount; i++) {
    // Two independent 32-bit scores, compared in turn: a tie of both is as good as impossible.
    const h = mix32(high ^ Math.imul(i + 1, 0x9e3779b1));
    const l = mix32(low ^ Math.imul(i + 1, 0x7f4a7c15));
    if (h > bestHigh || (h === bestHigh && l > bestLow)) {
      best = i;
      bestHigh = h;
      bestLow = l;
    }
  }
  return best;
}
