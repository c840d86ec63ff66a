import { createHash } from 'crypto';

/**
 * The stack (0-based) an account is enforced from when accounts are spread over `stackCount`
 * stacks: the stack whose hash of (account, stack number) is highest (rendezvous hashing). The
 * answer depends on nothing else, so accounts added or removed never move the others; raising
 * `stackCount` moves an account only when one of the new stacks wins it.
 */
export function accountStackIndex(account: string, stackCount: number): number {
  let best = 0;
  let bestScore = '';
  for (let i = 0; i < stackCount; i++) {
    const score = createHash('sha256').update(`${account}/${i}`).digest('hex');
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}
