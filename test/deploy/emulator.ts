/**
 * The deploy tier's emulator process (test/deploy/emulator/server.py), started and stopped by PID,
 * and a client of its control API.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Organization } from '../../src';
import { fromEnvironment } from '../terraform/harness';

const SERVER = path.join(__dirname, 'emulator', 'server.py');
/** moto's internals the emulator patches were read at this release line. */
const MOTO_SERIES = '5.2.';
const START_TIMEOUT_MS = 30_000;
const CONTROL_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** The Python interpreter: `$DEPLOY_TIER_PYTHON`, else `python3` on PATH. */
export function pythonBinary(): string {
  return process.env.DEPLOY_TIER_PYTHON || 'python3';
}

/** What {@link emulatorAvailable} found. */
export type EmulatorAvailability = { readonly ok: true; readonly motoVersion: string } | { readonly ok: false; readonly reason: string };

/**
 * Environment variable through which the deploy tier's globalSetup hands every test file what
 * {@link emulatorAvailable} found (JSON), so Python is probed once per jest run.
 */
export const EMULATOR_AVAILABILITY_ENV = 'GUARDRAILS_EMULATOR_AVAILABILITY';

let availability: EmulatorAvailability | undefined;

/**
 * Whether this machine can run the emulator: Python with moto 5.2, Flask and werkzeug. Probed once
 * per process, or read from {@link EMULATOR_AVAILABILITY_ENV} when set.
 */
export function emulatorAvailable(): EmulatorAvailability {
  if (!availability) {
    availability = fromEnvironment<EmulatorAvailability>(EMULATOR_AVAILABILITY_ENV) ?? probeEmulator();
  }
  return availability;
}

function probeEmulator(): EmulatorAvailability {
  const probe = spawnSync(pythonBinary(), ['-c', [
    'import importlib.metadata as m',
    'import flask, werkzeug, moto, boto3',
    'print(m.version("moto"))',
  ].join('\n')], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return { ok: false, reason: `${pythonBinary()} cannot be run (${probe.error.message})` };
  if (probe.status !== 0) {
    return { ok: false, reason: `${pythonBinary()} lacks moto, Flask, werkzeug or boto3: ${(probe.stderr || '').trim().split('\n').pop()}` };
  }
  const motoVersion = probe.stdout.trim();
  if (!motoVersion.startsWith(MOTO_SERIES)) {
    return { ok: false, reason: `moto ${motoVersion} found; the emulator patches moto ${MOTO_SERIES}x internals` };
  }
  return { ok: true, motoVersion };
}

/** The organization the emulator creates, in the shape server.py reads. */
export interface OrganizationSeed {
  readonly organizationId: string;
  readonly rootId: string;
  readonly managementAccountId: string;
  readonly organizationalUnits: Array<{ id: string; name: string; parentId?: string; accounts: string[] }>;
  readonly rootAccounts: string[];
}

/**
 * The seed for an app's `Organization`: exactly the IDs it declares. An OU's parent is read from
 * the path of an account in it (the root when it holds none).
 */
export function seedOf(org: Organization): OrganizationSeed {
  const units = org.organizationalUnitIds().map((id) => {
    const accounts = org.allAccounts().filter((a) => org.organizationalUnitOf(a) === id);
    const withPath = org.accountsUnder(id).map((a) => org.pathOf(a)).find((p) => p.includes(id));
    const parent = withPath ? withPath[withPath.indexOf(id) - 1] : undefined;
    return { id, name: org.organizationalUnitName(id), ...(parent ? { parentId: parent } : {}), accounts };
  });
  const rootAccounts = org.allAccounts().filter((a) => org.organizationalUnitOf(a) === undefined && a !== org.managementAccountId);
  return { organizationId: org.organizationId, rootId: org.rootId, managementAccountId: org.managementAccountId, organizationalUnits: units, rootAccounts };
}

/** One recorded service call (GET /_emulator/calls). */
export interface RecordedCall {
  readonly seq: number;
  readonly endSeq?: number;
  readonly startMs: number;
  readonly endMs?: number;
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  /** `operator`: the management account's administrator role (operatorSession); `member`: a role assumed by a handler or an operator. */
  readonly caller: { readonly kind: 'terraform' | 'lambda' | 'operator' | 'member'; readonly arn: string };
  readonly keys: Readonly<Record<string, string>>;
  readonly status?: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly authorization?: { readonly action: string; readonly resource: string; readonly allowed: boolean; readonly reason?: string; readonly propagating?: boolean };
}

/** One Lambda invocation the emulator ran (GET /_emulator/invocations). */
export interface Invocation {
  readonly functionArn: string;
  readonly requestId: string;
  readonly event: unknown;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  readonly logs?: string[];
  readonly logsDropped?: string;
  readonly durationMs: number;
}

/** Credentials of an operator session, and its assumed-role ARN. */
export interface OperatorSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly arn: string;
}

/** A latency rule: matching calls are held `ms` before they are answered. */
export interface LatencyRule {
  readonly service: string;
  readonly operation: string;
  readonly ms: number;
  /** How many calls it applies to. @default every one */
  readonly times?: number;
}

/** What GET /_emulator/state returns (the parts the tier reads are typed). */
export interface EmulatorState {
  readonly iam: Record<string, { roles: Array<{ name: string; arn: string; inlinePolicies: Record<string, unknown>; attachedPolicies: string[] }> }>;
  readonly lambda: { functions: Array<{ account: string; region: string; name: string; arn: string }> };
  readonly logs: { logGroups: Array<{ account: string; region: string; name: string; streams: string[] }> };
  readonly organizations: {
    readonly enabledPolicyTypes: string[];
    readonly policies: Array<{ id: string; name: string; type: string; reportedToTerraformAs: string; content: string; targets: string[] }>;
  };
  readonly bedrock: {
    readonly guardrails: Array<{ arn: string; id: string; account: string; region: string; name: string; definition: Record<string, unknown>;
      tags: Record<string, string>; versions: Record<string, { description: string | null; definition: Record<string, unknown> }> }>;
    readonly resourcePolicies: Record<string, string>;
    readonly enforcedConfigurations: Array<{ account: string; region: string; configId: string; guardrailArn: string; guardrailVersion: string;
      createdBy: string; updatedBy: string; selectiveContentGuarding: Record<string, string>; modelEnforcement?: unknown }>;
  };
  readonly hazards: Array<Record<string, unknown> & { kind: string }>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A running emulator. */
export class Emulator {
  /**
   * Starts an emulator seeded with `org` and waits until it answers (at most 30 s). Handlers run
   * with the node running this process. The caller stops it with {@link stop}.
   */
  public static async start(org: Organization, options: { name?: string; maxLambdaSeconds?: number } = {}): Promise<Emulator> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `deploy-emulator-${options.name ?? 'run'}-`));
    const seedFile = path.join(dir, 'seed.json');
    const portFile = path.join(dir, 'port');
    const logFile = path.join(dir, 'emulator.log');
    fs.writeFileSync(seedFile, JSON.stringify(seedOf(org)));
    const log = fs.openSync(logFile, 'w');
    const child = spawn(pythonBinary(), [
      SERVER, '--seed', seedFile, '--port-file', portFile, '--node', process.execPath, '--work-dir', path.join(dir, 'work'),
      '--max-lambda-seconds', String(options.maxLambdaSeconds ?? 150), '--parent-pid', String(process.pid),
    ], { stdio: ['ignore', log, log], detached: true, env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } });
    fs.closeSync(log);
    running.add(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }));
    const emulator = new Emulator(child, dir, logFile, exited);
    const deadline = Date.now() + START_TIMEOUT_MS;
    let exitCode: number | null | undefined;
    void exited.then((code) => { exitCode = code; });
    while (!fs.existsSync(portFile)) {
      if (exitCode !== undefined) throw new Error(`The emulator exited (code ${exitCode}) before listening:\n${emulator.logTail()}`);
      if (Date.now() > deadline) {
        await emulator.stop();
        throw new Error(`The emulator did not listen within ${START_TIMEOUT_MS / 1000} s:\n${emulator.logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    emulator.url = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
    await emulator.control('GET', '/_emulator/health');
    return emulator;
  }

  /** Base URL of every emulated service (and of the control API under /_emulator/). */
  public url = '';

  private constructor(
    private readonly child: ChildProcess,
    /** Scratch directory: seed, port file, log, unpacked function code. */
    public readonly dir: string,
    private readonly logFile: string,
    private readonly exited: Promise<number | null>,
  ) {}

  /** The emulator's PID. */
  public get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines of the emulator's own output. */
  public logTail(lines = 40): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Stops the emulator: SIGTERM to its process group, SIGKILL after 5 s; removes its directory. */
  public async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      killGroup(this.child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** One control-API request; throws with the emulator's answer on a status >= 300. */
  public control<T = unknown>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.url}${route}`, {
        method,
        headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {},
        timeout: CONTROL_TIMEOUT_MS,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`emulator ${method} ${route}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as T);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`emulator ${method} ${route} timed out after ${CONTROL_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Every service call so far, in arrival order. */
  public async calls(): Promise<RecordedCall[]> {
    return (await this.control<{ calls: RecordedCall[] }>('GET', '/_emulator/calls')).calls;
  }

  /** Every Lambda invocation so far. */
  public async invocations(): Promise<Invocation[]> {
    return (await this.control<{ invocations: Invocation[] }>('GET', '/_emulator/invocations')).invocations;
  }

  /** What exists now. */
  public state(): Promise<EmulatorState> {
    return this.control<EmulatorState>('GET', '/_emulator/state');
  }

  /** New or changed inline role policies deny for `seconds` after PutRolePolicy (0: at once in effect). */
  public async setIamDelay(seconds: number): Promise<void> {
    await this.control('POST', '/_emulator/iam-delay', { seconds });
  }

  /** Replaces the latency rules. */
  public async setLatency(rules: LatencyRule[]): Promise<void> {
    await this.control('POST', '/_emulator/latency', { rules });
  }

  /**
   * Credentials of the management account's administrator role (PlatformAdmin): a principal other
   * than Terraform, as a person signed in through IAM Identity Center would be. Its calls are
   * checked against the role's policies, and Organizations shows it policy types as they are
   * (the stand-in type is told to Terraform only).
   */
  public operatorSession(sessionName = 'operator'): Promise<OperatorSession> {
    return this.control<OperatorSession>('POST', '/_emulator/operator-sessions', { sessionName });
  }

  /** Creates an enforced guardrail configuration as someone else would (no API checks). */
  public injectConfiguration(config: { account: string; region: string; createdBy: string; guardrailArn: string; guardrailVersion: string }) {
    return this.control<EmulatorState['bedrock']['enforcedConfigurations'][number]>('POST', '/_emulator/enforced-configurations', config);
  }
}
