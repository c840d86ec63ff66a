/**
 * The functional parts of the benchmark, at a small N (no timings): the plain program emits the
 * library's Terraform JSON byte for byte, account enforcement costs one resource per account and
 * region beyond the shim hosts, the split helper's stack sizes, and the summary line's format.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { countApp, readStacks } from '../../bench/count';
import { MANAGEMENT_ACCOUNT, REGIONS, guardrailArn, memberAccounts, memberStackCount } from '../../bench/fixture';
import { prepareHandlerCode } from '../../bench/handler-code';
import { buildLibraryApp } from '../../bench/library';
import { buildRawApp } from '../../bench/raw';
import { SUMMARY_PATTERN, formatSummary, median } from '../../bench/summary';
import { AccountEnforcementStack, accountStackIndex } from '../../src';
import { checkWithTerraform, describeTerraform, synthStackDir } from '../terraform/harness';

const N = 250;

/** Accounts per member stack as the split assigns them (rendezvous hashing over memberStackCount(N) stacks). */
function shardSizes(): number[] {
  const sizes = Array.from({ length: memberStackCount(N) }, () => 0);
  for (const a of memberAccounts(N)) sizes[accountStackIndex(a, sizes.length)]++;
  return sizes;
}
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
      accountsPerStack: shardSizes(),
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
    expect(assume.Resource).toHaveLength(shardSizes()[0]);
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
