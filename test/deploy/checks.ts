/**
 * Checks on what the emulator recorded: the order of calls during an apply or a destroy, and
 * what a destroy left behind. Pure functions over the call log and state dumps, so they can be
 * tested on their own (checks.test.ts).
 */
import type { EmulatorState, RecordedCall } from './emulator';

const succeeded = (c: RecordedCall) => c.status !== undefined && c.status < 400;
const is = (service: string, operation: string) => (c: RecordedCall) => c.service === service && c.operation === operation && succeeded(c);
const label = (c: RecordedCall) => `${c.operation} #${c.seq}${Object.keys(c.keys).length ? ` (${Object.values(c.keys).join(', ')})` : ''}`;

/** `first` must have finished before `then` started, for every pair. */
function before(firsts: RecordedCall[], thens: RecordedCall[], why: string): string[] {
  const out: string[] = [];
  for (const then of thens) {
    for (const first of firsts) {
      if (first.endSeq === undefined || first.endSeq > then.seq) out.push(`${label(then)} started before ${label(first)} finished: ${why}`);
    }
  }
  return out;
}

/**
 * The order an apply must keep (issue 9, item 1): members may apply the guardrail (its resource
 * policies are in place) before any organization policy naming it is attached, and the
 * BEDROCK_POLICY type is enabled before a policy of that type is created or attached.
 *
 * @param calls the calls of one apply
 * @param policyTypeEnabledBefore whether BEDROCK_POLICY was enabled before this apply
 */
export function applyOrderViolations(calls: readonly RecordedCall[], policyTypeEnabledBefore = false): string[] {
  const puts = calls.filter(is('bedrock', 'PutResourcePolicy'));
  const attaches = calls.filter(is('organizations', 'AttachPolicy'));
  const creates = calls.filter(is('organizations', 'CreatePolicy'));
  const enables = calls.filter((c) => is('organizations', 'EnablePolicyType')(c) && c.keys.PolicyType === 'BEDROCK_POLICY');
  const out = before(puts, attaches, 'the organization policy was attached while member accounts could not apply the guardrail yet');
  if (!policyTypeEnabledBefore) {
    if ((attaches.length || creates.length) && enables.length === 0) out.push('no EnablePolicyType BEDROCK_POLICY before the organization policy was created or attached');
    for (const c of [...creates, ...attaches]) {
      if (!enables.some((e) => e.endSeq !== undefined && e.endSeq < c.seq)) out.push(`${label(c)} started before BEDROCK_POLICY was enabled on the root`);
    }
  }
  return out;
}

/**
 * The order a destroy must keep (issue 9, items 1 and 3): organization policies are detached
 * before the resource policies that let members apply the guardrail are deleted, and every
 * enforcement (account-level configurations, attachments) is gone before the guardrail is deleted.
 */
export function destroyOrderViolations(calls: readonly RecordedCall[]): string[] {
  const detaches = calls.filter(is('organizations', 'DetachPolicy'));
  const policyDeletes = calls.filter(is('bedrock', 'DeleteResourcePolicy'));
  const configDeletes = calls.filter(is('bedrock', 'DeleteEnforcedGuardrailConfiguration'));
  // Deleting a version (guardrailVersion set) is not deleting the guardrail.
  const guardrailDeletes = calls.filter((c) => c.service === 'bedrock' && c.operation === 'DeleteGuardrail' && !c.keys.guardrailVersion);
  return [
    ...before(detaches, policyDeletes, 'member accounts lost the right to apply a guardrail that was still enforced on them'),
    ...before([...configDeletes, ...detaches], guardrailDeletes, 'the guardrail was deleted while an enforcement still used it'),
  ];
}

/**
 * What `after` holds that `baseline` did not, service by service, in words. `retainedPolicyTypes`
 * lists policy types the library leaves enabled on purpose (disableOnDelete is false by default).
 */
export function leftovers(baseline: EmulatorState, after: EmulatorState, retainedPolicyTypes: readonly string[] = ['BEDROCK_POLICY']): string[] {
  const out: string[] = [];
  const roles = (s: EmulatorState) => new Map(Object.values(s.iam).flatMap((a) => a.roles).map((r) => [r.arn, r]));
  const baseRoles = roles(baseline);
  for (const [arn, role] of roles(after)) {
    const base = baseRoles.get(arn);
    if (!base) out.push(`IAM role ${arn}`);
    else if (JSON.stringify(base.inlinePolicies) !== JSON.stringify(role.inlinePolicies)) out.push(`IAM role ${arn}: inline policies changed`);
  }
  const newer = <T>(items: T[], baseItems: T[], key: (t: T) => string, what: (t: T) => string) => {
    const seen = new Set(baseItems.map(key));
    for (const item of items) if (!seen.has(key(item))) out.push(what(item));
  };
  newer(after.lambda.functions, baseline.lambda.functions, (f) => f.arn, (f) => `Lambda function ${f.arn}`);
  newer(after.logs.logGroups, baseline.logs.logGroups, (g) => `${g.account}/${g.region}/${g.name}`, (g) => `log group ${g.name} in ${g.account} ${g.region}`);
  newer(after.organizations.policies, baseline.organizations.policies, (p) => p.id, (p) => `organization policy ${p.id} (${p.name}, ${p.type}) attached to [${p.targets.join(', ')}]`);
  for (const type of after.organizations.enabledPolicyTypes) {
    if (!baseline.organizations.enabledPolicyTypes.includes(type) && !retainedPolicyTypes.includes(type)) out.push(`policy type ${type} enabled on the root`);
  }
  newer(after.bedrock.guardrails, baseline.bedrock.guardrails, (g) => g.arn, (g) => `guardrail ${g.arn} with versions [${Object.keys(g.versions).join(', ')}]`);
  newer(Object.keys(after.bedrock.resourcePolicies), Object.keys(baseline.bedrock.resourcePolicies), (a) => a, (a) => `resource policy on ${a}`);
  newer(after.bedrock.enforcedConfigurations, baseline.bedrock.enforcedConfigurations, (c) => c.configId,
    (c) => `enforced configuration ${c.configId} in ${c.account} ${c.region} (${c.guardrailArn}:${c.guardrailVersion})`);
  return out;
}
