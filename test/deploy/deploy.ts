/**
 * Deploy tier: the real `terraform apply`, re-plan, update and `destroy` of synthesized stacks
 * against the local emulator (emulator.ts), with the real hashicorp/aws provider from the
 * filesystem mirror.
 *
 * A stack goes through the Terraform tier's rewrite (test/terraform/harness.ts, prepareForCheck:
 * the mirror's provider version, TAG_POLICY for BEDROCK_POLICY, no 6.x-only guardrail arguments),
 * with its provider blocks pointed at the emulator instead of set up for an offline plan: an
 * `endpoints` entry per service, all the same URL, and static keys. Unlike the offline plan, the
 * provider asks STS who it is and checks `allowed_account_ids`, which the copy keeps, with `assume_role`.
 *
 * Time goes to the provider: terraform starts it three to five times per command (schema, validate,
 * plan, refresh and apply walks), ≈3 s of CPU each. Attaching every command to one long-lived
 * provider process (TF_REATTACH_PROVIDERS) was measured to save about an eighth of that, since the
 * provider still spends ≈7.5 s per plan on its schema and configuration, and one process cannot serve
 * several aliases; so terraform starts its providers as it does for users.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  describeTier, prepareForCheck, runTerraform, TerraformAvailability, terraformAvailable, TerraformDiagnostic, terraformInit, TerraformOutput,
} from '../terraform/harness';
import { Emulator, emulatorAvailable, RecordedCall } from './emulator';

type Json = Record<string, any>;

/** Services the stacks and the shim use, all served by the emulator. */
export const EMULATED_SERVICES = ['iam', 'sts', 'lambda', 'logs', 'organizations', 'bedrock'] as const;

/** Keys the provider signs with; the emulator maps unknown keys to the management account. */
const DEPLOYER_KEYS = { access_key: 'AKIADEPLOYTIER000001', secret_key: 'deploy-tier-secret' };

const TIMEOUTS = { init: 60_000, apply: 240_000, plan: 120_000, output: 60_000 };

let availability: TerraformAvailability | undefined;

/** Whether the tier can run here: terraform and the provider mirror, and Python with moto 5.2. */
export function deployTierAvailable(): TerraformAvailability {
  if (availability) return availability;
  const tf = terraformAvailable();
  if (!tf.ok) {
    availability = tf;
  } else {
    const emu = emulatorAvailable();
    availability = emu.ok ? tf : { ok: false, reason: emu.reason };
  }
  return availability;
}

/**
 * `describe` for deploy-tier tests: skipped with a message where terraform, the mirror or moto is
 * missing; under CI (`CI=true`) a failing test instead, so CI never skips the tier silently.
 */
export const describeDeploy = describeTier('deploy tier', deployTierAvailable);

/**
 * `describe` for tests of the emulator alone (Python with moto, no terraform): skipped where the
 * emulator cannot run, a failure under CI.
 */
export const describeEmulator = describeTier('deploy tier\'s emulator', emulatorAvailable);

/**
 * Rewrites a synthesized stack for a deploy against the emulator at `url`: the Terraform tier's
 * rewrite, with every `provider.aws` block (aliased or not, list or object form) keeping its
 * account checks and role assumption and getting the emulator as endpoint of every service and
 * static keys. The emulator answers sts:GetCallerIdentity, so unlike the offline plan the provider
 * validates its credentials and checks the account as it would in AWS (no skip_credentials_validation
 * or skip_requesting_account_id).
 */
export function prepareForEmulator(original: Json, url: string, awsProviderVersion: string, stackDir: string): Json {
  const { config, problems } = prepareForCheck(original, awsProviderVersion, {
    stackDir,
    provider: {
      keep: ['allowed_account_ids', 'forbidden_account_ids', 'assume_role'],
      set: {
        ...DEPLOYER_KEYS,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        endpoints: [Object.fromEntries(EMULATED_SERVICES.map((s) => [s, url]))],
      },
      describe: `static keys, every service's endpoint the emulator (${url})`,
    },
  });
  if (problems.length) {
    throw new Error(`The stack cannot be deployed:\n${problems.map((p) => `  - ${p.summary}: ${p.detail ?? ''}`).join('\n')}`);
  }
  return config as Json;
}

/** What a terraform command reported. */
export interface CommandResult {
  readonly ok: boolean;
  readonly errors: TerraformDiagnostic[];
  readonly output: TerraformOutput;
}

/** A resource change a plan would make. */
export interface PlannedChange {
  readonly address: string;
  readonly action: string;
}

/**
 * One deployed stack: a working directory with its Terraform state, reused across phases (an
 * update or the next phase of a walkthrough replaces the configuration and keeps the state).
 */
export class Deployment {
  /** The working directory (configuration, assets, .terraform, terraform.tfstate). */
  public readonly dir: string;
  /** Milliseconds per command, in order, for the tier's timing report. */
  public readonly timings: Array<{ command: string; ms: number }> = [];
  private initialized = false;
  /** The configuration last put in place by use(). */
  private config: Json | undefined;

  constructor(public readonly emulator: Emulator, public readonly name: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `deploy-${name}-`));
  }

  /** Puts a synthesized stack directory's configuration and assets in place (state is kept). */
  public use(stackDir: string): void {
    const tf = deployTierAvailable();
    if (!tf.ok) throw new Error(`Deploy tier unavailable: ${tf.reason}`);
    const original = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    fs.rmSync(path.join(this.dir, 'assets'), { recursive: true, force: true });
    if (fs.existsSync(path.join(stackDir, 'assets'))) fs.cpSync(path.join(stackDir, 'assets'), path.join(this.dir, 'assets'), { recursive: true });
    this.config = prepareForEmulator(original, this.emulator.url, tf.awsProviderVersion, this.dir);
    fs.writeFileSync(path.join(this.dir, 'cdk.tf.json'), JSON.stringify(this.config, null, 2));
  }

  private async run(command: string, args: string[], timeoutMs: number): Promise<CommandResult> {
    const tf = deployTierAvailable();
    if (!tf.ok) throw new Error(`Deploy tier unavailable: ${tf.reason}`);
    return this.timed(command, runTerraform(tf.terraform, tf.mirror, this.dir, args, timeoutMs));
  }

  private async timed(command: string, running: Promise<TerraformOutput>): Promise<CommandResult> {
    const started = Date.now();
    const output = await running;
    this.timings.push({ command, ms: Date.now() - started });
    return { ok: output.errors.length === 0, errors: output.errors, output };
  }

  /**
   * `terraform init` once, as the Terraform tier runs it (terraformInit): a lock file without
   * checksums, so no later command hashes the 700 MB provider. Later configurations of the same
   * deployment need hashicorp/aws only too (every stack the tier deploys does), so it stays valid.
   */
  private async init(): Promise<void> {
    if (this.initialized) return;
    const tf = deployTierAvailable();
    if (!tf.ok) throw new Error(`Deploy tier unavailable: ${tf.reason}`);
    if (!this.config) throw new Error(`Deployment ${this.name}: use() a stack before running terraform`);
    const r = await this.timed('init', terraformInit(tf, this.dir, [this.config], TIMEOUTS.init));
    if (!r.ok) throw new Error(await this.explain('terraform init', r));
    this.initialized = true;
  }

  /** `terraform apply`; throws with terraform's errors and what the emulator saw when it fails. */
  public async apply(): Promise<CommandResult> {
    const r = await this.applyMayFail();
    if (!r.ok) throw new Error(await this.explain('terraform apply', r));
    return r;
  }

  /** `terraform apply`, returning failures instead of throwing. */
  public async applyMayFail(): Promise<CommandResult> {
    await this.init();
    return this.run('apply', ['apply', '-auto-approve', '-input=false', '-json', '-lock=false'], TIMEOUTS.apply);
  }

  /** `terraform plan` (with refresh): the changes it would make. */
  public async plan(): Promise<PlannedChange[]> {
    await this.init();
    const r = await this.run('plan', ['plan', '-input=false', '-json', '-lock=false'], TIMEOUTS.plan);
    if (!r.ok) throw new Error(await this.explain('terraform plan', r));
    return r.output.changes.filter((c) => c.action !== 'noop').map((c) => ({ address: c.address, action: c.action }));
  }

  /** `terraform destroy`; throws when it fails. */
  public async destroy(): Promise<CommandResult> {
    await this.init();
    const r = await this.run('destroy', ['apply', '-destroy', '-auto-approve', '-input=false', '-json', '-lock=false'], TIMEOUTS.apply);
    if (!r.ok) throw new Error(await this.explain('terraform destroy', r));
    return r;
  }

  /** The stack's outputs (`terraform output -json`), name to value. */
  public async outputs(): Promise<Record<string, unknown>> {
    const r = await this.run('output', ['output', '-json'], TIMEOUTS.output);
    if (!r.ok) throw new Error(await this.explain('terraform output', r));
    const parsed = JSON.parse(r.output.stdout || '{}') as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

  /** Addresses in the Terraform state. */
  public stateAddresses(): string[] {
    const file = path.join(this.dir, 'terraform.tfstate');
    if (!fs.existsSync(file)) return [];
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    return (state.resources ?? []).flatMap((r: Json) => (r.instances ?? []).map(() => `${r.type}.${r.name}`));
  }

  /** A failure report: terraform's errors, the calls the emulator refused, failed invocations. */
  public async explain(what: string, r: CommandResult): Promise<string> {
    const lines = [`${what} failed in ${this.dir} (stack ${this.name}):`];
    for (const d of r.errors) lines.push(`  - ${d.summary}${d.address ? ` [${d.address}]` : ''}${d.detail ? `\n      ${d.detail.split('\n').join('\n      ')}` : ''}`);
    try {
      const failed = (await this.emulator.calls()).filter((c) => (c.status ?? 0) >= 400).slice(-15);
      if (failed.length) lines.push('  Calls the emulator answered with an error (last 15):', ...failed.map((c) => `    ${describeCall(c)}`));
      const invocations = (await this.emulator.invocations()).filter((i) => !i.ok).slice(-5);
      for (const i of invocations) lines.push(`  Failed invocation ${i.requestId}: ${i.error?.errorType}: ${i.error?.errorMessage}`);
    } catch (e) {
      lines.push(`  (the emulator could not be asked: ${(e as Error).message})`, this.emulator.logTail());
    }
    return lines.join('\n');
  }

  /** Removes the working directory. */
  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One line per call, for messages. */
export function describeCall(c: RecordedCall): string {
  const keys = Object.entries(c.keys).map(([k, v]) => `${k}=${v}`).join(' ');
  const outcome = c.error ? `${c.status} ${c.error.code}: ${c.error.message.slice(0, 300)}` : String(c.status);
  return `#${c.seq} ${c.service}:${c.operation} (${c.caller.kind}, ${c.account} ${c.region}) ${keys} -> ${outcome}`;
}
