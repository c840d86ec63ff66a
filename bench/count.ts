/**
 * Counts what a synthesized app holds and checks the account-enforcement cost: in every member
 * stack, beyond its one shim host (log group, role, role policy, function), exactly one resource
 * per account and region, the `aws_lambda_invocation` that enforces there.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The shim host's resource types: one of each per host. */
export const HOST_RESOURCE_TYPES = ['aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy', 'aws_lambda_function'] as const;

/** What one stack holds. */
export interface StackCount {
  readonly name: string;
  /** Resources by type. */
  readonly resources: Record<string, number>;
  /** All resources. */
  readonly total: number;
  /** Data sources (a cross-stack reference would add `terraform_remote_state`). */
  readonly dataSources: number;
}

/** The account-level enforcement found in the member stacks. */
export interface EnforcementCount {
  /** Member stacks (stacks whose invocations are all account-level enforcement). */
  readonly stacks: number;
  /** Distinct (account, region) pairs enforced. */
  readonly accountRegions: number;
  /** Resources of the member stacks beyond their shim hosts. */
  readonly resourcesBeyondHosts: number;
  /** The most resources any one (account, region) pair costs beyond the hosts. */
  readonly maxResourcesPerAccountRegion: number;
  /** Accounts per member stack, in stack order. */
  readonly accountsPerStack: number[];
}

/** What a synthesized app holds. */
export interface AppCount {
  readonly stacks: StackCount[];
  /** Resources of every stack. */
  readonly resources: number;
  readonly enforcement: EnforcementCount;
}

/** Reads every `stacks/<name>/cdk.tf.json` under a cdktf output directory. */
export function readStacks(outdir: string): Array<{ name: string; json: any }> {
  const dir = path.join(outdir, 'stacks');
  return fs.readdirSync(dir).sort(byStackOrder).map((name) => ({ name, json: JSON.parse(fs.readFileSync(path.join(dir, name, 'cdk.tf.json'), 'utf8')) }));
}

/** `management` first, then `members-1`, `members-2`, ... in numeric order. */
export function byStackOrder(a: string, b: string): number {
  const na = Number(/-(\d+)$/.exec(a)?.[1] ?? -1);
  const nb = Number(/-(\d+)$/.exec(b)?.[1] ?? -1);
  return na !== nb ? na - nb : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Counts the stacks' resources and checks account-level enforcement: a member stack is one whose
 * invocations all enforce account-level configurations; it must hold one shim host and nothing
 * else but one invocation per (account, region), each pair enforced once in the whole app.
 * @throws Error when a member stack holds anything more
 */
export function countApp(stacks: Array<{ name: string; json: any }>): AppCount {
  const counts: StackCount[] = [];
  const seen = new Map<string, string>();
  const perStack: number[] = [];
  let beyond = 0;
  let memberStacks = 0;
  for (const { name, json } of stacks) {
    const resources: Record<string, number> = {};
    for (const [type, byId] of Object.entries<Record<string, unknown>>(json.resource ?? {})) resources[type] = Object.keys(byId).length;
    const dataSources = Object.values<Record<string, unknown>>(json.data ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
    const total = Object.values(resources).reduce((a, b) => a + b, 0);
    counts.push({ name, resources, total, dataSources });

    const inputs = Object.values<any>(json.resource?.aws_lambda_invocation ?? {}).map((i) => JSON.parse(i.input));
    if (inputs.length === 0 || !inputs.every((i) => i.kind === 'EnforcedGuardrailConfiguration')) continue;
    memberStacks++;
    for (const type of HOST_RESOURCE_TYPES) {
      if (resources[type] !== 1) throw new Error(`${name}: expected one ${type} (the shim host), found ${resources[type] ?? 0}`);
    }
    const hostResources = HOST_RESOURCE_TYPES.length;
    const accounts = new Set<string>();
    for (const i of inputs) {
      const key = `${i.target.accountId}/${i.target.region}`;
      if (seen.has(key)) throw new Error(`${name}: account ${i.target.accountId} in ${i.target.region} is enforced twice (also in ${seen.get(key)})`);
      seen.set(key, name);
      accounts.add(i.target.accountId);
    }
    const extra = total - hostResources;
    if (extra !== inputs.length) {
      throw new Error(`${name}: ${extra} resources beyond the shim host for ${inputs.length} account-region pairs; expected one each`);
    }
    beyond += extra;
    perStack.push(accounts.size);
  }
  return {
    stacks: counts,
    resources: counts.reduce((n, s) => n + s.total, 0),
    enforcement: {
      stacks: memberStacks,
      accountRegions: seen.size,
      resourcesBeyondHosts: beyond,
      maxResourcesPerAccountRegion: seen.size ? beyond / seen.size : 0,
      accountsPerStack: perStack,
    },
  };
}
