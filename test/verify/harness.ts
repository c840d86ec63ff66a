/**
 * Test harness for `verify`: synthesizes a real app with GuardrailsApp into a temporary
 * directory, "deploys" it into the fake AWS the way Terraform and the shim would leave it (the
 * guardrails with a published version, the resource policies, the BEDROCK_POLICY with its
 * attachments, the account-level configurations written by the shim's principal), and runs the
 * CLI's entry in-process, with the real SDK clients pointed at the fake through AWS_ENDPOINT_URL.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { GuardrailsApp } from '../../src';
import { AppModel, readApp, referencesIn, shimObjectsOf } from '../../src/verify/app-model';
import { main } from '../../src/verify/cli';
import { FakeAws, FakeOrganizationSpec } from '../shim/fake-aws';

export const CALLER_KEY = 'AKIDVERIFYMANAGEMENT';
export const CALLER_SECRET = 'verify-secret-not-for-logs';

/** A synthesized app in a temporary directory. */
export interface Synthesized {
  readonly outdir: string;
  readonly model: AppModel;
}

/** Synthesizes `build` with GuardrailsApp into a fresh temporary directory. */
export function synthesize(build: (app: App) => unknown): Synthesized {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-app-'));
  const app = new GuardrailsApp({ outdir: path.join(root, 'cdktf.out') });
  build(app);
  app.synth();
  return { outdir: app.finalOutdir, model: readApp(app.finalOutdir) };
}

/** The organization of the examples and the default app, as the fake holds it. */
export function exampleOrganization(extra: Partial<FakeOrganizationSpec> = {}): FakeOrganizationSpec {
  return {
    managementAccount: '111111111111',
    id: 'o-exampleorg1',
    rootId: 'r-ex12',
    ous: [
      { id: 'ou-ex12-pilot001' },
      { id: 'ou-ex12-workload1' },
      { id: 'ou-ex12-sandbox01' },
      { id: 'ou-ex12-business1' },
    ],
    accounts: {
      '111111111111': undefined,
      '222222222222': 'ou-ex12-pilot001',
      '333333333333': 'ou-ex12-workload1',
      '444444444444': 'ou-ex12-sandbox01',
      '555555555555': 'ou-ex12-business1',
      '666666666666': 'ou-ex12-business1',
    },
    ...extra,
  };
}

/** What {@link deploy} made, for tests to change behind the app's back. */
export interface Deployed {
  /** Guardrail address (`<stack>/<address>`) -> ARN. */
  readonly guardrails: Map<string, string>;
  /** Organization policy name -> ID. */
  readonly policies: Map<string, string>;
  /** Every value an interpolation of the app stands for: `<stack>\0<interpolation>` -> value. */
  readonly values: Map<string, string>;
}

/**
 * Leaves the fake as a successful apply of `model` would: every guardrail with version 1 (or
 * `versions` of them), resource policies, policies and attachments, the policy type, and the
 * account-level configurations written by the shim's principal.
 */
export function deploy(fake: FakeAws, model: AppModel, managementAccount = '111111111111', versions = 1): Deployed {
  const values = new Map<string, string>();
  const guardrails = new Map<string, string>();
  const policies = new Map<string, string>();
  for (const stack of model.stacks) {
    for (const g of stack.guardrails) {
      const made = fake.seedGuardrail(g.accountId ?? managementAccount, g.region, g.name);
      for (let i = 0; i < versions; i++) fake.publishVersion(made.arn);
      guardrails.set(`${stack.name}/${g.address}`, made.arn);
      values.set(`${stack.name}\0\${${g.address}.guardrail_arn}`, made.arn);
      values.set(`${stack.name}\0\${${g.address}.guardrail_id}`, made.id);
    }
    for (const v of stack.versions) values.set(`${stack.name}\0\${${v.address}.version}`, String(versions));
  }
  const resolve = (stack: string, text: string) => text.replace(/\$\{[^}]*\}/g, (ref) => {
    const value = values.get(`${stack}\0${ref}`);
    if (value === undefined) throw new Error(`deploy: cannot resolve ${ref} in stack ${stack}`);
    return value;
  });
  for (const o of shimObjectsOf(model, 'GuardrailResourcePolicy')) fake.setPolicy(resolve(o.stack, o.properties.resourceArn), resolve(o.stack, o.properties.policy));
  for (const o of shimObjectsOf(model, 'OrganizationPolicyType')) fake.setPolicyType(managementAccount, o.properties.policyType, 'ENABLED');
  for (const stack of model.stacks) {
    for (const p of stack.organizationPolicies) {
      const made = fake.createPolicy(managementAccount, p.name, p.type, resolve(stack.name, p.content));
      for (const a of p.attachments) fake.attachPolicy(managementAccount, made.id, a.targetId);
      policies.set(p.name, made.id);
    }
  }
  for (const o of shimObjectsOf(model, 'EnforcedGuardrailConfiguration')) {
    const account = referencesIn(o.target.accountId).length ? managementAccount : o.target.accountId;
    // The shim's own function role: the session is named after the function, which the library names like the role.
    const writer = `arn:aws:sts::${account}:assumed-role/${o.writer!.roleName}/${o.writer!.sessionName ?? o.writer!.roleName}`;
    const config = fake.seedConfig(account, o.target.region, writer, resolve(o.stack, o.properties.guardrailIdentifier), resolve(o.stack, o.properties.guardrailVersion));
    config.selectiveContentGuarding = { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE', ...(o.properties.selectiveContentGuarding ?? {}) };
    if (o.properties.modelEnforcement) config.modelEnforcement = { includedModels: [...o.properties.modelEnforcement.includedModels], excludedModels: [...o.properties.modelEnforcement.excludedModels] };
  }
  return { guardrails, policies, values };
}

/** What a run of the CLI printed and returned. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: CALLER_KEY,
  AWS_SECRET_ACCESS_KEY: CALLER_SECRET,
  // The caller is a role session, as a platform engineer's SSO or assumed role would be.
  AWS_SESSION_TOKEN: 'verify-session-token-not-for-logs',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_CONFIG_FILE: path.join(os.tmpdir(), 'verify-no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'verify-no-aws-credentials'),
};
const CLEARED = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

/** The environment a subprocess of verify gets: only what it needs, pointed at the fake. */
export function verifyEnv(fake: FakeAws): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...ENV, AWS_ENDPOINT_URL: fake.url };
}

/**
 * Starts the fake for the file's tests and points the SDK at it for in-process runs; the caller
 * identity is a role session in the management account. Restores the environment afterwards.
 */
export function useVerifyFake(): { fake: FakeAws; run(args: string[]): Promise<RunResult> } {
  const fake = new FakeAws();
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    await fake.start();
    for (const k of [...Object.keys(ENV), 'AWS_ENDPOINT_URL', ...CLEARED]) saved.set(k, process.env[k]);
    Object.assign(process.env, ENV, { AWS_ENDPOINT_URL: fake.url });
    for (const k of CLEARED) delete process.env[k];
  });
  afterAll(async () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.addIdentity(CALLER_KEY, '111111111111', 'arn:aws:sts::111111111111:assumed-role/PlatformAdmin/alice');
  });
  return {
    fake,
    async run(args) {
      let stdout = '';
      let stderr = '';
      const code = await main(args, {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        retry: { baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 5000, connectTimeoutMs: 2000 },
        stsRegion: 'us-east-1',
      });
      return { code, stdout, stderr };
    },
  };
}

/** The table rows (one line each) of a report for one account. */
export function rowsOf(stdout: string, account: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith(`${account} `));
}
