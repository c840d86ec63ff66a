/**
 * The functional parts of the benchmark, at a small N (no timings): the plain program emits the
 * library's Terraform JSON byte for byte, account enforcement costs one resource per account and
 * region beyond the shim hosts, the split helper's stack sizes, and the summary line's format.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { countApp, readStacks } from '../../bench/count';
import { ACCOUNTS_PER_STACK, MANAGEMENT_ACCOUNT, REGIONS, guardrailArn, memberAccounts } from '../../bench/fixture';
import { prepareHandlerCode } from '../../bench/handler-code';
import { buildLibraryApp } from '../../bench/library';
import { buildRawApp } from '../../bench/raw';
import { SUMMARY_PATTERN, formatSummary, median } from '../../bench/summary';
import { AccountEnforcementStack, DEFAULT_ACCOUNTS_PER_STACK, splitAccountEnforcement } from '../../stacks/account-enforcement-stack';
import { ContentFilters, GuardrailPrincipal, Guardrail, GuardrailsValidationError, Organization } from '../../src';
import { checkWithTerraform, describeTerraform, synthStackDir } from '../terraform/harness';

const N = 250;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function synthInto(dir: string, build: (app: App) => void): void {
  const app = new App({ outdir: dir });
  build(app);
  app.synth();
}

describe('the benchmark organization', () => {
  const code = prepareHandlerCode();
  afterAll(() => fs.rmSync(path.dirname(code.zip), { recursive: true, force: true }));
  const libraryDir = path.join(work, 'library');
  const rawDir = path.join(work, 'raw');
  synthInto(libraryDir, (app) => buildLibraryApp(app, N));
  synthInto(rawDir, (app) => buildRawApp(app, N, code));
  const library = readStacks(libraryDir);

  test('the plain program emits the same Terraform JSON as the library, stack by stack', () => {
    const raw = readStacks(rawDir);
    expect(raw.map((s) => s.name)).toEqual(['management', 'members-1', 'members-2', 'members-3']);
    expect(library.map((s) => s.name)).toEqual(raw.map((s) => s.name));
    for (const s of library) {
      expect(fs.readFileSync(path.join(rawDir, 'stacks', s.name, 'cdk.tf.json'), 'utf8'))
        .toBe(fs.readFileSync(path.join(libraryDir, 'stacks', s.name, 'cdk.tf.json'), 'utf8'));
    }
  });

  test('account enforcement costs one invocation per account and region beyond one shim host per stack', () => {
    const count = countApp(library);
    expect(count.enforcement).toEqual({
      stacks: 3,
      accountRegions: N * REGIONS.length,
      resourcesBeyondHosts: N * REGIONS.length,
      maxResourcesPerAccountRegion: 1,
      accountsPerStack: [ACCOUNTS_PER_STACK, ACCOUNTS_PER_STACK, N - 2 * ACCOUNTS_PER_STACK],
    });
    for (const s of count.stacks.filter((x) => x.name.startsWith('members-'))) {
      expect(Object.keys(s.resources).sort()).toEqual(['aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy', 'aws_lambda_function', 'aws_lambda_invocation']);
      // Versions named by literal ARN: no remote state to read.
      expect(s.dataSources).toBe(0);
    }
  });

  test('member stacks deploy with the management account and assume each member role once', () => {
    const members1 = library.find((s) => s.name === 'members-1')!.json;
    expect(members1.provider.aws).toEqual([{ region: REGIONS[0], allowed_account_ids: [MANAGEMENT_ACCOUNT] }]);
    const policy = JSON.parse(Object.values<any>(members1.resource.aws_iam_role_policy)[0].policy);
    const assume = policy.Statement.find((s: any) => s.Sid === 'AssumeMemberRoles');
    expect(assume.Resource).toHaveLength(ACCOUNTS_PER_STACK);
    const inputs = Object.values<any>(members1.resource.aws_lambda_invocation).map((i) => JSON.parse(i.input));
    expect(inputs[0].properties.guardrailIdentifier).toBe(guardrailArn(inputs[0].target.region));
    expect(inputs[0].properties.guardrailVersion).toBe('1');
  });

  test('countApp refuses a member stack holding more than its host and one invocation per account and region', () => {
    const members1 = structuredClone(library.find((s) => s.name === 'members-1')!);
    members1.json.resource.aws_iam_role.Extra = {};
    expect(() => countApp([members1])).toThrow(/expected one aws_iam_role/);
    const twice = structuredClone(library.find((s) => s.name === 'members-2')!);
    expect(() => countApp([library.find((s) => s.name === 'members-2')!, twice])).toThrow(/enforced twice/);
  });
});

describe('splitAccountEnforcement', () => {
  const org = (accounts: string[]) => new Organization({
    organizationId: 'o-splittest01', rootId: 'r-spl1', managementAccountId: MANAGEMENT_ACCOUNT,
    organizationalUnits: [{ id: 'ou-spl1-aaaaaaaa', accounts }],
  });
  const literal = REGIONS.map((region) => ({ guardrailArn: guardrailArn(region), version: '3' }));

  test('splits the accounts in order into stacks of accountsPerStack, one provider each', () => {
    const app = Testing.app();
    const accounts = memberAccounts(7);
    const stacks = splitAccountEnforcement(app, 'acc', { managementAccountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', versions: literal, accounts, accountsPerStack: 3 });
    expect(stacks.map((s) => s.node.id)).toEqual(['acc-1', 'acc-2', 'acc-3']);
    expect(stacks.map((s) => s.accounts)).toEqual([accounts.slice(0, 3), accounts.slice(3, 6), accounts.slice(6)]);
    expect(stacks.map((s) => s.enforcements.length)).toEqual([6, 6, 2]);
    const json = JSON.parse(Testing.synth(stacks[2], true));
    expect(Object.keys(json.resource.aws_lambda_invocation)).toHaveLength(2);
    expect(json.provider.aws).toHaveLength(1);
  });

  test('defaults to 100 accounts per stack', () => {
    const app = Testing.app();
    const stacks = splitAccountEnforcement(app, 'acc', { managementAccountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', versions: literal.slice(0, 1), accounts: memberAccounts(150) });
    expect(DEFAULT_ACCOUNTS_PER_STACK).toBe(100);
    expect(stacks.map((s) => s.accounts.length)).toEqual([100, 50]);
  });

  test('refuses a bad accountsPerStack, repeated accounts, two versions for a region, and a list too long for the host role policy', () => {
    const base = { managementAccountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', versions: literal };
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: memberAccounts(2), accountsPerStack: 0 })).toThrow(/accountsPerStack.*whole number/);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: ['222222222222', '222222222222'] })).toThrow(/repeats account 222222222222/);
    expect(() => new AccountEnforcementStack(Testing.app(), 'a', { ...base, versions: [literal[0], { ...literal[0], version: '4' }], accounts: memberAccounts(1) }))
      .toThrow(/second version for us-east-1/);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: memberAccounts(200), accountsPerStack: 200 }))
      .toThrow(GuardrailsValidationError);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: memberAccounts(200), accountsPerStack: 200 }))
      .toThrow(/IAM allows 10240.*accountsPerStack of at most about 1[45]\d/);
  });

  test('a version of the management stack becomes a cross-stack reference (remote state), and its resource policy is checked', () => {
    const outdir = fs.mkdtempSync(path.join(work, 'cross-stack-'));
    const app = new App({ outdir });
    const accounts = memberAccounts(2);
    const management = new TerraformStack(app, 'management');
    new AwsProvider(management, 'aws', { region: 'us-east-1', allowedAccountIds: [MANAGEMENT_ACCOUNT] });
    const guardrail = new Guardrail(management, 'Guardrail', { name: 'baseline', contentFilters: ContentFilters.all() });
    guardrail.grantApply(GuardrailPrincipal.organization('o-splittest01'));
    const version = guardrail.addVersion();
    const [members] = splitAccountEnforcement(app, 'members', {
      managementAccountId: MANAGEMENT_ACCOUNT, region: 'us-east-1', versions: [version], accounts, organization: org(accounts),
    });
    app.synth();
    try {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'members-1', 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(json.data.terraform_remote_state)).toHaveLength(1);
      const input = JSON.parse(Object.values<any>(json.resource.aws_lambda_invocation)[0].input);
      expect(input.properties.guardrailVersion).toMatch(/^\$\{data\.terraform_remote_state\./);
      const warnings = members.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn'));
      expect(warnings).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describeTerraform('an account enforcement stack under terraform', () => {
  test('validates and plans offline: one shim host and one invocation per account and region', async () => {
    const app = Testing.app();
    const stack = new AccountEnforcementStack(app, 'members', {
      managementAccountId: MANAGEMENT_ACCOUNT,
      region: 'us-east-1',
      versions: REGIONS.map((region) => ({ guardrailArn: guardrailArn(region), version: '1' })),
      accounts: memberAccounts(3),
    });
    const dir = synthStackDir(stack);
    try {
      const result = await checkWithTerraform(dir, { validate: true });
      const types = result.resourceChanges.map((c) => c.type);
      expect(types.filter((t) => t === 'aws_lambda_invocation')).toHaveLength(3 * REGIONS.length);
      expect(types).toHaveLength(3 * REGIONS.length + 4);
      expect(result.resourceChanges.every((c) => c.action === 'create')).toBe(true);
    } finally {
      fs.rmSync(path.resolve(dir, '..', '..'), { recursive: true, force: true });
    }
  });
});

describe('the summary line', () => {
  const summary = { n1000Seconds: 1.2346, n1000PeakMb: 140.4, ratioVsRaw: 1.05, growth1000Over100: 4.5, n10000Seconds: 8.9, plan1000Seconds: 61.26 };

  test('has the fields in order, and matches the pattern', () => {
    const line = formatSummary(summary);
    expect(line).toBe('summary: n1000_seconds=1.235 n1000_peak_mb=140 ratio_vs_raw=1.050 growth_1000_over_100=4.50 n10000_seconds=8.900 plan1000_seconds=61.3');
    expect(line).toMatch(SUMMARY_PATTERN);
  });

  test('says n/a for the plan when terraform is unavailable', () => {
    expect(formatSummary({ ...summary, plan1000Seconds: undefined })).toMatch(/ plan1000_seconds=n\/a$/);
    expect(formatSummary({ ...summary, plan1000Seconds: undefined })).toMatch(SUMMARY_PATTERN);
  });

  test('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
