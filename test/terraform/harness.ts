/**
 * Terraform tier: checks a synthesized cdktf stack with the real `terraform` CLI and the real
 * hashicorp/aws provider, offline, from a local filesystem mirror.
 *
 * The check copies the stack directory into a temporary working directory, rewrites the copy so an
 * offline plan is possible (see {@link prepareForCheck}), then runs
 * `terraform init` and `terraform plan -json -refresh=false -out=...`. `terraform plan` runs the same
 * validation walk as `terraform validate`, so a separate `validate` (≈3 s: every terraform command
 * loads the provider's 13 MB schema) is off unless asked for; so is `terraform show -json`.
 * {@link checkStacksWithTerraform} checks several stacks with one set of commands, as modules of one
 * root module, so the schema is loaded once per command for all of them.
 *
 * The mirror holds hashicorp/aws 5.100.0 while `@cdktf/provider-aws` 21.22.1 is generated from 6.25.0:
 * arguments added after 5.100.0 fail this check ("Extraneous JSON object property" in JSON configuration).
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';

// ---------------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------------

/** Directory of the provider mirror; overridable for machines that keep it elsewhere. */
const DEFAULT_MIRROR = '/opt/tf-plugins';
const MIRROR_ENV = 'TF_PROVIDER_MIRROR';
const AWS_PROVIDER_DIR = path.join('registry.terraform.io', 'hashicorp', 'aws');
/** `init -json` (structured diagnostics for every command) arrived in Terraform 1.9. */
const MIN_TERRAFORM: readonly [number, number] = [1, 9];

/** What {@link terraformAvailable} found. */
export type TerraformAvailability =
  | {
    readonly ok: true;
    /** Absolute path of the `terraform` binary. */
    readonly terraform: string;
    readonly terraformVersion: string;
    /** The filesystem mirror directory. */
    readonly mirror: string;
    /** hashicorp/aws version the check runs, the newest in the mirror. */
    readonly awsProviderVersion: string;
  }
  | { readonly ok: false; readonly reason: string };

let availability: TerraformAvailability | undefined;

/**
 * Environment variable through which a jest `globalSetup` hands every test file what it found
 * (JSON of {@link TerraformAvailability}), so `terraform version` runs once per jest run instead
 * of once per test file (see test/deploy/global-setup.ts).
 */
export const TERRAFORM_AVAILABILITY_ENV = 'GUARDRAILS_TERRAFORM_AVAILABILITY';

/**
 * Whether the Terraform tier can run here: a `terraform` ≥ 1.9 on `PATH` and hashicorp/aws for this
 * platform in the filesystem mirror (`$TF_PROVIDER_MIRROR`, default `/opt/tf-plugins`).
 * Computed once per process, or read from {@link TERRAFORM_AVAILABILITY_ENV} when set.
 */
export function terraformAvailable(): TerraformAvailability {
  availability ??= fromEnvironment<TerraformAvailability>(TERRAFORM_AVAILABILITY_ENV) ?? detect();
  return availability;
}

/**
 * An availability a globalSetup computed, from the environment variable `name` (JSON with an
 * `ok` flag), or undefined when it is unset. Malformed JSON throws: the setup wrote it.
 */
export function fromEnvironment<T extends TierAvailability>(name: string): T | undefined {
  const text = process.env[name];
  if (!text) return undefined;
  const parsed = JSON.parse(text) as T;
  if (typeof parsed?.ok !== 'boolean') throw new Error(`${name} is not an availability: ${text}`);
  return parsed;
}

function detect(): TerraformAvailability {
  const terraform = findOnPath('terraform');
  if (!terraform) return { ok: false, reason: 'no `terraform` binary on PATH' };
  const run = spawnSync(terraform, ['version', '-json'], { encoding: 'utf8', env: terraformEnv(), timeout: 30_000 });
  let terraformVersion: string | undefined;
  try {
    terraformVersion = JSON.parse(run.stdout).terraform_version;
  } catch {
    // handled below
  }
  if (run.status !== 0 || !terraformVersion) {
    return { ok: false, reason: `\`${terraform} version -json\` failed: ${(run.stderr || String(run.error ?? '')).trim()}` };
  }
  const [major, minor] = terraformVersion.split('.').map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    return { ok: false, reason: `terraform ${terraformVersion} at ${terraform} is older than ${MIN_TERRAFORM.join('.')}` };
  }
  const mirror = process.env[MIRROR_ENV] || DEFAULT_MIRROR;
  const awsProviderVersion = mirroredAwsVersion(mirror);
  if (!awsProviderVersion) {
    return {
      ok: false,
      reason: `no hashicorp/aws provider for ${platform()} in the filesystem mirror ${mirror} ` +
        `(expected ${path.join(mirror, AWS_PROVIDER_DIR, '<version>', platform())}/terraform-provider-aws_*; set ${MIRROR_ENV} to use another mirror)`,
    };
  }
  return { ok: true, terraform, terraformVersion, mirror, awsProviderVersion };
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function platform(): string {
  const osName = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${osName}_${arch}`;
}

/** Newest hashicorp/aws version with a binary for this platform, unpacked or packed layout. */
function mirroredAwsVersion(mirror: string): string | undefined {
  const dir = path.join(mirror, AWS_PROVIDER_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const versions = new Set<string>();
  for (const entry of entries) {
    const packed = /^terraform-provider-aws_(\d+\.\d+\.\d+)_(\w+_\w+)\.zip$/.exec(entry);
    if (packed && packed[2] === platform()) versions.add(packed[1]);
    if (/^\d+\.\d+\.\d+$/.test(entry)) {
      const bin = path.join(dir, entry, platform());
      try {
        if (fs.readdirSync(bin).some((f) => f.startsWith('terraform-provider-aws'))) versions.add(entry);
      } catch {
        // no binary for this platform
      }
    }
  }
  return [...versions].sort(compareVersions).pop();
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Rewriting the copy for an offline check
// ---------------------------------------------------------------------------------------------------

/** A plain JSON object. */
type Json = Record<string, unknown>;

/**
 * `aws_organizations_policy.type` the check uses in place of `BEDROCK_POLICY`, which 5.100.0's
 * enum rejects. TAG_POLICY is a management policy with the same `@@assign` syntax; at plan time the
 * provider only checks that `content` is JSON, so the document itself is checked by our own tests.
 */
export const BEDROCK_POLICY_CHECK_TYPE = 'TAG_POLICY';

/**
 * Resource and data source types whose 5.x schema already has its own `region` argument, so
 * `region` there is not the 6.x per-resource argument (read from the 5.100.0 schema).
 */
const NATIVE_REGION_TYPES: ReadonlySet<string> = new Set([
  'aws_cloudformation_stack_set_instance', 'aws_config_aggregate_authorization', 'aws_opsworks_stack',
  'aws_servicequotas_template', 'aws_apprunner_hosted_zone_id', 'aws_cloudfront_log_delivery_canonical_user_id',
  'aws_cloudtrail_service_account', 'aws_elastic_beanstalk_hosted_zone', 'aws_elb_hosted_zone_id',
  'aws_elb_service_account', 'aws_lb_hosted_zone_id', 'aws_redshift_service_account',
  'aws_sagemaker_prebuilt_ecr_image', 'aws_service', 'aws_service_principal', 'aws_servicequotas_templates',
  'aws_vpc_peering_connection',
]);

const DIRECTIONS = ['input_action', 'input_enabled', 'output_action', 'output_enabled'];

/**
 * Nested arguments hashicorp/aws 6.x added to resources this library emits, which the mirror's
 * 5.100.0 rejects (compared schema to schema). The check drops them from the copy, like the
 * BEDROCK_POLICY type: their values are asserted by the library's own tests, and everything else
 * in the resource is still checked by terraform. A 6.x argument not listed here fails the check.
 */
export const SIX_X_ONLY_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_bedrock_guardrail: [
    'cross_region_config',
    'content_policy_config.tier_config',
    ...[...DIRECTIONS, 'input_modalities', 'output_modalities'].map((a) => `content_policy_config.filters_config.${a}`),
    'topic_policy_config.tier_config',
    ...DIRECTIONS.map((a) => `word_policy_config.words_config.${a}`),
    ...DIRECTIONS.map((a) => `word_policy_config.managed_word_lists_config.${a}`),
    ...DIRECTIONS.map((a) => `sensitive_information_policy_config.pii_entities_config.${a}`),
    ...DIRECTIONS.map((a) => `sensitive_information_policy_config.regexes_config.${a}`),
  ],
};

/** Removes `path` (dotted, through nested blocks and lists) from `body`; true when anything was removed. */
function dropPath(body: unknown, parts: readonly string[]): boolean {
  let dropped = false;
  for (const b of blocks(body)) {
    if (parts.length === 1) {
      if (parts[0] in b) {
        delete b[parts[0]];
        dropped = true;
      }
    } else if (parts[0] in b) {
      dropped = dropPath(b[parts[0]], parts.slice(1)) || dropped;
    }
  }
  return dropped;
}

/**
 * Provider arguments that need real credentials, a real account or local AWS config files: an
 * offline plan cannot honour them, so the copy drops them.
 */
const OFFLINE_UNSUPPORTED_PROVIDER_ARGS = [
  'assume_role', 'assume_role_with_web_identity', 'profile', 'shared_config_files', 'shared_credentials_files',
  'allowed_account_ids', 'forbidden_account_ids',
];

const OFFLINE_PROVIDER_SETTINGS = {
  access_key: 'offline-check',
  secret_key: 'offline-check',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

/**
 * How {@link prepareForCheck} rewrites `provider.aws` blocks, when not for an offline plan: the
 * deploy tier keeps the account checks and role assumption, and sets the emulator's endpoints and keys.
 */
export interface ProviderRewrite {
  /** Arguments of {@link OFFLINE_UNSUPPORTED_PROVIDER_ARGS} the copy keeps. @default none */
  readonly keep?: readonly string[];
  /** What every block gets set, in place of the offline plan's dummy keys and `skip_*` flags. */
  readonly set: Readonly<Json>;
  /** The rewrite's line in the report, after the block's label. */
  readonly describe: string;
}

/** Result of {@link prepareForCheck}. */
export interface PreparedConfig {
  /** The rewritten configuration; the input object is left untouched. */
  readonly config: Json;
  /** One line per rewrite, for the check's report. */
  readonly rewrites: string[];
  /** Problems found before running terraform; the check fails with these. */
  readonly problems: TerraformDiagnostic[];
}

/**
 * Rewrites a synthesized `cdk.tf.json` (already parsed) for an offline check against the mirror's
 * hashicorp/aws version. Pure: returns a new object.
 *
 * - `required_providers` entries for hashicorp/aws get the mirror's version as constraint;
 * - every `provider.aws` block (aliased or not, list or object form) gets dummy static keys and the
 *   four `skip_*` flags, and loses the arguments in {@link OFFLINE_UNSUPPORTED_PROVIDER_ARGS}
 *   (with `provider`: gets `provider.set` instead, and keeps the arguments in `provider.keep`);
 * - `terraform.backend` and `terraform.cloud` are removed, so state is local;
 * - `aws_organizations_policy` of type `BEDROCK_POLICY` gets {@link BEDROCK_POLICY_CHECK_TYPE}
 *   (unless `substituteBedrockPolicyType` is false);
 * - the 6.x-only arguments in {@link SIX_X_ONLY_ARGUMENTS} are removed (unless `dropSixOnlyArguments`
 *   is false).
 *
 * Reported as problems, not rewritten: the 6.x per-resource `region` argument (the library does not
 * emit it) and `assets/...` paths that do not exist under `stackDir` (plan does not read them).
 */
export function prepareForCheck(
  original: Json,
  awsProviderVersion: string,
  options: { substituteBedrockPolicyType?: boolean; dropSixOnlyArguments?: boolean; stackDir?: string; provider?: ProviderRewrite } = {},
): PreparedConfig {
  const config = structuredClone(original);
  const rewrites: string[] = [];
  const problems: TerraformDiagnostic[] = [];

  for (const terraform of blocks(config.terraform)) {
    for (const [name, requirement] of Object.entries(asObject(terraform.required_providers) ?? {})) {
      const req = asObject(requirement);
      if (req && isHashicorpAws(req.source ?? name) && req.version !== awsProviderVersion) {
        rewrites.push(`terraform.required_providers.${name}.version: ${JSON.stringify(req.version)} -> "${awsProviderVersion}"`);
        req.version = awsProviderVersion;
      }
    }
    for (const key of ['backend', 'cloud']) {
      if (key in terraform) {
        rewrites.push(`terraform.${key} removed (local state)`);
        delete terraform[key];
      }
    }
  }

  for (const providers of blocks(config.provider)) {
    for (const block of blocks(providers.aws)) {
      const label = `provider.aws${typeof block.alias === 'string' ? ` (alias ${block.alias})` : ''}`;
      const kept = options.provider?.keep ?? [];
      const dropped = OFFLINE_UNSUPPORTED_PROVIDER_ARGS.filter((arg) => arg in block && !kept.includes(arg));
      for (const arg of dropped) delete block[arg];
      Object.assign(block, structuredClone(options.provider?.set ?? OFFLINE_PROVIDER_SETTINGS));
      const what = options.provider?.describe ?? 'dummy keys and skip_* flags';
      rewrites.push(`${label}: ${what}${dropped.length ? `; removed ${dropped.join(', ')}` : ''}`);
    }
  }

  forEachBody(config, (kind, type, name, body) => {
    const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
    if (type.startsWith('aws_') && 'region' in body && !NATIVE_REGION_TYPES.has(type)) {
      problems.push({
        severity: 'error',
        summary: 'Per-resource `region` argument',
        detail: `${address} sets \`region\`, an argument hashicorp/aws added in 6.0 that this library does not emit. ` +
          'Deploy to another region through a provider for that region (`provider`), not `region` on the resource.',
        address,
      });
    }
    if (kind === 'resource' && options.dropSixOnlyArguments !== false) {
      const dropped = (SIX_X_ONLY_ARGUMENTS[type] ?? []).filter((p) => dropPath(body, p.split('.')));
      if (dropped.length) rewrites.push(`${address}: removed 6.x-only ${dropped.join(', ')} (hashicorp/aws ${awsProviderVersion} lacks them)`);
    }
    if (kind === 'resource' && type === 'aws_organizations_policy' && body.type === 'BEDROCK_POLICY' &&
      options.substituteBedrockPolicyType !== false) {
      body.type = BEDROCK_POLICY_CHECK_TYPE;
      rewrites.push(`${address}.type: BEDROCK_POLICY -> ${BEDROCK_POLICY_CHECK_TYPE} (hashicorp/aws ${awsProviderVersion} rejects BEDROCK_POLICY)`);
    }
    if (options.stackDir) {
      for (const assetPath of assetPaths(body)) {
        if (!fs.existsSync(path.join(options.stackDir, assetPath))) {
          problems.push({
            severity: 'error',
            summary: 'Missing asset',
            detail: `${address} refers to ${assetPath}, which is not in the stack directory. ` +
              'Synthesize with Testing.fullSynth or `cdktf synth`, which copy TerraformAsset files into the stack.',
            address,
          });
        }
      }
    }
  });

  return { config, rewrites, problems };
}

function isHashicorpAws(source: unknown): boolean {
  return typeof source === 'string' && /^((registry\.terraform\.io\/)?hashicorp\/)?aws$/i.test(source);
}

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Terraform's JSON syntax allows a block as an object or as a list of objects. */
function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.map(asObject).filter((v): v is Json => v !== undefined);
  const single = asObject(value);
  return single ? [single] : [];
}

function forEachBody(config: Json, fn: (kind: 'resource' | 'data', type: string, name: string, body: Json) => void): void {
  for (const kind of ['resource', 'data'] as const) {
    for (const byType of blocks(config[kind])) {
      for (const [type, byName] of Object.entries(byType)) {
        for (const named of blocks(byName)) {
          for (const [name, body] of Object.entries(named)) {
            for (const b of blocks(body)) fn(kind, type, name, b);
          }
        }
      }
    }
  }
}

/** Relative paths to synthesized `TerraformAsset` files (`assets/<id>/<hash>/...`) in a body. */
function assetPaths(value: unknown): string[] {
  if (typeof value === 'string') return /^assets\/\S+$/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(assetPaths);
  const obj = asObject(value);
  return obj ? Object.values(obj).flatMap(assetPaths) : [];
}

// ---------------------------------------------------------------------------------------------------
// Running terraform
// ---------------------------------------------------------------------------------------------------

/** A terraform diagnostic, as `-json` output reports it. */
export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  /** Resource or provider address, when terraform names one. */
  readonly address?: string;
  /** Where in the JSON configuration, e.g. `resource.aws_cloudwatch_log_group.logs`. */
  readonly context?: string;
}

/** One planned change, from the plan's `planned_change` messages. */
export interface PlannedResourceChange {
  /** e.g. `aws_iam_role.shim` or `module.x.aws_iam_role.shim[0]`. */
  readonly address: string;
  /** e.g. `aws_iam_role`. */
  readonly type: string;
  /** Terraform's verb: `create`, `update`, `replace`, `delete`, `read`, `noop`, ... */
  readonly action: string;
}

/** Options of {@link checkWithTerraform}. */
export interface TerraformCheckOptions {
  /**
   * Also run `terraform validate -json` before the plan. Plan runs the same validation, so this
   * only adds time (≈3 s); it exists to compare the two.
   * @default false
   */
  readonly validate?: boolean;
  /**
   * Run `terraform show -json` on the saved plan and return it as `plan` (≈3 s more).
   * @default false
   */
  readonly showPlan?: boolean;
  /**
   * Substitute {@link BEDROCK_POLICY_CHECK_TYPE} for `BEDROCK_POLICY` in the copy.
   * @default true
   */
  readonly substituteBedrockPolicyType?: boolean;
  /**
   * Drop the 6.x-only arguments in {@link SIX_X_ONLY_ARGUMENTS} from the copy.
   * @default true
   */
  readonly dropSixOnlyArguments?: boolean;
  /**
   * Time limit of each terraform command, in milliseconds.
   * @default 120000
   */
  readonly commandTimeoutMs?: number;
  /**
   * Keep the temporary working directory (its path is in the result or the error).
   * @default false, or true when the environment sets TF_CHECK_KEEP_WORKDIR=1
   */
  readonly keepWorkDir?: boolean;
  /**
   * A Terraform state (format 4) to plan against, as if the stack had been applied before: plan
   * then shows updates and replacements instead of creations.
   * @default none: an empty state
   */
  readonly priorState?: Record<string, unknown>;
}

/** What a passing check returns. */
export interface TerraformCheckResult {
  /** Every planned resource change, sorted by address. */
  readonly resourceChanges: PlannedResourceChange[];
  /** Warnings terraform reported (errors throw). */
  readonly diagnostics: TerraformDiagnostic[];
  /** What the copy changed for the check (see {@link prepareForCheck}). */
  readonly rewrites: string[];
  /** `terraform show -json` of the plan, when `showPlan` is set. */
  readonly plan?: Json;
  /** Milliseconds spent per step; `queued` is time waiting for a concurrency slot. */
  readonly timings: Readonly<Timings>;
  /** hashicorp/aws version that checked the stack. */
  readonly awsProviderVersion: string;
  /** Set only when the working directory was kept. */
  readonly workDir?: string;
  /**
   * Set by {@link checkStacksWithTerraform}: how many stacks the terraform commands checked
   * together (1 when this stack was checked alone), and why it was checked alone.
   */
  readonly batch?: { readonly stacks: number; readonly checkedAloneBecause?: string };
}

/** Milliseconds per step of a check. */
interface Timings { queued: number; init: number; validate?: number; plan: number; show?: number; total: number }

/** Thrown when a stack fails the check; the message lists terraform's diagnostics. */
export class TerraformCheckError extends Error {
  constructor(
    /** The step that failed. */
    public readonly step: 'prepare' | 'init' | 'validate' | 'plan' | 'show',
    /** Error diagnostics (and warnings that came with them). */
    public readonly diagnostics: TerraformDiagnostic[],
    message: string,
  ) {
    super(message);
    this.name = 'TerraformCheckError';
  }
}

/**
 * Checks a synthesized stack directory (`cdktf.out/stacks/<name>`, holding `cdk.tf.json` and its
 * `assets/`) with `terraform init` and an offline `terraform plan` against the mirrored hashicorp/aws.
 *
 * Asynchronous: at most {@link checkConcurrency} checks run at once per process (each terraform
 * command keeps about one core busy); start several and await them together to use the slots.
 * The input directory is never modified: everything happens in a temporary copy.
 *
 * @throws TerraformCheckError with terraform's diagnostics when the stack does not validate or plan,
 *   and Error when the tier is unavailable (see {@link terraformAvailable}).
 */
export async function checkWithTerraform(stackDir: string, opts: TerraformCheckOptions = {}): Promise<TerraformCheckResult> {
  const tf = terraformAvailable();
  if (!tf.ok) throw new Error(`Terraform tier unavailable: ${tf.reason}`);
  const mainFile = path.join(stackDir, 'cdk.tf.json');
  if (!fs.existsSync(mainFile)) throw new Error(missingStackMessage(stackDir));

  const queuedAt = Date.now();
  const release = await acquireSlot();
  const started = Date.now();
  const keep = keepWorkDir(opts);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-check-'));
  const stackName = path.basename(path.resolve(stackDir));
  try {
    copyStack(stackDir, workDir);
    const { config, rewrites, problems } = prepareForCheck(JSON.parse(fs.readFileSync(mainFile, 'utf8')), tf.awsProviderVersion, {
      substituteBedrockPolicyType: opts.substituteBedrockPolicyType,
      dropSixOnlyArguments: opts.dropSixOnlyArguments,
      stackDir: workDir,
    });
    if (problems.length) throw checkError('prepare', stackName, tf.awsProviderVersion, problems, keep ? workDir : undefined);
    fs.writeFileSync(path.join(workDir, 'cdk.tf.json'), JSON.stringify(config, null, 2));
    if (opts.priorState) fs.writeFileSync(path.join(workDir, 'terraform.tfstate'), JSON.stringify(opts.priorState));

    const steps = await runSteps(tf, workDir, [config], stackName, opts, opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, keep);
    const timings: Timings = { queued: started - queuedAt, ...steps.timings, total: Date.now() - started };
    return {
      resourceChanges: sortChanges(steps.changes.map(({ address, type, action }) => ({ address, type, action }))),
      diagnostics: dedupe(steps.warnings),
      rewrites,
      plan: steps.plan,
      timings,
      awsProviderVersion: tf.awsProviderVersion,
      workDir: keep ? workDir : undefined,
    };
  } finally {
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
    release();
  }
}

const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

function keepWorkDir(opts: TerraformCheckOptions): boolean {
  return opts.keepWorkDir ?? process.env.TF_CHECK_KEEP_WORKDIR === '1';
}

/** Copies a stack directory without what an earlier `terraform` run left in it. */
function copyStack(stackDir: string, to: string): void {
  fs.cpSync(stackDir, to, { recursive: true, filter: (src) => !isTerraformLocalState(src, stackDir) });
}

function sortChanges<T extends PlannedResourceChange>(changes: T[]): T[] {
  return changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Resource and data source types of the `terraform.io/builtin/terraform` provider. */
const BUILTIN_TYPES: ReadonlySet<string> = new Set(['terraform_data', 'terraform_remote_state']);

/**
 * Top-level blocks in which {@link needsOnlyAws} sees every provider used; any other (`module`,
 * `check`, `ephemeral`, ...) may use a provider it does not see.
 */
const PROVIDER_READABLE_BLOCKS: ReadonlySet<string> = new Set([
  'terraform', 'provider', 'resource', 'data', 'output', 'locals', 'variable', 'moved', 'removed', 'import', '//',
]);

/**
 * Whether the only provider a (prepared) configuration needs is hashicorp/aws, besides the built-in
 * one: no provider blocks, requirements or resource types of any other, no modules.
 */
function needsOnlyAws(config: Json): boolean {
  if (Object.keys(config).some((key) => !PROVIDER_READABLE_BLOCKS.has(key))) return false;
  for (const terraform of blocks(config.terraform)) {
    for (const [name, requirement] of Object.entries(asObject(terraform.required_providers) ?? {})) {
      if (!isHashicorpAws(asObject(requirement)?.source ?? name)) return false;
    }
  }
  if (blocks(config.provider).some((providers) => Object.keys(providers).some((name) => name !== 'aws'))) return false;
  let onlyAws = true;
  forEachBody(config, (_kind, type) => {
    if (!type.startsWith('aws_') && !BUILTIN_TYPES.has(type)) onlyAws = false;
  });
  return onlyAws;
}

/**
 * Writes the working directory's lock file for the mirrored hashicorp/aws without checksums, for
 * `init -lockfile=readonly`. A lock file that records a checksum makes every terraform command
 * hash the installed provider to compare (the 700 MB binary: ≈0.6 s of CPU per command, measured);
 * one without makes none do. It still pins the version, which plan checks against the constraints.
 * The copy's lock file is thrown away after the check, so nothing relies on its checksums.
 */
function seedLockFile(workDir: string, awsProviderVersion: string, configs: readonly Json[]): void {
  const constrained = configs.some((c) => blocks(c.terraform).some((t) => Object.keys(asObject(t.required_providers) ?? {}).length > 0));
  fs.writeFileSync(path.join(workDir, '.terraform.lock.hcl'), [
    'provider "registry.terraform.io/hashicorp/aws" {',
    `  version     = ${JSON.stringify(awsProviderVersion)}`,
    ...(constrained ? [`  constraints = ${JSON.stringify(awsProviderVersion)}`] : []),
    '}',
    '',
  ].join('\n'));
}

/** What the terraform commands of one check produced. */
interface StepsOutput {
  readonly warnings: TerraformDiagnostic[];
  readonly changes: PlannedChange[];
  readonly plan?: Json;
  readonly timings: Omit<Timings, 'queued' | 'total'>;
  /** The file each diagnostic names, relative to the working directory, where terraform says. */
  readonly files: ReadonlyMap<TerraformDiagnostic, string>;
}

/**
 * `terraform init` in a prepared working directory holding `configs` (each stack's configuration,
 * as written there). When they need hashicorp/aws only, it first seeds a lock file without
 * checksums ({@link seedLockFile}) and runs with `-lockfile=readonly`, so no later command hashes
 * the provider. Init's notes about the lock file (it lacks other platforms' checksums, or, seeded,
 * the installed package's) are left out of the warnings: the working directory's lock file is
 * never kept. Errors are returned, not thrown.
 */
export async function terraformInit(
  tf: Extract<TerraformAvailability, { ok: true }>, workDir: string, configs: readonly Json[], timeoutMs: number,
): Promise<TerraformOutput> {
  const seeded = configs.every(needsOnlyAws);
  if (seeded) seedLockFile(workDir, tf.awsProviderVersion, configs);
  const out = await runTerraform(tf.terraform, tf.mirror, workDir, ['init', '-input=false', '-json', ...(seeded ? ['-lockfile=readonly'] : [])], timeoutMs);
  return {
    ...out,
    warnings: out.warnings.filter((w) => w.summary !== 'Incomplete lock file information for providers' && !(seeded && w.summary === 'Provider lock file not updated')),
  };
}

/**
 * Runs `init` ({@link terraformInit}), then `validate` when asked, `plan`, and `show` when asked,
 * in a prepared working directory. The first command that reports an error throws a
 * {@link TerraformCheckError} naming `label`.
 */
async function runSteps(
  tf: Extract<TerraformAvailability, { ok: true }>, workDir: string, configs: readonly Json[], label: string,
  opts: TerraformCheckOptions, timeoutMs: number, keep: boolean,
): Promise<StepsOutput> {
  const files = new Map<TerraformDiagnostic, string>();
  const checked = (step: TerraformStep, out: TerraformOutput) => {
    if (out.errors.length) throw checkError(step, label, tf.awsProviderVersion, [...out.errors, ...out.warnings], keep ? workDir : undefined);
    for (const [d, f] of out.files) files.set(d, f);
    return out;
  };
  const run = (step: TerraformStep, args: string[]) => runTerraform(tf.terraform, tf.mirror, workDir, args, timeoutMs).then((out) => checked(step, out));

  const timings: Omit<Timings, 'queued' | 'total'> = { init: 0, plan: 0 };
  const warnings: TerraformDiagnostic[] = [];
  let t = Date.now();
  warnings.push(...checked('init', await terraformInit(tf, workDir, configs, timeoutMs)).warnings);
  timings.init = Date.now() - t;
  if (opts.validate) {
    t = Date.now();
    warnings.push(...(await run('validate', ['validate', '-json'])).warnings);
    timings.validate = Date.now() - t;
  }
  t = Date.now();
  const planOut = await run('plan', ['plan', '-json', '-input=false', '-refresh=false', '-lock=false', '-out=check.tfplan']);
  timings.plan = Date.now() - t;
  warnings.push(...planOut.warnings);
  let plan: Json | undefined;
  if (opts.showPlan) {
    t = Date.now();
    plan = JSON.parse((await run('show', ['show', '-json', 'check.tfplan'])).stdout);
    timings.show = Date.now() - t;
  }
  return { warnings, changes: planOut.changes, plan, timings, files };
}

// ---------------------------------------------------------------------------------------------------
// Several stacks in one terraform run
// ---------------------------------------------------------------------------------------------------

/** Options of {@link checkStacksWithTerraform}. */
export interface TerraformBatchCheckOptions extends TerraformCheckOptions {
  /**
   * Most stacks checked by one set of terraform commands.
   * @default `$TF_CHECK_BATCH_SIZE`, else every stack given
   */
  readonly maxStacksPerBatch?: number;
}

/**
 * Blocks terraform accepts only in a root module or gives root-module meaning (a root variable is
 * set from outside, a module's is a required argument): a stack holding one is checked alone.
 */
const ROOT_MODULE_BLOCKS = ['import', 'variable'];

/** Name of the module that holds the `index`-th stack of a batch. */
function moduleKey(index: number, stackName: string): string {
  return `stack${index}_${stackName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** A stack taking part in a batch: its prepared configuration and the asset files it brings. */
interface BatchMember {
  readonly index: number;
  readonly stackDir: string;
  readonly key: string;
  readonly config: Json;
  readonly rewrites: string[];
  /** SHA-256 of each file under `assets/`, by path relative to the stack directory. */
  readonly assets: ReadonlyMap<string, string>;
}

/** The results of a batch's stacks by index, and the stacks that must be checked alone, with why. */
interface BatchOutcome {
  readonly results: ReadonlyMap<number, TerraformCheckResult>;
  readonly alone: ReadonlyMap<number, string>;
}

/**
 * Checks several synthesized stacks, each exactly as {@link checkWithTerraform} would, with far
 * fewer terraform runs: every terraform command loads the provider's schema (≈3 s of CPU), so
 * instead of `init`, `validate` and `plan` per stack, the stacks become modules of one temporary
 * root module and the commands run once for all of them. Each stack keeps its own provider blocks,
 * so it plans with its own regions, aliases and default tags, as it would alone.
 *
 * Returns one promise per stack, in the order given, that settles as `checkWithTerraform(dir, opts)`
 * would: with the stack's own planned changes (addresses as in the stack), warnings and rewrites, or
 * with the {@link TerraformCheckError} its own check reports. A stack is checked alone, so that
 * what it reports is exactly what its own check reports, when:
 * - the shared run reports any error or a warning that names no single stack (then every stack of
 *   the batch is checked alone), or a warning about it;
 * - it cannot be prepared (missing `cdk.tf.json`, missing asset, 6.x `region` argument: the error
 *   comes from the same code as alone), it holds a block in {@link ROOT_MODULE_BLOCKS}, or `opts`
 *   asks for `showPlan` (the saved plan is the shared run's);
 * - its asset files clash with another stack's (then it goes to another batch).
 *
 * What terraform checks only in a root module stays checked: every stack output is re-exported
 * from the root under the same `sensitive` flag, so an output that exposes a sensitive value
 * without `sensitive = true` still fails.
 *
 * With `priorState`, every stack is planned against that state, as if each had been applied from it:
 * the shared run's state holds a copy of its resources in each stack's module (see {@link batchState}).
 *
 * One batch takes one concurrency slot. Its commands may take `commandTimeoutMs` per four stacks
 * (measured: a shared run of a dozen stacks takes about three times as long as one stack's).
 */
export function checkStacksWithTerraform(stackDirs: readonly string[], opts: TerraformBatchCheckOptions = {}): Promise<TerraformCheckResult>[] {
  const tf = terraformAvailable();
  if (!tf.ok || opts.showPlan) return stackDirs.map((dir) => checkWithTerraform(dir, opts));

  const alone = (index: number, reason: string): Promise<TerraformCheckResult> =>
    checkWithTerraform(stackDirs[index], opts).then((r) => ({ ...r, batch: { stacks: 1, checkedAloneBecause: reason } }));

  const out: Array<Promise<TerraformCheckResult>> = [];
  const members: BatchMember[] = [];
  stackDirs.forEach((stackDir, index) => {
    const reason = batchMember(tf.awsProviderVersion, stackDir, index, opts, members);
    if (reason) out[index] = alone(index, reason);
  });

  for (const batch of formBatches(members, maxStacksPerBatch(opts))) {
    if (batch.length === 1) {
      out[batch[0].index] = alone(batch[0].index, 'no other stack to share terraform runs with');
      continue;
    }
    const outcome = runBatch(tf, batch, opts);
    for (const m of batch) {
      out[m.index] = outcome.then((o) => o.results.get(m.index) ?? alone(m.index, o.alone.get(m.index) ?? 'not planned by the shared run'));
    }
  }
  return out;
}

function maxStacksPerBatch(opts: TerraformBatchCheckOptions): number {
  const fromEnv = Number(process.env.TF_CHECK_BATCH_SIZE);
  const n = opts.maxStacksPerBatch ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Infinity);
  return Math.max(1, n);
}

/** Adds the stack to `members` when it can share terraform runs; otherwise returns why not. */
function batchMember(awsProviderVersion: string, stackDir: string, index: number, opts: TerraformCheckOptions, members: BatchMember[]): string | undefined {
  const mainFile = path.join(stackDir, 'cdk.tf.json');
  let original: Json;
  try {
    original = JSON.parse(fs.readFileSync(mainFile, 'utf8'));
  } catch {
    return `${mainFile} cannot be read as JSON`;
  }
  const { config, rewrites, problems } = prepareForCheck(original, awsProviderVersion, {
    substituteBedrockPolicyType: opts.substituteBedrockPolicyType,
    dropSixOnlyArguments: opts.dropSixOnlyArguments,
    stackDir,
  });
  if (problems.length) return 'it cannot be prepared for the check';
  const rootOnly = ROOT_MODULE_BLOCKS.filter((block) => block in config);
  if (rootOnly.length) return `it has ${rootOnly.join(' and ')} blocks, which mean something else in a module`;
  const stackName = path.basename(path.resolve(stackDir));
  members.push({ index, stackDir, key: moduleKey(index, stackName), config, rewrites, assets: assetDigests(stackDir) });
  return undefined;
}

/** SHA-256 of every file under `<stackDir>/assets`, by relative path. */
function assetDigests(stackDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(stackDir, full), createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(path.join(stackDir, 'assets'));
  return out;
}

/**
 * Splits the members into batches of at most `max` stacks, in order. Asset paths resolve from the
 * working directory, so the batch merges every stack's `assets/`: a stack whose asset has the same
 * path as another's, with other content, goes to a later batch.
 */
function formBatches(members: readonly BatchMember[], max: number): BatchMember[][] {
  const batches: Array<{ members: BatchMember[]; assets: Map<string, string> }> = [];
  for (const m of members) {
    let batch = batches.find((b) => b.members.length < max && [...m.assets].every(([p, digest]) => (b.assets.get(p) ?? digest) === digest));
    if (!batch) batches.push((batch = { members: [], assets: new Map() }));
    batch.members.push(m);
    for (const [p, digest] of m.assets) batch.assets.set(p, digest);
  }
  return batches.map((b) => b.members);
}

/** Root module of a batch: one module per stack, and each stack output re-exported. */
function batchRootModule(batch: readonly BatchMember[]): Json {
  const module: Json = {};
  const output: Json = {};
  for (const m of batch) {
    module[m.key] = { source: `./${m.key}` };
    for (const outputs of blocks(m.config.output)) {
      for (const [name, body] of Object.entries(outputs)) {
        const sensitive = blocks(body).some((b) => b.sensitive === true);
        output[`${m.key}__${name}`] = { value: `\${module.${m.key}.${name}}`, ...(sensitive ? { sensitive: true } : {}) };
      }
    }
  }
  return Object.keys(output).length ? { module, output } : { module };
}

/**
 * The state of a batch's root module when every stack is planned against `state` (a root module's
 * state, format 4): each stack's module holds a copy of its resources. Addresses that name
 * resources (instance dependencies) move into the module; so does a resource's provider when the
 * stack configures that provider itself (it inherits the root's otherwise, as the built-in one).
 * Outputs move to the names the root re-exports them under.
 */
function batchState(state: Record<string, unknown>, batch: readonly BatchMember[]): Json {
  const resources = Array.isArray(state.resources) ? (state.resources as unknown[]).map(asObject).filter((r): r is Json => r !== undefined) : [];
  const outputs = asObject(state.outputs) ?? {};
  const inModule = (m: BatchMember, address: string) => `module.${m.key}.${address}`;
  const configured = (m: BatchMember, provider: string): boolean => {
    const match = /^provider\["(?:[^"]*\/)?([^"/]+)"\](?:\.(.+))?$/.exec(provider);
    if (!match) return provider.startsWith('module.');
    const [, type, alias] = match;
    return blocks(m.config.provider).some((p) => blocks(p[type]).some((b) => (alias === undefined ? b.alias === undefined : b.alias === alias)));
  };
  return {
    ...state,
    resources: batch.flatMap((m) => resources.map((r) => ({
      ...r,
      module: typeof r.module === 'string' && r.module ? inModule(m, r.module) : `module.${m.key}`,
      ...(typeof r.provider === 'string' && configured(m, r.provider) ? { provider: inModule(m, r.provider) } : {}),
      instances: (Array.isArray(r.instances) ? r.instances : []).map((i: Json) => ({
        ...i,
        ...(Array.isArray(i.dependencies) ? { dependencies: i.dependencies.map((d: string) => inModule(m, d)) } : {}),
      })),
    }))),
    outputs: Object.fromEntries(batch.flatMap((m) => Object.entries(outputs).map(([name, value]) => [`${m.key}__${name}`, value]))),
    check_results: null,
  };
}

/** The batch member a diagnostic is about, from its file or its address; undefined when it names none. */
function memberOf(batch: readonly BatchMember[], d: TerraformDiagnostic, file: string | undefined): BatchMember | undefined {
  return batch.find((m) => (file !== undefined && file.startsWith(`${m.key}/`)) ||
    d.address === `module.${m.key}` || d.address?.startsWith(`module.${m.key}.`) || d.address?.startsWith(`module.${m.key}[`));
}

/**
 * Runs one batch. Never rejects: when the shared run fails, every stack is to be checked alone;
 * warnings send the stacks they name (all, when one names none) to be checked alone.
 */
async function runBatch(tf: Extract<TerraformAvailability, { ok: true }>, batch: readonly BatchMember[], opts: TerraformCheckOptions): Promise<BatchOutcome> {
  const results = new Map<number, TerraformCheckResult>();
  const alone = new Map<number, string>();
  const queuedAt = Date.now();
  const release = await acquireSlot();
  const started = Date.now();
  const keep = keepWorkDir(opts);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-check-batch-'));
  try {
    // A module directory holds only the configuration: asset paths are relative to the working
    // directory (terraform's, the root), where every stack's assets go.
    for (const m of batch) {
      const dir = path.join(workDir, m.key);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(m.config, null, 2));
      const assets = path.join(m.stackDir, 'assets');
      if (fs.existsSync(assets)) fs.cpSync(assets, path.join(workDir, 'assets'), { recursive: true });
    }
    fs.writeFileSync(path.join(workDir, 'main.tf.json'), JSON.stringify(batchRootModule(batch), null, 2));
    if (opts.priorState) fs.writeFileSync(path.join(workDir, 'terraform.tfstate'), JSON.stringify(batchState(opts.priorState, batch)));

    const label = `batch of ${batch.length} stacks`;
    const steps = await runSteps(tf, workDir, batch.map((m) => m.config), label, opts, (opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS) * Math.ceil(batch.length / 4), keep);
    const warnings = new Map<BatchMember, TerraformDiagnostic[]>();
    for (const w of steps.warnings) {
      const m = memberOf(batch, w, steps.files.get(w));
      if (!m) {
        for (const each of batch) alone.set(each.index, `the shared run warned "${w.summary}" about no single stack`);
        return { results, alone };
      }
      warnings.set(m, [...(warnings.get(m) ?? []), w]);
    }
    const timings: Timings = { queued: started - queuedAt, ...steps.timings, total: Date.now() - started };
    for (const m of batch) {
      const w = warnings.get(m);
      if (w) {
        alone.set(m.index, `the shared run warned about it ("${w[0].summary}")`);
        continue;
      }
      const prefix = `module.${m.key}`;
      const changes = steps.changes
        .filter((c) => c.module === prefix || c.module?.startsWith(`${prefix}.`))
        .map((c) => ({ address: c.address.slice(prefix.length + 1), type: c.type, action: c.action }));
      results.set(m.index, {
        resourceChanges: sortChanges(changes),
        diagnostics: [],
        rewrites: m.rewrites,
        timings,
        awsProviderVersion: tf.awsProviderVersion,
        workDir: keep ? workDir : undefined,
        batch: { stacks: batch.length },
      });
    }
  } catch (e) {
    const reason = e instanceof TerraformCheckError ? `the shared run failed terraform ${e.step}` : `the shared run failed: ${String(e)}`;
    for (const m of batch) alone.set(m.index, reason);
  } finally {
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
    release();
  }
  return { results, alone };
}

/**
 * Synthesizes a stack as `cdktf synth` would (assets copied in) into a new temporary output
 * directory and returns the stack's directory, `<outdir>/stacks/<stack id>`, ready for
 * {@link checkWithTerraform}. The caller removes it (two levels up) when done.
 */
export function synthStackDir(stack: TerraformStack): string {
  return path.join(Testing.fullSynth(stack), 'stacks', stack.node.id);
}

function missingStackMessage(stackDir: string): string {
  let hint = '';
  try {
    const stacks = fs.readdirSync(path.join(stackDir, 'stacks'));
    hint = ` It looks like a cdktf output directory: pass ${path.join(stackDir, 'stacks', '<name>')} (stacks: ${stacks.join(', ')}).`;
  } catch {
    // not an output directory either
  }
  return `No cdk.tf.json in ${stackDir}: pass a synthesized stack directory (cdktf.out/stacks/<name>).${hint}`;
}

/** Files a previous `terraform` run may have left in the stack directory; they must not leak in. */
function isTerraformLocalState(src: string, root: string): boolean {
  const rel = path.relative(root, src);
  return rel === '.terraform' || rel === '.terraform.lock.hcl' || /^terraform\.tfstate/.test(rel) || rel.endsWith('.tfplan');
}

type TerraformStep = Exclude<TerraformCheckError['step'], 'prepare'>;

/** What {@link runTerraform} collected from one command. */
export interface TerraformOutput {
  readonly stdout: string;
  readonly errors: TerraformDiagnostic[];
  readonly warnings: TerraformDiagnostic[];
  readonly changes: PlannedChange[];
  /** The configuration file each diagnostic points into (its `range.filename`), where it has one. */
  readonly files: ReadonlyMap<TerraformDiagnostic, string>;
}

/** A planned change with the module it is planned in (`module.a.module.b`), absent for the root module. */
interface PlannedChange extends PlannedResourceChange {
  readonly module?: string;
}

/**
 * Runs one terraform command in `cwd` and collects diagnostics from its `-json` output (a stream of
 * messages for init and plan, one document for validate and show). A non-zero exit without an
 * error diagnostic becomes an error carrying stderr.
 */
export function runTerraform(terraform: string, mirror: string, cwd: string, args: string[], timeoutMs: number): Promise<TerraformOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, args, { cwd, env: terraformEnv(mirror), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const group = child.pid;
    if (group !== undefined) activeGroups.add(group);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      // An interrupted terraform stops its providers; the group kill is for one that does not exit.
      signalGroup(group, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(group, 'SIGKILL'), 5_000);
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      if (group !== undefined) activeGroups.delete(group);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    child.on('close', (code) => {
      done();
      const out = Buffer.concat(stdout).toString('utf8');
      const errors: TerraformDiagnostic[] = [];
      const warnings: TerraformDiagnostic[] = [];
      const changes: PlannedChange[] = [];
      const files = new Map<TerraformDiagnostic, string>();
      const add = (d: unknown) => {
        const diag = toDiagnostic(d);
        if (!diag) return;
        (diag.severity === 'error' ? errors : warnings).push(diag);
        const filename = asObject(asObject(d)?.range)?.filename;
        if (typeof filename === 'string') files.set(diag, filename);
      };
      if (args[0] === 'validate') {
        try {
          for (const d of (JSON.parse(out).diagnostics ?? []) as unknown[]) add(d);
        } catch {
          // not JSON: reported below from stderr
        }
      } else if (args[0] !== 'show') {
        for (const line of out.split('\n')) {
          if (!line.startsWith('{')) continue;
          let msg: Json;
          try {
            msg = JSON.parse(line);
          } catch {
            continue;
          }
          if (msg.type === 'diagnostic') add(msg.diagnostic);
          if (msg.type === 'planned_change') {
            const change = asObject(msg.change);
            const resource = asObject(change?.resource);
            if (resource) {
              changes.push({
                address: String(resource.addr), type: String(resource.resource_type), action: String(change!.action),
                ...(typeof resource.module === 'string' && resource.module ? { module: resource.module } : {}),
              });
            }
          }
        }
      }
      if (timedOut) {
        errors.push({ severity: 'error', summary: `terraform ${args[0]} timed out after ${timeoutMs} ms`, detail: 'It was killed. An offline plan that hangs is usually trying to reach AWS.' });
      } else if (code !== 0 && errors.length === 0) {
        errors.push({ severity: 'error', summary: `terraform ${args[0]} exited with code ${code}`, detail: Buffer.concat(stderr).toString('utf8').trim() || out.trim() });
      }
      resolve({ stdout: out, errors: dedupe(errors), warnings: dedupe(warnings), changes, files });
    });
  });
}

/**
 * Process groups of running terraform commands. Each runs in its own group (so a timeout can stop
 * the providers it started too), which also keeps it out of a terminal's Ctrl-C: stop them on exit.
 */
const activeGroups = new Set<number>();
process.on('exit', () => {
  for (const group of activeGroups) signalGroup(group, 'SIGKILL');
});

function signalGroup(group: number | undefined, signal: NodeJS.Signals): void {
  if (group === undefined) return;
  try {
    process.kill(-group, signal);
  } catch {
    // already gone
  }
}

function toDiagnostic(value: unknown): TerraformDiagnostic | undefined {
  const d = asObject(value);
  if (!d || typeof d.summary !== 'string') return undefined;
  const snippet = asObject(d.snippet);
  return {
    severity: d.severity === 'warning' ? 'warning' : 'error',
    summary: d.summary,
    detail: typeof d.detail === 'string' && d.detail ? d.detail : undefined,
    address: typeof d.address === 'string' ? d.address : undefined,
    context: typeof snippet?.context === 'string' ? snippet.context : undefined,
  };
}

function dedupe(diags: TerraformDiagnostic[]): TerraformDiagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = JSON.stringify(d);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function checkError(step: TerraformCheckError['step'], stack: string, awsVersion: string, diags: TerraformDiagnostic[], workDir?: string): TerraformCheckError {
  const what = step === 'prepare' ? 'cannot be checked' : `failed terraform ${step}`;
  const lines = [`Stack "${stack}" ${what} (hashicorp/aws ${awsVersion}, offline):`];
  const hints = new Set<string>();
  for (const d of diags) {
    const where = d.address ?? d.context;
    lines.push(`  - ${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}${where ? ` [${where}]` : ''}`);
    if (d.detail) lines.push(...d.detail.trim().split('\n').map((l) => `      ${l}`));
    const hint = hintFor(d, awsVersion);
    if (hint) hints.add(hint);
  }
  for (const hint of hints) lines.push(`  Note: ${hint}.`);
  if (workDir) lines.push(`  working directory kept: ${workDir}`);
  return new TerraformCheckError(step, diags, lines.join('\n'));
}

function hintFor(d: TerraformDiagnostic, awsVersion: string): string | undefined {
  // JSON configuration reports an unknown argument as an extraneous property, HCL as unsupported.
  if (/^(Unsupported (argument|block type)|Extraneous JSON object property)$/.test(d.summary)) {
    return `the check runs hashicorp/aws ${awsVersion}, while @cdktf/provider-aws 21.22.1 is generated from 6.25.0: arguments added since are unknown to the check`;
  }
  if (d.address?.startsWith('data.') && /request send failed|dial tcp|no such host/.test(d.detail ?? '')) {
    return 'a data source that calls AWS while planning cannot be read in an offline plan';
  }
  return undefined;
}

/**
 * Environment of every terraform command: the caller's, without TF_* and AWS_* settings that could
 * change what runs (TF_CLI_ARGS, TF_DATA_DIR, AWS_PROFILE, ...), with the check's CLI config.
 *
 * GOGC=400 (unless the caller sets GOGC) lets terraform and the provider processes it starts
 * collect garbage less often while they build and read the provider's schema: ≈15 % less CPU per
 * check, measured, for ≈50 MB more memory per process. It changes nothing they compute.
 */
function terraformEnv(mirror?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GOGC: '400' };
  for (const [k, v] of Object.entries(process.env)) if (!/^(TF_|AWS_)/.test(k)) env[k] = v;
  env.CHECKPOINT_DISABLE = '1';
  env.TF_IN_AUTOMATION = '1';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  env.TF_CLI_CONFIG_FILE = mirror ? cliConfigFile(mirror) : os.devNull;
  return env;
}

const cliConfigs = new Map<string, string>();

/**
 * One CLI config file per mirror, shared by every check: providers come from the mirror only, so a
 * provider missing there fails `init` at once instead of reaching for the registry.
 *
 * No `plugin_cache_dir`: from an unpacked mirror `init` only symlinks the provider, so every check
 * already shares the one installation in the mirror and nothing is copied (measured: ≈0.65 s with or
 * without a cache, most of it hashing the 700 MB binary; {@link seedLockFile} spares the later commands that).
 */
function cliConfigFile(mirror: string): string {
  let file = cliConfigs.get(mirror);
  if (!file) {
    const content = [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path = ${JSON.stringify(mirror)}`,
      '  }',
      '}',
      'disable_checkpoint = true',
      '',
    ].join('\n');
    const dir = path.join(os.tmpdir(), 'tf-check');
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, `cli-${createHash('sha256').update(content).digest('hex').slice(0, 12)}.tfrc`);
    if (!fs.existsSync(file)) {
      const tmp = `${file}.${process.pid}`;
      fs.writeFileSync(tmp, content);
      fs.renameSync(tmp, file);
    }
    cliConfigs.set(mirror, file);
  }
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------------

/**
 * How many checks run at once in this process: `$TF_CHECK_CONCURRENCY`, else 2 (one terraform
 * command keeps about one core busy; the CI machine has two).
 */
export function checkConcurrency(): number {
  const fromEnv = Number(process.env.TF_CHECK_CONCURRENCY);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.max(1, Math.min(2, os.cpus().length));
}

let running = 0;
const waiting: Array<() => void> = [];

function acquireSlot(): Promise<() => void> {
  return new Promise((resolve) => {
    const grant = () => {
      running++;
      let released = false;
      resolve(() => {
        if (released) return;
        released = true;
        running--;
        waiting.shift()?.();
      });
    };
    if (running < checkConcurrency()) grant();
    else waiting.push(grant);
  });
}

// ---------------------------------------------------------------------------------------------------
// Jest
// ---------------------------------------------------------------------------------------------------

/** What {@link describeTier} does: run the tests, skip them, or fail because CI must run them. */
export type TerraformTierMode = { readonly mode: 'run' } | { readonly mode: 'skip' | 'fail'; readonly reason: string };

/** Whether a test tier can run here, and why not (what it found when it can: e.g. {@link TerraformAvailability}). */
export type TierAvailability = { readonly ok: true; readonly [found: string]: unknown } | { readonly ok: false; readonly reason: string };

/** Decides the tier's mode from availability and the environment; CI is any `CI` but '', '0', 'false'. */
export function terraformTierMode(available: TierAvailability, env: NodeJS.ProcessEnv = process.env): TerraformTierMode {
  if (available.ok) return { mode: 'run' };
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  return { mode: ci ? 'fail' : 'skip', reason: available.reason };
}

/**
 * A `describe` for the tests of a tier that needs something of the machine (`label` names the
 * tier, e.g. `Terraform tier`; `availability` says whether it can run, asked when a block is
 * registered). Where it cannot run, the block is skipped with a message saying why; under CI
 * (see {@link terraformTierMode}) it instead registers a failing test, so CI never skips the tier silently.
 */
export function describeTier(label: string, availability: () => TierAvailability): (name: string, fn: () => void) => void {
  const capitalized = label.charAt(0).toUpperCase() + label.slice(1);
  return (name, fn) => {
    const tier = terraformTierMode(availability());
    if (tier.mode === 'run') {
      describe(name, fn);
    } else if (tier.mode === 'skip') {
      console.warn(`${capitalized} skipped ("${name}"): ${tier.reason}. CI=true turns this into a failure.`);
      describe.skip(name, fn);
    } else {
      describe(name, () => {
        test(`the ${label} can run`, () => {
          throw new Error(`${capitalized} required under CI but unavailable: ${tier.reason}`);
        });
      });
    }
  };
}

/** `describe` for Terraform-tier tests: skipped where terraform or the mirror is missing, a failure under CI ({@link describeTier}). */
export const describeTerraform = describeTier('Terraform tier', terraformAvailable);
