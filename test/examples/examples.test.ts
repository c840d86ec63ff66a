import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import * as businessUnits from '../../examples/business-units/main';
import * as multiRegion from '../../examples/multi-region/main';
import * as seedWalkthrough from '../../examples/seed-walkthrough/main';
import * as singleAccount from '../../examples/single-account/main';
import * as stagedRollout from '../../examples/staged-rollout/main';
import * as terraformCloud from '../../examples/terraform-cloud/main';
import { baselineGuardrail } from '../../examples/shared/guardrails';
import { ACCOUNTS, EXAMPLE_ORGANIZATION, HOME_REGION, OUS } from '../../examples/shared/organization';
import { all, shimInputs, synthApp, SynthesizedApp } from '../app-helpers';
import { EXAMPLE_VARIANTS } from '../apps';
import { checkStacksWithTerraform, describeTerraform, TerraformCheckResult } from '../terraform/harness';

const REPO_ROOT = path.join(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** Folders of examples/ that hold helpers shared by the examples, not an example. */
const HELPER_FOLDERS = ['shared'];
const MEMBER_ROLE = (account: string) => `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;

/** Every synthesized variant of every example: each is asserted below and every one of its stacks goes through the Terraform tier. */
const VARIANTS = EXAMPLE_VARIANTS;

const synthesized = new Map<string, SynthesizedApp>();
/** The variant, synthesized on first use (a build error then fails only that variant's tests). */
function variant(name: keyof typeof VARIANTS): SynthesizedApp {
  let s = synthesized.get(name);
  if (!s) {
    s = synthApp(VARIANTS[name].build);
    synthesized.set(name, s);
  }
  return s;
}

afterAll(() => {
  for (const s of synthesized.values()) fs.rmSync(path.dirname(s.outdir), { recursive: true, force: true });
});

/** The only resource of a type in a stack. */
function only(json: any, type: string): any {
  const found = all(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/** The parsed handler input of the only shim invocation of `kind` in a stack. */
function onlyInput(json: any, kind: string): any {
  const found = shimInputs(json).filter((i) => i.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind} invocation, found ${found.length}`);
  return found[0];
}

/** A `${type.name.attribute}` reference to the only resource of `type` in a stack. */
function ref(json: any, type: string, attribute: string): string {
  const [name, ...rest] = Object.keys(json.resource?.[type] ?? {});
  if (!name || rest.length) throw new Error(`expected exactly one ${type}`);
  return `\${${type}.${name}.${attribute}}`;
}

function policyContent(json: any): any {
  return JSON.parse(only(json, 'aws_organizations_policy').content);
}

function attachedTargets(json: any): string[] {
  return all(json, 'aws_organizations_policy_attachment').map((a) => a.target_id).sort();
}

/** The per-account rows of the preview written beside a stack. */
function previewRows(s: SynthesizedApp, stack: string): any[] {
  return JSON.parse(fs.readFileSync(path.join(s.stackDir(stack), 'enforcement-preview.json'), 'utf8')).accounts;
}

describe('the examples folder', () => {
  const folders = fs.readdirSync(EXAMPLES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const examples = folders.filter((f) => !HELPER_FOLDERS.includes(f));

  test('every example has main.ts and README.md, and is synthesized by this test', () => {
    for (const name of examples) {
      expect([name, fs.existsSync(path.join(EXAMPLES_DIR, name, 'main.ts'))]).toEqual([name, true]);
      expect([name, fs.existsSync(path.join(EXAMPLES_DIR, name, 'README.md'))]).toEqual([name, true]);
    }
    expect(examples).toEqual([...new Set(Object.values(VARIANTS).map((v) => v.example))].sort());
  });

  test('helper folders hold no example', () => {
    for (const name of HELPER_FOLDERS) expect(fs.existsSync(path.join(EXAMPLES_DIR, name, 'main.ts'))).toBe(false);
  });

  test('every README gives the command that runs its example', () => {
    for (const name of examples) {
      const readme = fs.readFileSync(path.join(EXAMPLES_DIR, name, 'README.md'), 'utf8');
      expect([name, readme.includes(`node -r ./scripts/register.js examples/${name}/main.ts`)]).toEqual([name, true]);
    }
  });

  describe('run as programs', () => {
    const runs: Record<string, Promise<{ code: number | null; stdout: string; stderr: string; outdir: string }>> = {};
    beforeAll(() => {
      for (const name of examples) runs[name] = runMain(name);
    });

    test.each(examples)('%s synthesizes and prints the enforcement summary', async (name) => {
      const run = await runs[name];
      try {
        expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
        expect(run.stdout).toContain(`into ${run.outdir}`);
        expect(run.stdout).toMatch(/guarded by organization policy only|No effective-enforcement preview/);
        expect(fs.readdirSync(path.join(run.outdir, 'stacks')).length).toBeGreaterThan(0);
      } finally {
        fs.rmSync(path.dirname(run.outdir), { recursive: true, force: true });
      }
    });
  });
});

/** Runs `node -r ./scripts/register.js examples/<name>/main.ts` as the README says, output in a temp dir. */
function runMain(name: string): Promise<{ code: number | null; stdout: string; stderr: string; outdir: string }> {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'example-run-')), 'cdktf.out');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './scripts/register.js', `examples/${name}/main.ts`], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, outdir }));
  });
}

describe.each(Object.keys(VARIANTS))('example %s', (name) => {
  test('resource types per stack (snapshot)', () => {
    const types = Object.fromEntries(Object.entries(variant(name).stacks).map(([stack, json]) => [stack, Object.keys(json.resource ?? {}).sort()]));
    expect(types).toMatchSnapshot();
  });

  test('pins every provider to its account and reads nothing from AWS while planning', () => {
    for (const [stack, json] of Object.entries(variant(name).stacks)) {
      for (const provider of json.provider.aws) expect([stack, provider.allowed_account_ids?.length]).toEqual([stack, 1]);
      expect([stack, json.data]).toEqual([stack, undefined]);
    }
  });
});

describe('single-account', () => {
  const s = () => variant('single-account');
  const stack = () => s().stacks.guardrails;

  test('is one stack in the account, with no organization resources', () => {
    expect(Object.keys(s().stacks)).toEqual(['guardrails']);
    expect(stack().provider.aws).toEqual([expect.objectContaining({ region: singleAccount.REGION, allowed_account_ids: [singleAccount.ACCOUNT_ID] })]);
    expect(all(stack(), 'aws_organizations_policy')).toHaveLength(0);
    expect(shimInputs(stack()).map((i) => i.kind).sort()).toEqual(['EnforcedGuardrailConfiguration', 'GuardrailResourcePolicy']);
  });

  test('publishes a retained version and lets only the owning account apply the guardrail', () => {
    expect(only(stack(), 'aws_bedrock_guardrail').name).toBe('app-guardrail');
    expect(only(stack(), 'aws_bedrock_guardrail_version').skip_destroy).toBe(true);
    const policy = JSON.parse(onlyInput(stack(), 'GuardrailResourcePolicy').properties.policy);
    expect(policy.Statement).toEqual([expect.objectContaining({
      Principal: { AWS: `arn:aws:iam::${singleAccount.ACCOUNT_ID}:root` },
      Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
    })]);
    expect(policy.Statement[0].Condition).toBeUndefined();
  });

  test('enforces that version in its own account and region, assuming no role', () => {
    const input = onlyInput(stack(), 'EnforcedGuardrailConfiguration');
    expect(input.target).toEqual({ accountId: singleAccount.ACCOUNT_ID, region: singleAccount.REGION, roleArn: null, sessionName: 'cdktf-bedrock-guardrails' });
    expect(input.properties).toMatchObject({
      guardrailIdentifier: ref(stack(), 'aws_bedrock_guardrail', 'guardrail_arn'),
      guardrailVersion: ref(stack(), 'aws_bedrock_guardrail_version', 'version'),
      selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' },
      modelEnforcement: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'] },
    });
    const hostPolicy = JSON.parse(only(stack(), 'aws_iam_role_policy').policy);
    expect(JSON.stringify(hostPolicy)).not.toContain('sts:AssumeRole');
  });

  test('previews its one account, guarded at account level, without an organization', () => {
    expect(s().summary).toMatch(/^1 account across 1 region .* 1 by account-level enforcement only/);
    const preview = JSON.parse(fs.readFileSync(path.join(s().stackDir('guardrails'), 'enforcement-preview.json'), 'utf8'));
    expect(preview.accounts).toEqual([expect.objectContaining({ location: 'no Organization described' })]);
  });
});

describe('seed-walkthrough', () => {
  const share = () => variant('seed-walkthrough (share)').stacks.management;
  const enforce = () => variant('seed-walkthrough (enforce)').stacks.management;

  test('the committed phase is the full flow', () => {
    expect(seedWalkthrough.PHASE).toBe('enforce');
  });

  test('phase share publishes the guardrail, its version and an organization-wide grant, and enforces nothing', () => {
    expect(shimInputs(share()).map((i) => i.kind)).toEqual(['GuardrailResourcePolicy']);
    const policy = JSON.parse(onlyInput(share(), 'GuardrailResourcePolicy').properties.policy);
    expect(policy.Statement[0]).toMatchObject({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': EXAMPLE_ORGANIZATION.organizationId } } });
    expect(all(share(), 'aws_organizations_policy')).toHaveLength(0);
    expect(variant('seed-walkthrough (share)').summary).toBe('');
  });

  test('moving to phase enforce only adds, apart from the shim role\'s permissions', () => {
    const changed: string[] = [];
    for (const [type, byName] of Object.entries<Record<string, unknown>>(share().resource)) {
      for (const [name, body] of Object.entries(byName)) {
        expect([type, name, enforce().resource[type]?.[name] !== undefined]).toEqual([type, name, true]);
        if (JSON.stringify(enforce().resource[type][name]) !== JSON.stringify(body)) changed.push(type);
      }
    }
    expect(changed).toEqual(['aws_iam_role_policy']);
    expect(onlyInput(enforce(), 'GuardrailResourcePolicy')).toEqual(onlyInput(share(), 'GuardrailResourcePolicy'));
  });

  test('phase enforce enables BEDROCK_POLICY first and attaches the policy to the pilot OU only, selective for both', () => {
    const policy = only(enforce(), 'aws_organizations_policy');
    expect(policy).toMatchObject({ type: 'BEDROCK_POLICY', name: 'bedrock-guardrails-baseline' });
    expect(policy.depends_on).toEqual([
      expect.stringMatching(/^aws_lambda_invocation\.BedrockPolicyType_Enable_/),
      expect.stringMatching(/^aws_lambda_invocation\.Guardrail_ResourcePolicy_Guardrail_/),
    ]);
    expect(onlyInput(enforce(), 'OrganizationPolicyType').properties).toEqual({ policyType: 'BEDROCK_POLICY', disableOnDelete: false });
    const baseline = policyContent(enforce()).bedrock.guardrail_inference[HOME_REGION].baseline;
    expect(baseline.identifier['@@assign']).toBe(`${ref(enforce(), 'aws_bedrock_guardrail', 'guardrail_arn')}:${ref(enforce(), 'aws_bedrock_guardrail_version', 'version')}`);
    expect(baseline.selective_content_guarding).toEqual({ system: { '@@assign': 'selective' }, messages: { '@@assign': 'selective' } });
    expect(attachedTargets(enforce())).toEqual([OUS.pilot]);
  });

  test('phase enforce enforces in the workloads account through its role, after the grant is in place', () => {
    const input = onlyInput(enforce(), 'EnforcedGuardrailConfiguration');
    expect(input.target).toMatchObject({ accountId: ACCOUNTS.workloads, region: HOME_REGION, roleArn: MEMBER_ROLE(ACCOUNTS.workloads) });
    expect(input.properties.selectiveContentGuarding).toEqual({ system: 'SELECTIVE', messages: 'COMPREHENSIVE' });
    const [invocationName] = Object.entries(enforce().resource.aws_lambda_invocation)
      .find(([, i]: [string, any]) => JSON.parse(i.input).kind === 'EnforcedGuardrailConfiguration')!;
    const grantName = Object.entries(enforce().resource.aws_lambda_invocation)
      .find(([, i]: [string, any]) => JSON.parse(i.input).kind === 'GuardrailResourcePolicy')![0];
    expect(enforce().resource.aws_lambda_invocation[invocationName].depends_on).toContain(`aws_lambda_invocation.${grantName}`);
  });

  test('the preview shows the pilot guarded by the policy and the workloads account by its own configuration', () => {
    const rows = previewRows(variant('seed-walkthrough (enforce)'), 'management');
    const row = (account: string) => JSON.stringify(rows.find((r: any) => r.account === account));
    expect(row(ACCOUNTS.pilot)).toContain('bedrock-guardrails-baseline');
    expect(row(ACCOUNTS.workloads)).toContain('account-level');
    expect(variant('seed-walkthrough (enforce)').summary).toMatch(/1 guarded by organization policy only, 1 by account-level enforcement only/);
  });
});

describe('staged-rollout', () => {
  const stage1 = () => variant('staged-rollout (stage 1)').stacks.management;
  const stage2 = () => variant('staged-rollout (stage 2)').stacks.management;
  const others = [OUS.workloads, OUS.sandbox, OUS.businessUnits];

  test('starts small: the committed stage is the pilot stage', () => {
    expect(stagedRollout.ROLLOUT_STAGE).toBe(stagedRollout.PILOT_STAGE);
    expect(stagedRollout.rolloutTargets().map((t) => [t.idIn(EXAMPLE_ORGANIZATION), t.stage]))
      .toEqual([[OUS.pilot, 1], ...others.map((ou) => [ou, 2])]);
  });

  test('stage 1 attaches only the pilot OU', () => {
    expect(attachedTargets(stage1())).toEqual([OUS.pilot]);
    expect(variant('staged-rollout (stage 1)').summary).toMatch(/1 guarded by organization policy only, 0 by account-level enforcement only, 0 by both, 5 unguarded/);
  });

  test('stage 2 attaches every OU', () => {
    expect(attachedTargets(stage2())).toEqual([OUS.pilot, ...others].sort());
    expect(variant('staged-rollout (stage 2)').summary).toMatch(/5 guarded by organization policy only, 0 by account-level enforcement only, 0 by both, 1 unguarded/);
  });

  test('advancing a stage only adds attachments: the policy and the pilot attachment stay as they are', () => {
    expect(stage2().resource.aws_organizations_policy).toEqual(stage1().resource.aws_organizations_policy);
    const pilot = (json: any) => Object.entries(json.resource.aws_organizations_policy_attachment).filter(([, a]: [string, any]) => a.target_id === OUS.pilot);
    expect(pilot(stage2())).toEqual(pilot(stage1()));
    const stage1Types = Object.keys(stage1().resource).filter((t) => t !== 'aws_organizations_policy_attachment');
    for (const type of stage1Types) expect([type, stage2().resource[type]]).toEqual([type, stage1().resource[type]]);
  });

  test('describes what is attached and what is pending', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'staged-')) });
    const stack = stagedRollout.build(app, { rolloutStage: 1 });
    expect(stagedRollout.describeRollout(stack.organizationEnforcement!)).toBe(
      'Attached: Pilot (ou-ex12-pilot001, stage 1).\n'
      + 'Pending: Workloads (ou-ex12-workload1, stage 2), Sandbox (ou-ex12-sandbox01, stage 2), Business units (ou-ex12-business1, stage 2).');
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });
});

describe('business-units', () => {
  const s = () => variant('business-units');
  const units = businessUnits.BUSINESS_UNITS;

  test('is the management stack and one stack per business unit', () => {
    expect(Object.keys(s().stacks).sort()).toEqual(['management', ...units.map((u) => `unit-${u.name}`)].sort());
  });

  test('the management stack enforces the shared guardrail on the business units OU', () => {
    const management = s().stacks.management;
    expect(only(management, 'aws_bedrock_guardrail').name).toBe('org-baseline');
    expect(attachedTargets(management)).toEqual([OUS.businessUnits]);
    expect(all(management, 'aws_bedrock_guardrail')[0].topic_policy_config[0].topics_config).toHaveLength(2);
  });

  test.each(units.map((u) => [u.name, u] as const))('unit %s enforces its own guardrail in its own account without assuming a role', (_name, unit) => {
    const json = s().stacks[`unit-${unit.name}`];
    expect(json.provider.aws).toEqual([expect.objectContaining({ allowed_account_ids: [unit.accountId], region: HOME_REGION })]);
    expect(json.provider.aws[0].default_tags[0].tags).toEqual({ 'business-unit': unit.name, 'owner': unit.owner });
    const input = onlyInput(json, 'EnforcedGuardrailConfiguration');
    expect(input.target).toEqual({ accountId: unit.accountId, region: HOME_REGION, roleArn: null, sessionName: 'cdktf-bedrock-guardrails' });
    expect(input.properties).toMatchObject({
      guardrailIdentifier: ref(json, 'aws_bedrock_guardrail', 'guardrail_arn'),
      guardrailVersion: ref(json, 'aws_bedrock_guardrail_version', 'version'),
      selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' },
    });
    expect(JSON.stringify(JSON.parse(only(json, 'aws_iam_role_policy').policy))).not.toContain('sts:AssumeRole');
    expect(all(json, 'aws_organizations_policy')).toHaveLength(0);
  });

  test.each(units.map((u) => [u.name, u] as const))('unit %s guardrail is the baseline plus its additions', (_name, unit) => {
    const guardrail = only(s().stacks[`unit-${unit.name}`], 'aws_bedrock_guardrail');
    const base = baselineGuardrail();
    expect(guardrail.name).toBe(`${unit.name}-guardrail`);
    expect(guardrail.topic_policy_config[0].topics_config.map((t: any) => t.name))
      .toEqual([...base.deniedTopics!, ...unit.extraDeniedTopics!].map((t) => t.name));
    expect(guardrail.sensitive_information_policy_config[0].pii_entities_config.map((p: any) => p.type))
      .toEqual([...base.piiFilters!, ...unit.extraPiiFilters!].map((p) => p.type.value));
    expect(guardrail.sensitive_information_policy_config[0].regexes_config.map((r: any) => r.pattern)).toEqual(unit.regexFilters!.map((r) => r.pattern));
    expect(guardrail.content_policy_config).toEqual(only(s().stacks.management, 'aws_bedrock_guardrail').content_policy_config);
  });

  test('each unit account is guarded by both layers', () => {
    expect(s().summary).toMatch(/0 guarded by organization policy only, 0 by account-level enforcement only, 2 by both/);
  });
});

describe('multi-region', () => {
  const stack = () => variant('multi-region').stacks.management;
  const regions = [HOME_REGION, ...multiRegion.EXTRA_REGIONS];

  test('has a provider per region, all in the management account', () => {
    expect(stack().provider.aws.map((p: any) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
      [undefined, HOME_REGION, [ACCOUNTS.management]],
      ...multiRegion.EXTRA_REGIONS.map((r) => [r, r, [ACCOUNTS.management]]),
    ]);
  });

  test('publishes a guardrail and a version in each region through its provider', () => {
    const providers = (type: string) => all(stack(), type).map((r) => r.provider ?? 'default').sort();
    const expected = ['default', ...multiRegion.EXTRA_REGIONS.map((r) => `aws.${r}`)].sort();
    expect(providers('aws_bedrock_guardrail')).toEqual(expected);
    expect(providers('aws_bedrock_guardrail_version')).toEqual(expected);
  });

  test('lets the organization apply the guardrail in each region', () => {
    const grants = shimInputs(stack()).filter((i) => i.kind === 'GuardrailResourcePolicy');
    expect(grants.map((g) => g.target.region).sort()).toEqual([...regions].sort());
    for (const g of grants) expect(JSON.parse(g.properties.policy).Statement[0].Condition.StringEquals['aws:PrincipalOrgID']).toBe(EXAMPLE_ORGANIZATION.organizationId);
  });

  test('the organization policy has one configuration per region key, naming that region\'s version', () => {
    const inference = policyContent(stack()).bedrock.guardrail_inference;
    expect(Object.keys(inference)).toEqual([...regions].sort());
    const guardrails = stack().resource.aws_bedrock_guardrail;
    const versions = stack().resource.aws_bedrock_guardrail_version;
    for (const region of regions) {
      const identifier: string = inference[region].baseline.identifier['@@assign'];
      const m = /^\$\{aws_bedrock_guardrail\.([\w-]+)\.guardrail_arn\}:\$\{aws_bedrock_guardrail_version\.([\w-]+)\.version\}$/.exec(identifier);
      expect(m).not.toBeNull();
      const provider = region === HOME_REGION ? undefined : `aws.${region}`;
      expect([region, guardrails[m![1]].provider, versions[m![2]].provider]).toEqual([region, provider, provider]);
      expect(inference[region].baseline.selective_content_guarding).toEqual({ system: { '@@assign': 'selective' }, messages: { '@@assign': 'comprehensive' } });
    }
    expect(attachedTargets(stack())).toEqual([OUS.pilot]);
  });

  test('enforces in the workloads account once per region', () => {
    const enforced = shimInputs(stack()).filter((i) => i.kind === 'EnforcedGuardrailConfiguration');
    expect(enforced.map((e) => e.target.region).sort()).toEqual([...regions].sort());
    for (const e of enforced) expect(e.target).toMatchObject({ accountId: ACCOUNTS.workloads, roleArn: MEMBER_ROLE(ACCOUNTS.workloads) });
    expect(variant('multi-region').summary).toMatch(/^6 accounts across 2 regions .*2 guarded by organization policy only, 2 by account-level enforcement only/);
  });

  test('exports the ARN and version of every extra region', () => {
    for (const r of multiRegion.EXTRA_REGIONS) {
      const key = r.replace(/-/g, '_');
      expect(Object.keys(stack().output)).toEqual(expect.arrayContaining([`guardrail_arn_${key}`, `guardrail_version_${key}`]));
    }
  });
});

describe('terraform-cloud', () => {
  const s = () => variant('terraform-cloud');
  const members = terraformCloud.ENFORCING_MEMBERS;

  test('has one HCP Terraform workspace per stack', () => {
    const names = Object.keys(s().stacks).sort();
    expect(names).toEqual(['management', ...members.map((a) => `member-${a}`)].sort());
    for (const name of names) {
      expect(s().stacks[name].terraform.cloud).toEqual({
        organization: terraformCloud.TFC.organization,
        workspaces: { name: `bedrock-guardrails-${name}`, project: terraformCloud.TFC.project },
      });
      expect(s().stacks[name].terraform.backend).toBeUndefined();
    }
  });

  test('has no cross-workspace references', () => {
    for (const json of Object.values(s().stacks)) {
      expect(json.data?.terraform_remote_state).toBeUndefined();
      expect(JSON.stringify(json)).not.toContain('terraform_remote_state');
    }
  });

  test('the management workspace owns the guardrail, the grant and the organization policy', () => {
    const management = s().stacks.management;
    expect(shimInputs(management).map((i) => i.kind).sort()).toEqual(['GuardrailResourcePolicy', 'OrganizationPolicyType']);
    expect(attachedTargets(management)).toEqual([OUS.pilot]);
    expect(Object.keys(management.output)).toEqual(expect.arrayContaining(['guardrail_arn', 'guardrail_version']));
  });

  test.each(members.map((a) => [a]))('member %s enforces the shared version, given as literals, with its own credentials', (account) => {
    const json = s().stacks[`member-${account}`];
    expect(all(json, 'aws_bedrock_guardrail')).toHaveLength(0);
    const input = onlyInput(json, 'EnforcedGuardrailConfiguration');
    expect(input.target).toEqual({ accountId: account, region: HOME_REGION, roleArn: null, sessionName: 'cdktf-bedrock-guardrails' });
    expect(input.properties).toMatchObject({ guardrailIdentifier: terraformCloud.SHARED_GUARDRAIL.arn, guardrailVersion: terraformCloud.SHARED_GUARDRAIL.version });
    expect(json.output.guardrail_arn.value).toBe(terraformCloud.SHARED_GUARDRAIL.arn);
  });

  test('the shared guardrail ARN names the management account and home region', () => {
    expect(terraformCloud.SHARED_GUARDRAIL.arn).toMatch(new RegExp(`^arn:aws:bedrock:${HOME_REGION}:${ACCOUNTS.management}:guardrail/[a-z0-9]+$`));
  });
});

describeTerraform('the examples under terraform', () => {
  const checks: Record<string, Promise<TerraformCheckResult>> = {};
  beforeAll(() => {
    // Every stack of every variant in one set of terraform runs (each still planned with its own
    // providers, and checked alone if the shared run reports anything): loading the provider once
    // instead of twice per stack is most of this suite's time.
    const keys: string[] = [];
    const dirs: string[] = [];
    for (const name of Object.keys(VARIANTS)) {
      let s: SynthesizedApp;
      try {
        s = variant(name);
      } catch (e) {
        checks[`${name}/*`] = Promise.reject(e);
        checks[`${name}/*`].catch(() => undefined);
        continue;
      }
      for (const stack of Object.keys(s.stacks)) {
        keys.push(`${name}/${stack}`);
        dirs.push(s.stackDir(stack));
      }
    }
    // `terraform plan` runs the validation walk of `terraform validate` (the default app's and the
    // bench's checks run both), so the shared run of the examples plans only.
    checkStacksWithTerraform(dirs).forEach((check, i) => {
      checks[keys[i]] = check;
      check.catch(() => undefined);
    });
  });

  /** The checks of every stack of a variant, awaited. */
  async function results(name: string): Promise<Record<string, TerraformCheckResult>> {
    const out: Record<string, TerraformCheckResult> = {};
    for (const [key, check] of Object.entries(checks)) {
      const [variantName, stack] = key.split('/');
      if (variantName === name) out[stack] = await check;
    }
    return out;
  }

  test.each(Object.keys(VARIANTS))('every stack of %s validates and plans offline', async (name) => {
    const byStack = await results(name);
    expect(Object.keys(byStack).sort()).toEqual(Object.keys(variant(name).stacks).sort());
    for (const [stack, result] of Object.entries(byStack)) {
      const planned = result.resourceChanges.map((c) => c.type).sort();
      const synthesizedCount = Object.values<Record<string, unknown>>(variant(name).stacks[stack].resource).reduce((n, r) => n + Object.keys(r).length, 0);
      expect([stack, planned.length]).toEqual([stack, synthesizedCount]);
      expect([stack, result.resourceChanges.every((c) => c.action === 'create')]).toEqual([stack, true]);
    }
  }, 600_000);

  test('the Terraform Cloud stacks are checked with local state in place of their workspace', async () => {
    for (const result of Object.values(await results('terraform-cloud'))) {
      expect(result.rewrites).toContain('terraform.cloud removed (local state)');
    }
  }, 600_000);

  test('the multi-region stack plans a guardrail and a version through each region\'s provider', async () => {
    const { management } = await results('multi-region');
    const count = (type: string) => management.resourceChanges.filter((c) => c.type === type).length;
    expect(count('aws_bedrock_guardrail')).toBe(1 + multiRegion.EXTRA_REGIONS.length);
    expect(count('aws_bedrock_guardrail_version')).toBe(1 + multiRegion.EXTRA_REGIONS.length);
  }, 600_000);
});
