/**
 * Enabling a policy type (BEDROCK_POLICY) on the organization root, without managing the whole
 * organization. Runs with the management account's credentials.
 */
import { DisablePolicyTypeCommand, EnablePolicyTypeCommand, ListRootsCommand, PolicyType, Root } from '@aws-sdk/client-organizations';
import { TargetSession } from './aws';
import { PolicyTypeEvent } from './event';
import { ShimFailure } from './failure';
import { isCode } from './retry';

/** The result of a policy-type action. */
export interface PolicyTypeResult {
  readonly kind: 'OrganizationPolicyType';
  readonly action: string;
  readonly accountId: string;
  readonly region: string;
  readonly rootId: string | null;
  readonly policyType: string;
  /** ENABLED, PENDING_ENABLE, PENDING_DISABLE, DISABLED, or RETAINED (delete without disableOnDelete). */
  readonly status: string;
  readonly changed: boolean;
  readonly skipped?: string;
}

async function findRoot(s: TargetSession): Promise<Root> {
  const client = await s.organizations();
  const roots: Root[] = [];
  let NextToken: string | undefined;
  do {
    const out = await s.call('ListRoots', () => client.send(new ListRootsCommand(NextToken ? { NextToken } : {})));
    roots.push(...(out.Roots ?? []));
    NextToken = out.NextToken;
  } while (NextToken && roots.length < 100);
  const root = roots[0];
  if (!root?.Id) throw new ShimFailure('ListRoots returned no root: the account is not the management account of an organization');
  return root;
}

function statusOf(root: Root | undefined, policyType: string): string | undefined {
  return root?.PolicyTypes?.find((t) => t.Type === policyType)?.Status;
}

/** Enables the policy type on the root (idempotent), or on delete disables it only when asked to. */
export async function policyType(ev: PolicyTypeEvent, s: TargetSession): Promise<PolicyTypeResult> {
  const p = ev.properties;
  const base = { kind: 'OrganizationPolicyType' as const, action: ev.action, accountId: ev.target.accountId, region: ev.target.region, policyType: p.policyType };

  if (ev.action === 'delete') {
    if (!p.disableOnDelete) {
      // Disabling a policy type detaches every policy of that type in the organization, so it is
      // done only when asked for.
      return { ...base, rootId: null, status: 'RETAINED', changed: false, skipped: 'disableOnDelete is false' };
    }
    const root = await findRoot(s);
    if (statusOf(root, p.policyType) === undefined) return { ...base, rootId: root.Id!, status: 'DISABLED', changed: false };
    const client = await s.organizations();
    try {
      const out = await s.call('DisablePolicyType', () =>
        client.send(new DisablePolicyTypeCommand({ RootId: root.Id!, PolicyType: p.policyType as PolicyType })),
      );
      return { ...base, rootId: root.Id!, status: statusOf(out.Root, p.policyType) ?? 'DISABLED', changed: true };
    } catch (err) {
      if (isCode(err, 'PolicyTypeNotEnabledException')) return { ...base, rootId: root.Id!, status: 'DISABLED', changed: false };
      throw err;
    }
  }

  const root = await findRoot(s);
  const status = statusOf(root, p.policyType);
  if (status === 'ENABLED' || status === 'PENDING_ENABLE') return { ...base, rootId: root.Id!, status, changed: false };
  const client = await s.organizations();
  try {
    const out = await s.call('EnablePolicyType', () =>
      client.send(new EnablePolicyTypeCommand({ RootId: root.Id!, PolicyType: p.policyType as PolicyType })),
    );
    return { ...base, rootId: root.Id!, status: statusOf(out.Root, p.policyType) ?? 'ENABLED', changed: true };
  } catch (err) {
    if (isCode(err, 'PolicyTypeAlreadyEnabledException')) return { ...base, rootId: root.Id!, status: 'ENABLED', changed: false };
    throw err;
  }
}
