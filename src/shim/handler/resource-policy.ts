/**
 * The resource-based policy of a guardrail or guardrail profile (Bedrock Put/Get/DeleteResourcePolicy),
 * in the resource's own account and region.
 *
 * A policy is "ours" when AWS holds what this object wrote: the desired document or the previous
 * input's. Documents are compared semantically (canonical.ts), since AWS may hand back a document
 * with another key order or formatting.
 */
import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { TargetSession } from './aws';
import { canonicalPolicy, samePolicy, sha256 } from './canonical';
import { ResourcePolicyEvent } from './event';
import { ShimFailure } from './failure';
import { isCode } from './retry';

/** The result of a resource-policy action. */
export interface ResourcePolicyResult {
  readonly kind: 'GuardrailResourcePolicy';
  readonly action: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceArn: string;
  /** SHA-256 of the canonical form of the desired policy document. */
  readonly policySha256: string;
  readonly changed: boolean;
  readonly drift: boolean;
  readonly adopted?: boolean;
  readonly skipped?: string;
}

const CONVERGE_ROUNDS = 3;

async function getPolicy(s: TargetSession, resourceArn: string): Promise<string | undefined> {
  const client = await s.bedrock();
  try {
    const out = await s.call('GetResourcePolicy', () => client.send(new GetResourcePolicyCommand({ resourceArn })));
    return out.resourcePolicy && out.resourcePolicy.length > 0 ? out.resourcePolicy : undefined;
  } catch (err) {
    if (isCode(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

function previousPolicy(ev: ResourcePolicyEvent): string | undefined {
  const prev = ev.prev;
  if (prev?.kind !== 'GuardrailResourcePolicy' || prev.properties.resourceArn !== ev.properties.resourceArn) return undefined;
  return prev.properties.policy;
}

/** Puts, replaces or deletes the resource policy the event describes, touching only a policy this object wrote (or adopts). */
export async function resourcePolicy(ev: ResourcePolicyEvent, s: TargetSession): Promise<ResourcePolicyResult> {
  const p = ev.properties;
  const base = {
    kind: 'GuardrailResourcePolicy' as const,
    action: ev.action,
    accountId: ev.target.accountId,
    region: ev.target.region,
    resourceArn: p.resourceArn,
    policySha256: sha256(canonicalPolicy(p.policy)),
  };
  const prevPolicy = previousPolicy(ev);
  const client = await s.bedrock();

  if (ev.action === 'delete') {
    const current = await getPolicy(s, p.resourceArn);
    if (current === undefined) return { ...base, changed: false, drift: false };
    const ours = samePolicy(current, p.policy) || samePolicy(current, prevPolicy);
    if (!ours && !p.adoptExisting) {
      // Someone replaced the policy since this object wrote it: theirs to keep.
      return { ...base, changed: false, drift: true, skipped: 'not owned' };
    }
    try {
      await s.call('DeleteResourcePolicy', () => client.send(new DeleteResourcePolicyCommand({ resourceArn: p.resourceArn })));
    } catch (err) {
      if (isCode(err, 'ResourceNotFoundException')) return { ...base, changed: false, drift: false };
      throw err;
    }
    return { ...base, changed: true, drift: !ours, ...(!ours ? { adopted: true } : {}) };
  }

  let lastRace: unknown;
  for (let round = 1; round <= CONVERGE_ROUNDS; round++) {
    const current = await getPolicy(s, p.resourceArn);
    if (current !== undefined && samePolicy(current, p.policy)) return { ...base, changed: false, drift: false };
    const heldPrevious = current !== undefined && samePolicy(current, prevPolicy);
    let drift = false;
    let adopted = false;
    if (ev.action === 'create') {
      if (current !== undefined && !heldPrevious) {
        if (!p.adoptExisting) {
          throw new ShimFailure(
            `${p.resourceArn} already has a resource policy that this stack did not write (SHA-256 of its canonical form ` +
              `${sha256(safeCanonical(current))}). It is not replaced. To replace it from this stack, set adoptExisting: true ` +
              `on this object, after merging any statements it must keep into the desired policy; or remove it ` +
              `(aws bedrock delete-resource-policy --resource-arn ${p.resourceArn}) and apply again.`,
          );
        }
        adopted = true;
      }
    } else {
      // Update: AWS should hold the previous document. Anything else (another document, or none)
      // was changed behind this object's back; converge to the desired one and report it.
      drift = !heldPrevious;
    }
    try {
      await s.call('PutResourcePolicy', () => client.send(new PutResourcePolicyCommand({ resourceArn: p.resourceArn, resourcePolicy: p.policy })));
      return { ...base, changed: true, drift, ...(adopted ? { adopted } : {}) };
    } catch (err) {
      if (!isCode(err, 'ConflictException')) throw err;
      lastRace = err;
    }
  }
  throw new ShimFailure(
    `the resource policy kept changing while it was being written (${CONVERGE_ROUNDS} read-and-write rounds); last error: ${(lastRace as Error).message}`,
  );
}

function safeCanonical(policy: string): string {
  try {
    return canonicalPolicy(policy);
  } catch {
    return policy;
  }
}
