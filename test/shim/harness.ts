/**
 * Test harness for the shim tier: starts the fake AWS server, and a separate Node process that
 * loads the BUNDLED handler from handlerBundle() as the Lambda runtime would (lambda-runner.js),
 * with the real SDK clients pointed at the fake through the environment (AWS_ENDPOINT_URL, dummy
 * credentials). Each invocation is event in, result (or error) out, plus the log lines printed.
 *
 * The bundle runs outside jest's module sandbox on purpose: the SDK's ES module build loads Node
 * built-ins with dynamic import(), which plain Node (and Lambda) supports and jest's VM does not.
 */
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { handlerBundle } from '../../src/shim/bundle';
import { FakeAws, HOST_ACCESS_KEY, HOST_SECRET_KEY, HOST_SESSION_TOKEN, MANAGEMENT_ACCOUNT } from './fake-aws';

export { MANAGEMENT_ACCOUNT };
export const MEMBER_ACCOUNT = '111122223333';
export const MEMBER_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/OrganizationAccountAccessRole`;
export const SESSION_NAME = 'cdktf-bedrock-guardrails';
export const GUARDRAIL_ARN = `arn:aws:bedrock:us-east-1:${MANAGEMENT_ACCOUNT}:guardrail/abc123xyz`;
export const OTHER_GUARDRAIL_ARN = `arn:aws:bedrock:us-east-1:${MANAGEMENT_ACCOUNT}:guardrail/zzz999`;
export const MEMBER_SESSION_PRINCIPAL = `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/OrganizationAccountAccessRole/${SESSION_NAME}`;
export const SOMEONE_ELSE = `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`;

interface RunnerReply {
  id: string;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { name?: string; message?: string };
  lines: string[];
}

const ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: HOST_ACCESS_KEY,
  AWS_SECRET_ACCESS_KEY: HOST_SECRET_KEY,
  AWS_SESSION_TOKEN: HOST_SESSION_TOKEN,
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: path.join(__dirname, 'no-such-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, 'no-such-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SHIM_MAX_ATTEMPTS: '4',
  SHIM_RETRY_BASE_MS: '2',
  SHIM_RETRY_MAX_DELAY_MS: '20',
  SHIM_REQUEST_TIMEOUT_MS: '2000',
  SHIM_CONNECT_TIMEOUT_MS: '1000',
  // AccessDenied is retried for IAM propagation only where a test asks for it (propagation.test.ts).
  SHIM_PERMISSION_RETRY_SECONDS: '0',
};

export interface Harness {
  readonly fake: FakeAws;
  /** Structured log lines the handler printed during the current test. */
  readonly logs: Array<Record<string, unknown>>;
  /** Raw text the handler printed during the current test. */
  readonly rawLogs: string[];
  invoke(event: unknown): Promise<Record<string, unknown>>;
  /** Invoke and expect a failure; returns the error message. */
  invokeFailing(event: unknown): Promise<string>;
  /** Run `fn` with extra environment variables, restoring them afterwards. */
  withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T>;
}

export function useShimHarness(): Harness {
  const fake = new FakeAws();
  const logs: Array<Record<string, unknown>> = [];
  const rawLogs: string[] = [];
  const pending = new Map<string, (reply: RunnerReply) => void>();
  let extraEnv: Record<string, string | null> = {};
  let child: ChildProcess | undefined;
  let stderr = '';
  let seq = 0;

  beforeAll(async () => {
    await fake.start();
    const bundle = path.join(handlerBundle().dir, 'index.js');
    const env: Record<string, string> = {};
    // Only what a Lambda environment would hold, plus the endpoint override: nothing from the
    // developer's shell (profiles, real credentials) reaches the handler.
    for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k]) env[k] = process.env[k]!;
    Object.assign(env, ENV, { AWS_ENDPOINT_URL: fake.url });
    child = fork(path.join(__dirname, 'lambda-runner.js'), [bundle], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    child.stdout!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child!.once('error', reject);
      child!.on('message', (msg: RunnerReply | { type: string }) => {
        if ('type' in msg && msg.type === 'ready') return resolve();
        const reply = msg as RunnerReply;
        pending.get(reply.id)?.(reply);
        pending.delete(reply.id);
      });
      child!.once('exit', (code) => reject(new Error(`lambda runner exited with ${code}: ${stderr}`)));
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill();
      await exited;
    }
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
    logs.length = 0;
    rawLogs.length = 0;
    extraEnv = {};
  });

  async function send(event: unknown): Promise<RunnerReply> {
    const id = `invocation-${++seq}`;
    const reply = await new Promise<RunnerReply>((resolve, reject) => {
      pending.set(id, resolve);
      child!.send({ type: 'invoke', id, event, env: extraEnv, timeoutMs: 60_000 }, (err) => err && reject(err));
    });
    for (const line of reply.lines) {
      rawLogs.push(line);
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a structured line
      }
    }
    return reply;
  }

  return {
    fake,
    logs,
    rawLogs,
    async invoke(event) {
      const reply = await send(event);
      if (!reply.ok) throw new Error(`handler failed: ${reply.error?.name}: ${reply.error?.message}`);
      return reply.result!;
    },
    async invokeFailing(event) {
      const reply = await send(event);
      if (reply.ok) throw new Error(`expected the handler to fail, it returned ${JSON.stringify(reply.result)}`);
      return reply.error?.message ?? '';
    },
    async withEnv(vars, fn) {
      const before = extraEnv;
      extraEnv = { ...extraEnv, ...vars };
      try {
        return await fn();
      } finally {
        // Restore in the runner too: the next invocation resets what this one changed.
        const restore: Record<string, string | null> = {};
        for (const k of Object.keys(vars)) restore[k] = k in before ? before[k] : k in ENV ? ENV[k] : null;
        extraEnv = { ...before, ...restore };
      }
    },
  };
}

// ----- event builders -----

export type Action = 'create' | 'update' | 'delete';

export interface Target {
  accountId: string;
  region: string;
  roleArn: string | null;
  sessionName?: string;
}

export const memberTarget = (region = 'us-east-1'): Target => ({ accountId: MEMBER_ACCOUNT, region, roleArn: MEMBER_ROLE, sessionName: SESSION_NAME });
export const managementTarget = (region = 'us-east-1'): Target => ({ accountId: MANAGEMENT_ACCOUNT, region, roleArn: null, sessionName: SESSION_NAME });

export interface Input {
  kind: string;
  name: string;
  target: Target;
  properties: Record<string, unknown>;
}

/** The event Terraform sends: the input plus `tf`. On delete the input is the previous input. */
export function tfEvent(input: Input, action: Action, prev: Input | null = null): Record<string, unknown> {
  return { ...input, tf: { action, prev_input: prev } };
}

export function enforcement(properties: Record<string, unknown> = {}, target: Target = memberTarget()): Input {
  const region = target.region;
  return {
    kind: 'EnforcedGuardrailConfiguration',
    name: 'Stack/Enforce',
    target,
    properties: {
      guardrailIdentifier: GUARDRAIL_ARN.replace('us-east-1', region),
      guardrailVersion: '3',
      selectiveContentGuarding: { system: 'SELECTIVE', messages: 'COMPREHENSIVE' },
      adoptExisting: false,
      ...properties,
    },
  };
}

export const policyDoc = (orgId = 'o-exampleorg') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OrgApply',
        Effect: 'Allow',
        Principal: '*',
        Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
        Resource: GUARDRAIL_ARN,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': orgId } },
      },
    ],
  });

export function resourcePolicyInput(properties: Record<string, unknown> = {}): Input {
  return {
    kind: 'GuardrailResourcePolicy',
    name: 'Stack/GuardrailPolicy',
    target: managementTarget(),
    properties: { resourceArn: GUARDRAIL_ARN, policy: policyDoc(), adoptExisting: false, ...properties },
  };
}

export function policyTypeInput(properties: Record<string, unknown> = {}): Input {
  return {
    kind: 'OrganizationPolicyType',
    name: 'Stack/BedrockPolicyType',
    target: managementTarget(),
    properties: { policyType: 'BEDROCK_POLICY', disableOnDelete: false, ...properties },
  };
}
