/**
 * The shim Lambda handler: one `aws_lambda_invocation` (lifecycle_scope CRUD, terraform_key "tf")
 * per managed object calls it on create, update and delete. It validates the event, acts on the
 * target account and region, logs one structured line, and returns a JSON object that becomes the
 * invocation's `result`; it throws to fail the apply, with a message naming the object, the
 * account, the region, the AWS operation and the AWS error.
 */
import { TargetSession } from './aws';
import { enforcedConfiguration, removePrevious } from './enforced-configuration';
import { EventValidationError, parseEvent, ShimEvent, ShimTarget } from './event';
import { ShimFailure } from './failure';
import { policyType } from './policy-type';
import { resourcePolicy } from './resource-policy';
import { CallFailedError, CallRecord, RetryContext, retrySettingsFromEnv } from './retry';

/** The part of the Lambda context the handler uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}

/** What the handler returns: the invocation's `result`, readable as an attribute in Terraform. */
export type ShimResult = Record<string, unknown>;

function sameTarget(a: ShimTarget, b: ShimTarget): boolean {
  return a.accountId === b.accountId && a.region === b.region && (a.roleArn ?? null) === (b.roleArn ?? null);
}

async function run(ev: ShimEvent, retry: RetryContext, sessions: TargetSession[]): Promise<ShimResult> {
  const open = (target: ShimTarget) => {
    const session = new TargetSession(ev.kind, target, retry);
    sessions.push(session);
    return session;
  };
  const session = open(ev.target);
  switch (ev.kind) {
    case 'EnforcedGuardrailConfiguration': {
      const prev = ev.prev?.kind === 'EnforcedGuardrailConfiguration' ? ev.prev : null;
      if (ev.action === 'update' && prev && !sameTarget(prev.target, ev.target)) {
        // The object moved to another account, region or role: release the old one, create anew.
        const released = await removePrevious(prev, open(prev.target));
        const created = await enforcedConfiguration({ ...ev, prev: null }, session);
        return { ...created, released };
      }
      return { ...(await enforcedConfiguration(ev, session)) };
    }
    case 'GuardrailResourcePolicy': {
      const prev = ev.prev?.kind === 'GuardrailResourcePolicy' ? ev.prev : null;
      if (ev.action === 'update' && prev && (prev.properties.resourceArn !== ev.properties.resourceArn || !sameTarget(prev.target, ev.target))) {
        const released = await resourcePolicy({ ...prev, action: 'delete', prev: null }, open(prev.target));
        const created = await resourcePolicy({ ...ev, action: 'create', prev: null }, session);
        return { ...created, action: 'update', released };
      }
      return { ...(await resourcePolicy(ev, session)) };
    }
    case 'OrganizationPolicyType':
      return { ...(await policyType(ev, session)) };
  }
}

function log(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}

/** Lambda entry point (`index.handler`). */
export async function handler(event: unknown, context?: LambdaContextLike): Promise<ShimResult> {
  const started = Date.now();
  let ev: ShimEvent;
  try {
    ev = parseEvent(event);
  } catch (err) {
    const message = err instanceof EventValidationError ? err.message : `Invalid shim event: ${(err as Error).message}`;
    log({ level: 'error', msg: 'shim event rejected', error: message, requestId: context?.awsRequestId });
    const failure = new Error(message);
    failure.name = 'ShimEventInvalid';
    throw failure;
  }

  if (ev.release) {
    log({ level: 'info', msg: 'released: managed by the native provider resource', kind: ev.kind, name: ev.name, action: ev.action,
      accountId: ev.target.accountId, region: ev.target.region, requestId: context?.awsRequestId });
    return { kind: ev.kind, action: ev.action, accountId: ev.target.accountId, region: ev.target.region, released: true };
  }

  const calls: CallRecord[] = [];
  const remaining = context?.getRemainingTimeInMillis;
  const retry: RetryContext = {
    settings: retrySettingsFromEnv(),
    calls,
    ...(typeof remaining === 'function' ? { remainingMs: () => remaining.call(context) } : {}),
  };
  const sessions: TargetSession[] = [];
  const head = {
    kind: ev.kind,
    name: ev.name,
    action: ev.action,
    accountId: ev.target.accountId,
    region: ev.target.region,
    roleArn: ev.target.roleArn,
    requestId: context?.awsRequestId,
  };
  try {
    const result = await run(ev, retry, sessions);
    log({ level: 'info', msg: 'shim action done', ...head, result, calls, durationMs: Date.now() - started });
    return result;
  } catch (err) {
    const where = `${ev.kind} "${ev.name}" in account ${ev.target.accountId}, ${ev.target.region}`;
    const detail =
      err instanceof CallFailedError || err instanceof ShimFailure
        ? err.message
        : `unexpected error: ${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`;
    const message = `${where}: ${detail}`;
    log({ level: 'error', msg: 'shim action failed', ...head, error: message, calls, durationMs: Date.now() - started });
    const failure = new Error(message);
    failure.name = err instanceof CallFailedError ? `ShimAwsCallFailed` : 'ShimFailed';
    throw failure;
  } finally {
    for (const s of sessions) s.destroy();
  }
}
