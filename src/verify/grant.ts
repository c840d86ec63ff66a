/**
 * Whether a guardrail's (or guardrail profile's) resource-based policy lets principals of one
 * account call `bedrock:ApplyGuardrail` on it, evaluated against the account's real place in the
 * organization: its organization ID and its `aws:PrincipalOrgPaths` value
 * (`<org id>/<root id>/<ou id>/.../`), read live with Organizations `ListParents`.
 *
 * The evaluation follows IAM's policy grammar for the parts Bedrock's guardrail policies use
 * (Effect, Principal, Action, Resource, Condition with `aws:PrincipalOrgID`,
 * `aws:PrincipalOrgPaths` and `aws:PrincipalAccount`); an explicit Deny wins. Anything else (other
 * condition keys, NotPrincipal, NotAction, NotResource) is not guessed at: the statement is
 * reported as not evaluated, and does not count as a grant.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */

import { Json } from './common';
import { APPLY_GUARDRAIL } from '../model/shim-contract';

/** Who would call: an account, where it sits in the organization. */
export interface GrantCaller {
  /** The calling account. */
  readonly account: string;
  /** The organization the account belongs to. */
  readonly organizationId: string;
  /** The account's `aws:PrincipalOrgPaths` entry: `<org id>/<root id>/<ou id>/.../`. */
  readonly orgPath: string;
}

/** The outcome of evaluating one policy for one caller. */
export interface GrantResult {
  /** Whether principals of the account may apply the guardrail (as far as the resource policy decides). */
  readonly granted: boolean;
  /** Why: the statement that grants or denies, or why nothing does. */
  readonly reason: string;
  /** Statements that could not be evaluated, with what was not understood. */
  readonly unevaluated: string[];
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

function statementName(s: Json, i: number): string {
  return typeof s.Sid === 'string' && s.Sid ? `statement ${s.Sid}` : `statement #${i + 1}`;
}

/** Whether the Principal element names principals of `caller.account`; undefined when not understood. */
function principalMatches(principal: unknown, account: string): boolean | undefined {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return undefined;
  const aws = list((principal as Json).AWS);
  if (aws.length === 0) return false;
  return aws.some((p) => {
    if (p === '*') return true;
    if (typeof p !== 'string') return false;
    if (p === account) return true;
    return new RegExp(`^arn:[^:]+:iam::${account}:root$`).test(p);
  });
}

/** The values a condition key has for the caller (multi-valued keys hold several). */
function keyValues(key: string, caller: GrantCaller): string[] | undefined {
  switch (key.toLowerCase()) {
    case 'aws:principalorgid': return [caller.organizationId];
    case 'aws:principalorgpaths': return [caller.orgPath];
    case 'aws:principalaccount': return [caller.account];
    default: return undefined;
  }
}

/** Evaluates a Condition block; undefined (with the reason) when it holds something not understood. */
function conditionHolds(condition: unknown, caller: GrantCaller): { holds?: boolean; problem?: string } {
  if (condition === undefined) return { holds: true };
  if (typeof condition !== 'object' || condition === null) return { problem: 'a Condition that is not an object' };
  for (const [operator, entries] of Object.entries(condition as Json)) {
    const m = /^(?:(ForAnyValue|ForAllValues):)?(StringEquals|StringLike|StringEqualsIgnoreCase)$/.exec(operator);
    if (!m || typeof entries !== 'object' || entries === null) return { problem: `condition operator ${operator}` };
    const [, qualifier, op] = m;
    for (const [key, expected] of Object.entries(entries as Json)) {
      const values = keyValues(key, caller);
      if (!values) return { problem: `condition key ${key}` };
      const patterns = list(expected).map(String);
      const one = (v: string) => patterns.some((p) => (op === 'StringLike' ? glob(p, v) : op === 'StringEqualsIgnoreCase' ? p.toLowerCase() === v.toLowerCase() : p === v));
      const ok = qualifier === 'ForAllValues' ? values.every(one) : values.some(one);
      if (!ok) return { holds: false };
    }
  }
  return { holds: true };
}

/**
 * Whether `policyJson` lets principals of `caller.account` apply the guardrail `resourceArn`
 * owned by `ownerAccount`. Principals of the owning account need no resource policy (their own
 * identity policies decide), so that case is granted whatever the document says, unless it denies.
 */
export function evaluateApplyGrant(policyJson: string | undefined, resourceArn: string, ownerAccount: string, caller: GrantCaller): GrantResult {
  const sameAccount = caller.account === ownerAccount;
  if (policyJson === undefined) {
    return sameAccount
      ? { granted: true, reason: 'same account as the guardrail (no resource policy needed)', unevaluated: [] }
      : { granted: false, reason: 'the resource has no resource policy', unevaluated: [] };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(policyJson);
  } catch {
    return { granted: sameAccount, reason: 'the resource policy is not JSON', unevaluated: [] };
  }
  const statements = list((doc as Json | null)?.Statement).filter((s): s is Json => typeof s === 'object' && s !== null);
  const unevaluated: string[] = [];
  let allow: string | undefined;
  for (const [i, s] of statements.entries()) {
    const name = statementName(s, i);
    const unsupported = ['NotPrincipal', 'NotAction', 'NotResource'].filter((k) => k in s);
    if (unsupported.length) {
      unevaluated.push(`${name}: ${unsupported.join(', ')}`);
      continue;
    }
    const actionOk = list(s.Action).some((a) => typeof a === 'string' && glob(a, APPLY_GUARDRAIL, true));
    const resourceOk = list(s.Resource).some((r) => typeof r === 'string' && glob(r, resourceArn));
    if (!actionOk || !resourceOk) continue;
    const principal = principalMatches(s.Principal, caller.account);
    if (principal === undefined) {
      unevaluated.push(`${name}: Principal ${JSON.stringify(s.Principal)}`);
      continue;
    }
    if (!principal) continue;
    const cond = conditionHolds(s.Condition, caller);
    if (cond.problem) {
      unevaluated.push(`${name}: ${cond.problem}`);
      continue;
    }
    if (!cond.holds) continue;
    if (s.Effect === 'Deny') {
      return { granted: false, reason: `${name} denies ${APPLY_GUARDRAIL} to ${caller.account}`, unevaluated };
    }
    if (s.Effect === 'Allow' && allow === undefined) allow = name;
  }
  if (allow) return { granted: true, reason: `${allow} grants ${caller.account} (${caller.orgPath})`, unevaluated };
  if (sameAccount) return { granted: true, reason: 'same account as the guardrail (no resource policy needed)', unevaluated };
  return { granted: false, reason: `no statement grants ${APPLY_GUARDRAIL} to ${caller.account} at ${caller.orgPath}`, unevaluated };
}
