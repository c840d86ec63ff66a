/**
 * What every deploy-tier scenario shares: an emulator and a deployment per scenario (started in
 * beforeAll, stopped by PID in afterAll even when a test failed), synthesized apps cleaned up,
 * the calls of each phase, and the latency rules that make ordering races deterministic.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { Organization } from '../../src';
import { synthApp, SynthesizedApp } from '../app-helpers';
import { destroyOrderViolations, leftovers } from './checks';
import { Deployment, describeCall } from './deploy';
import { Emulator, EmulatorState, LatencyRule, RecordedCall } from './emulator';

/**
 * Held on apply: PutResourcePolicy. Without a dependency from each attachment on the resource
 * policy invocations, the attachment (after the policy-type invocation and CreatePolicy) then
 * always wins the race, instead of only sometimes.
 */
export const APPLY_RACE: LatencyRule[] = [{ service: 'bedrock', operation: 'PutResourcePolicy', ms: 3000 }];
/** Held on destroy: DetachPolicy, so a resource policy deleted without waiting for it shows. */
export const DESTROY_RACE: LatencyRule[] = [{ service: 'organizations', operation: 'DetachPolicy', ms: 3000 }];

/** The management account's session of the shim's member-account role, as Bedrock records it. */
export const memberSession = (account: string) => `arn:aws:sts::${account}:assumed-role/OrganizationAccountAccessRole/cdktf-bedrock-guardrails`;

/**
 * CPU seconds of this process's finished children (terraform and the providers it starts), from
 * /proc, or undefined where there is none. Used for the timing line only.
 */
function childrenCpuSeconds(pid: number | 'self' = 'self'): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime, stime, cutime, cstime are fields 14-17 of stat (11-14 after the command name).
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return (pid === 'self' ? cutime + cstime : utime + stime + cutime + cstime) / 100;
  } catch {
    return undefined;
  }
}

/** A scenario's emulator, deployment and helpers. */
export interface Scenario {
  readonly emulator: Emulator;
  readonly deployment: Deployment;
  /** The emulator's state before anything was deployed. */
  readonly baseline: EmulatorState;
  /** Synthesizes an app (cleaned up after the scenario). */
  synth(build: (app: App) => unknown): SynthesizedApp;
  /** Runs `fn` and returns what it returned with the calls and hazards the emulator recorded meanwhile. */
  phase<T>(fn: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[]; hazards: EmulatorState['hazards'] }>;
}

/**
 * Registers beforeAll/afterAll for one scenario and returns a handle whose fields are set once
 * beforeAll has run.
 */
export function useScenario(name: string, organization: Organization): Scenario {
  const synthesized: SynthesizedApp[] = [];
  const handle = {} as { emulator: Emulator; deployment: Deployment; baseline: EmulatorState };
  let started = 0;
  let cpuAtStart: number | undefined;

  beforeAll(async () => {
    started = Date.now();
    cpuAtStart = childrenCpuSeconds();
    handle.emulator = await Emulator.start(organization, { name });
    handle.deployment = new Deployment(handle.emulator, name);
    handle.baseline = await handle.emulator.state();
  });

  afterAll(async () => {
    const timings = handle.deployment?.timings ?? [];
    // Both read before the emulator stops: once reaped, its CPU would count as this process's children's.
    const emulatorCpu = handle.emulator?.pid !== undefined ? childrenCpuSeconds(handle.emulator.pid) : undefined;
    const terraformCpu = childrenCpuSeconds();
    await handle.emulator?.stop();
    if (timings.length) {
      const total = ((Date.now() - started) / 1000).toFixed(1);
      const cpu = terraformCpu !== undefined && cpuAtStart !== undefined
        ? `; CPU: terraform and providers ${(terraformCpu - cpuAtStart).toFixed(0)} s, emulator and handlers ${emulatorCpu?.toFixed(0) ?? '?'} s`
        : '';
      console.log(`deploy tier, ${name}: ${total} s (${timings.map((t) => `${t.command} ${(t.ms / 1000).toFixed(1)} s`).join(', ')})${cpu}`);
    }
    handle.deployment?.remove();
    for (const s of synthesized) fs.rmSync(path.dirname(s.outdir), { recursive: true, force: true });
  });

  return {
    get emulator() {
      return handle.emulator;
    },
    get deployment() {
      return handle.deployment;
    },
    get baseline() {
      return handle.baseline;
    },
    synth(build) {
      const s = synthApp(build);
      synthesized.push(s);
      return s;
    },
    async phase(fn) {
      const mark = (await handle.emulator.calls()).length;
      const hazardMark = (await handle.emulator.state()).hazards.length;
      const result = await fn();
      const calls = (await handle.emulator.calls()).slice(mark);
      const hazards = (await handle.emulator.state()).hazards.slice(hazardMark);
      return { result, calls, hazards };
    },
  };
}

/** Calls the handler made that the emulator's IAM checks refused. */
export function deniedCalls(calls: readonly RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => c.authorization && !c.authorization.allowed);
}

/**
 * The function error a failed `aws_lambda_invocation` reports: the provider puts the payload,
 * `{"errorType","errorMessage","trace"}`, after the function's name in the diagnostic's summary.
 */
export function functionError(summary: string): { errorType?: string; errorMessage?: string } {
  const m = /^invoking Lambda Function \([^)]+\): (\{.*\})\s*$/s.exec(summary);
  return m ? JSON.parse(m[1]) : {};
}

/** The guardrail identifiers (`arn:version`) an organization policy's content assigns. */
export function identifiersIn(content: string): string[] {
  const doc = JSON.parse(content);
  return Object.values<Record<string, { identifier: { '@@assign': string } }>>(doc.bedrock.guardrail_inference)
    .flatMap((configs) => Object.values(configs).map((c) => c.identifier['@@assign']))
    .sort();
}

/**
 * Destroys the scenario's deployment with the destroy race held, and expects the safe order, no
 * denied call, no hazard, nothing left in the emulator beyond the baseline (the emulator's state
 * before anything was deployed, unless `options.baseline` gives another, e.g. with what someone
 * else made before the apply) and nothing in state. Returns the emulator's state after the
 * destroy and the destroy's calls, for what a scenario checks beyond that.
 */
export async function expectCleanDestroy(s: Scenario, options: { baseline?: EmulatorState } = {}): Promise<{ state: EmulatorState; calls: RecordedCall[] }> {
  await s.emulator.setLatency(DESTROY_RACE);
  const { calls, hazards } = await s.phase(() => s.deployment.destroy());
  const state = await s.emulator.state();
  expect(destroyOrderViolations(calls)).toEqual([]);
  expect(deniedCalls(calls).map(describeCall)).toEqual([]);
  expect(leftovers(options.baseline ?? s.baseline, state)).toEqual([]);
  expect(hazards).toEqual([]);
  expect(s.deployment.stateAddresses()).toEqual([]);
  return { state, calls };
}
