import { createHash } from 'crypto';
import { AWS_BINDINGS_VERSION } from '../../src/private/cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssetType, S3Backend, TerraformAsset, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { BedrockGuardrail } from '@cdktf/provider-aws/lib/bedrock-guardrail';
import { BedrockGuardrailVersion } from '@cdktf/provider-aws/lib/bedrock-guardrail-version';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  BEDROCK_POLICY_CHECK_TYPE,
  checkStacksWithTerraform,
  checkWithTerraform,
  describeTerraform,
  fromEnvironment,
  prepareForCheck,
  synthStackDir,
  TerraformCheckError,
  TerraformCheckResult,
  terraformTierMode,
} from './harness';

const ACCOUNT = '123456789012';
const BEDROCK_POLICY_CONTENT = JSON.stringify({
  bedrock: {
    guardrail_inference: {
      'us-east-1': {
        baseline: { identifier: { '@@assign': `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/abc123xyz:1` } },
      },
    },
  },
});

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Synthesizes a one-stack app the way `cdktf synth` does and returns the stack directory. */
function synthStack(name: string, build: (stack: TerraformStack) => void): string {
  const app = Testing.app({ outdir: tempDir('harness-app-') });
  const stack = new TerraformStack(app, name);
  build(stack);
  const stackDir = synthStackDir(stack);
  tempDirs.push(path.dirname(path.dirname(stackDir)));
  return stackDir;
}

function defaultProvider(stack: TerraformStack): AwsProvider {
  return new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    allowedAccountIds: [ACCOUNT],
    assumeRole: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer` }],
  });
}

/** Content hash of every file under a directory, keyed by relative path. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function readConfig(stackDir: string): any {
  return JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
}

async function checkError(check: Promise<unknown>): Promise<TerraformCheckError> {
  const err = await check.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TerraformCheckError);
  return err as TerraformCheckError;
}

describe('prepareForCheck', () => {
  const config = {
    terraform: {
      required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' } },
      cloud: { organization: 'acme', workspaces: { name: 'guardrails' } },
    },
    provider: {
      aws: {
        alias: 'member',
        region: 'eu-west-1',
        profile: 'member',
        assume_role: { role_arn: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole` },
      },
    },
    resource: {
      aws_servicequotas_template: { t: { region: 'us-east-1', quota_code: 'L-1', service_code: 'bedrock', value: 1 } },
      aws_organizations_policy: { p: { name: 'p', type: 'BEDROCK_POLICY', content: BEDROCK_POLICY_CONTENT } },
    },
  };

  test('rewrites the object form of blocks, including an aliased provider, without touching the input', () => {
    const before = structuredClone(config);
    const { config: out, rewrites, problems } = prepareForCheck(config, '5.100.0');
    expect(config).toEqual(before);
    expect(problems).toEqual([]);
    expect(out.terraform).toEqual({ required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } });
    expect((out.provider as any).aws).toEqual({
      alias: 'member',
      region: 'eu-west-1',
      access_key: 'offline-check',
      secret_key: 'offline-check',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    expect((out.resource as any).aws_organizations_policy.p.type).toBe(BEDROCK_POLICY_CHECK_TYPE);
    expect(rewrites).toEqual([
      'terraform.required_providers.aws.version: "6.25.0" -> "5.100.0"',
      'terraform.cloud removed (local state)',
      'provider.aws (alias member): dummy keys and skip_* flags; removed assume_role, profile',
      `aws_organizations_policy.p.type: BEDROCK_POLICY -> ${BEDROCK_POLICY_CHECK_TYPE} (hashicorp/aws 5.100.0 rejects BEDROCK_POLICY)`,
    ]);
  });

  test('with a provider rewrite (the deploy tier\'s): every block, in the list form too, keeps what it names and gets what it sets', () => {
    const listForm = {
      ...config,
      provider: [{ aws: [config.provider.aws, { region: 'us-west-2', allowed_account_ids: [ACCOUNT], profile: 'p' }] }],
    };
    const before = structuredClone(listForm);
    const endpoints = [{ sts: 'http://127.0.0.1:1' }];
    const { config: out, rewrites } = prepareForCheck(listForm, '5.100.0', {
      provider: { keep: ['assume_role', 'allowed_account_ids'], set: { access_key: 'k', endpoints }, describe: 'the emulator' },
    });
    expect(listForm).toEqual(before);
    expect((out.provider as any)[0].aws).toEqual([
      { alias: 'member', region: 'eu-west-1', assume_role: config.provider.aws.assume_role, access_key: 'k', endpoints },
      { region: 'us-west-2', allowed_account_ids: [ACCOUNT], access_key: 'k', endpoints },
    ]);
    // Each block's settings are its own copy.
    expect((out.provider as any)[0].aws[0].endpoints).not.toBe((out.provider as any)[0].aws[1].endpoints);
    expect(rewrites.filter((r) => r.startsWith('provider.aws'))).toEqual([
      'provider.aws (alias member): the emulator; removed profile',
      'provider.aws: the emulator; removed profile',
    ]);
  });

  test('keeps BEDROCK_POLICY when the substitution is turned off', () => {
    const { config: out } = prepareForCheck(config, '5.100.0', { substituteBedrockPolicyType: false });
    expect((out.resource as any).aws_organizations_policy.p.type).toBe('BEDROCK_POLICY');
  });

  test('drops only the listed 6.x-only guardrail arguments, nested in lists, and says so', () => {
    const guardrail = {
      name: 'g',
      cross_region_config: [{ guardrail_profile_identifier: 'us.guardrail.v1:0' }],
      content_policy_config: [{
        tier_config: [{ tier_name: 'STANDARD' }],
        filters_config: [{ type: 'HATE', input_strength: 'HIGH', output_strength: 'HIGH', input_action: 'BLOCK', input_modalities: ['TEXT'] }],
      }],
      word_policy_config: [{ words_config: [{ text: 'x', output_enabled: false }] }],
    };
    const input = { resource: { aws_bedrock_guardrail: { g: guardrail } } };
    const { config: out, rewrites } = prepareForCheck(input, '5.100.0');
    expect((out.resource as any).aws_bedrock_guardrail.g).toEqual({
      name: 'g',
      content_policy_config: [{ filters_config: [{ type: 'HATE', input_strength: 'HIGH', output_strength: 'HIGH' }] }],
      word_policy_config: [{ words_config: [{ text: 'x' }] }],
    });
    expect(input.resource.aws_bedrock_guardrail.g.cross_region_config).toBeDefined();
    expect(rewrites).toEqual([
      'aws_bedrock_guardrail.g: removed 6.x-only cross_region_config, content_policy_config.tier_config, '
        + 'content_policy_config.filters_config.input_action, content_policy_config.filters_config.input_modalities, '
        + 'word_policy_config.words_config.output_enabled (hashicorp/aws 5.100.0 lacks them)',
    ]);
    expect(prepareForCheck(input, '5.100.0', { dropSixOnlyArguments: false }).rewrites).toEqual([]);
  });

  test('reports the 6.x per-resource region on resources and data sources, not on types that always had one', () => {
    const { problems } = prepareForCheck({
      resource: {
        aws_bedrock_guardrail: { g: { name: 'g', region: 'eu-west-1' } },
        aws_servicequotas_template: { t: { region: 'us-east-1' } },
      },
      data: { aws_iam_policy_document: { d: { region: 'eu-west-1' } } },
    }, '5.100.0');
    expect(problems.map((p) => p.address)).toEqual(['aws_bedrock_guardrail.g', 'data.aws_iam_policy_document.d']);
  });
});

describe('terraformTierMode', () => {
  const missing = { ok: false, reason: 'no `terraform` binary on PATH' } as const;

  test('runs when terraform and the mirror are there', () => {
    expect(terraformTierMode({ ok: true, terraform: 't', terraformVersion: '1.11.4', mirror: 'm', awsProviderVersion: '5.100.0' }, { CI: 'true' }))
      .toEqual({ mode: 'run' });
  });

  test('skips locally and fails under CI when they are not', () => {
    expect(terraformTierMode(missing, {})).toEqual({ mode: 'skip', reason: missing.reason });
    expect(terraformTierMode(missing, { CI: 'false' })).toEqual({ mode: 'skip', reason: missing.reason });
    expect(terraformTierMode(missing, { CI: 'true' })).toEqual({ mode: 'fail', reason: missing.reason });
    expect(terraformTierMode(missing, { CI: '1' })).toEqual({ mode: 'fail', reason: missing.reason });
  });
});

describe('fromEnvironment', () => {
  const name = 'GUARDRAILS_TEST_AVAILABILITY';
  afterEach(() => {
    delete process.env[name];
  });

  test('reads the availability a globalSetup wrote, and nothing when it wrote none', () => {
    expect(fromEnvironment(name)).toBeUndefined();
    process.env[name] = JSON.stringify({ ok: false, reason: 'no moto' });
    expect(fromEnvironment(name)).toEqual({ ok: false, reason: 'no moto' });
    process.env[name] = JSON.stringify({ reason: 'no ok flag' });
    expect(() => fromEnvironment(name)).toThrow(`${name} is not an availability`);
  });
});

describeTerraform('checkWithTerraform', () => {
  // A stack with everything the library emits: two providers that assume roles, a remote backend, a
  // Lambda packaged as an asset, a CRUD invocation, a guardrail, a kept version and a BEDROCK_POLICY.
  const synthGood = () => synthStack('good', (stack) => {
    defaultProvider(stack);
    const west = new AwsProvider(stack, 'aws-west', {
      alias: 'west',
      region: 'us-west-2',
      assumeRole: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/Deployer` }],
    });
    new S3Backend(stack, { bucket: 'terraform-state', key: 'guardrails.tfstate', region: 'us-east-1' });

    const source = tempDir('harness-handler-');
    fs.writeFileSync(path.join(source, 'index.js'), 'exports.handler = async () => ({ ok: true });\n');
    const code = new TerraformAsset(stack, 'handler-code', { path: source, type: AssetType.ARCHIVE });

    const role = new IamRole(stack, 'shim-role', {
      name: 'guardrails-shim',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new CloudwatchLogGroup(stack, 'shim-logs', { name: '/aws/lambda/guardrails-shim', retentionInDays: 30 });
    const fn = new LambdaFunction(stack, 'shim', {
      functionName: 'guardrails-shim',
      role: role.arn,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      filename: code.path,
      sourceCodeHash: code.assetHash,
    });
    new LambdaInvocation(stack, 'resource-policy', {
      functionName: fn.functionName,
      input: JSON.stringify({ kind: 'resource-policy' }),
      lifecycleScope: 'CRUD',
      terraformKey: 'tf',
    });
    const guardrail = new BedrockGuardrail(stack, 'guardrail', {
      name: 'baseline',
      blockedInputMessaging: 'Sorry, I cannot help with that.',
      blockedOutputsMessaging: 'Sorry, I cannot answer that.',
      contentPolicyConfig: [{ filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] }],
    });
    new BedrockGuardrailVersion(stack, 'guardrail-version', {
      guardrailArn: guardrail.guardrailArn,
      description: 'content sha256:0000',
      skipDestroy: true,
    });
    new OrganizationsPolicy(stack, 'org-policy', { name: 'bedrock-baseline', type: 'BEDROCK_POLICY', content: BEDROCK_POLICY_CONTENT });
    new CloudwatchLogGroup(stack, 'west-logs', { provider: west, name: '/guardrails/west', retentionInDays: 7 });
  });

  const synthInvalid = () => synthStack('invalid', (stack) => {
    defaultProvider(stack);
    new CloudwatchLogGroup(stack, 'bad-retention', { name: 'bad-retention', retentionInDays: 13 });
    new CloudwatchLogGroup(stack, 'misspelt', { name: 'misspelt' }).addOverride('retention_in_dayz', 14);
  });

  const synthBedrockOnly = () => synthStack('bedrock-only', (stack) => {
    defaultProvider(stack);
    new OrganizationsPolicy(stack, 'org-policy', { name: 'bedrock-baseline', type: 'BEDROCK_POLICY', content: BEDROCK_POLICY_CONTENT });
  });

  /** An IAM user's secret key as a stack output, `sensitive` as given. */
  const synthSecretOutput = (name: string, sensitive: boolean) => synthStack(name, (stack) => {
    defaultProvider(stack);
    const user = new IamUser(stack, 'user', { name: 'guardrails-reader' });
    const key = new IamAccessKey(stack, 'key', { user: user.name });
    new TerraformOutput(stack, 'secret', { value: key.secret, sensitive });
  });

  const synthLogGroup = (name: string) => synthStack(name, (stack) => {
    defaultProvider(stack);
    new CloudwatchLogGroup(stack, 'logs', { name: `/guardrails/${name}`, retentionInDays: 30 });
  });

  // Started together so the harness can run two at a time; each test awaits the one it needs.
  let goodStack: string;
  let goodBefore: Record<string, string>;
  let good: Promise<TerraformCheckResult>;
  let invalid: Promise<TerraformCheckResult>;
  let bedrockUnsubstituted: Promise<TerraformCheckResult>;
  /** The good stack and a clean one, checked together. */
  let shared: Promise<TerraformCheckResult>[];
  /** A stack that fails only as a root module, a clean one, a missing asset and an output directory, checked together. */
  let failing: Promise<TerraformCheckResult>[];
  let missingAssetStack: string;
  let outdirStack: string;
  beforeAll(() => {
    goodStack = synthGood();
    goodBefore = snapshotTree(goodStack);
    good = checkWithTerraform(goodStack, { showPlan: true });
    invalid = checkWithTerraform(synthInvalid(), { validate: true });
    bedrockUnsubstituted = checkWithTerraform(synthBedrockOnly(), { substituteBedrockPolicyType: false });
    shared = checkStacksWithTerraform([goodStack, synthSecretOutput('marked-secret', true)]);
    missingAssetStack = synthMissingAsset();
    outdirStack = synthStack('outdir', (stack) => defaultProvider(stack));
    failing = checkStacksWithTerraform([
      synthSecretOutput('unmarked-secret', false), synthLogGroup('bystander'), missingAssetStack, path.dirname(path.dirname(outdirStack)),
    ]);
    for (const p of [good, invalid, bedrockUnsubstituted, ...shared, ...failing]) p.catch(() => undefined);
  });

  /** A stack whose Lambda refers to an asset that was removed after synth. */
  function synthMissingAsset(): string {
    const stackDir = synthStack('missing-asset', (stack) => {
      defaultProvider(stack);
      const source = tempDir('harness-handler-');
      fs.writeFileSync(path.join(source, 'index.js'), 'exports.handler = async () => ({});\n');
      const code = new TerraformAsset(stack, 'code', { path: source, type: AssetType.ARCHIVE });
      new LambdaFunction(stack, 'fn', {
        functionName: 'fn', role: `arn:aws:iam::${ACCOUNT}:role/r`, handler: 'index.handler', runtime: 'nodejs22.x', filename: code.path,
      });
    });
    fs.rmSync(path.join(stackDir, 'assets'), { recursive: true });
    return stackDir;
  }

  test('a good stack validates and plans every resource for creation', async () => {
    const result = await good;
    expect(result.resourceChanges).toEqual([
      { address: 'aws_bedrock_guardrail.guardrail', type: 'aws_bedrock_guardrail', action: 'create' },
      { address: 'aws_bedrock_guardrail_version.guardrail-version', type: 'aws_bedrock_guardrail_version', action: 'create' },
      { address: 'aws_cloudwatch_log_group.shim-logs', type: 'aws_cloudwatch_log_group', action: 'create' },
      { address: 'aws_cloudwatch_log_group.west-logs', type: 'aws_cloudwatch_log_group', action: 'create' },
      { address: 'aws_iam_role.shim-role', type: 'aws_iam_role', action: 'create' },
      { address: 'aws_lambda_function.shim', type: 'aws_lambda_function', action: 'create' },
      { address: 'aws_lambda_invocation.resource-policy', type: 'aws_lambda_invocation', action: 'create' },
      { address: 'aws_organizations_policy.org-policy', type: 'aws_organizations_policy', action: 'create' },
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(result.awsProviderVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.workDir).toBeUndefined();
  });

  test('providers that assume roles still plan, with the remote backend replaced by local state', async () => {
    const { rewrites, plan } = await good;
    expect(rewrites).toEqual(expect.arrayContaining([
      'terraform.backend removed (local state)',
      'provider.aws: dummy keys and skip_* flags; removed assume_role, allowed_account_ids',
      'provider.aws (alias west): dummy keys and skip_* flags; removed assume_role',
    ]));
    const west = (plan as any).resource_changes.find((c: any) => c.address === 'aws_cloudwatch_log_group.west-logs');
    expect(west.provider_name).toBe('registry.terraform.io/hashicorp/aws');
    expect((plan as any).configuration.provider_config['aws.west'].expressions.region.constant_value).toBe('us-west-2');
  });

  test('BEDROCK_POLICY is checked as another type only in the copy', async () => {
    const { rewrites, plan } = await good;
    expect(rewrites).toContain(
      `aws_organizations_policy.org-policy.type: BEDROCK_POLICY -> ${BEDROCK_POLICY_CHECK_TYPE} (hashicorp/aws ${(await good).awsProviderVersion} rejects BEDROCK_POLICY)`);
    const planned = (plan as any).resource_changes.find((c: any) => c.address === 'aws_organizations_policy.org-policy');
    expect(planned.change.after).toMatchObject({ type: BEDROCK_POLICY_CHECK_TYPE, content: BEDROCK_POLICY_CONTENT });

    const original = readConfig(goodStack);
    expect(original.resource.aws_organizations_policy['org-policy'].type).toBe('BEDROCK_POLICY');
    expect(original.terraform.required_providers.aws.version).toBe(AWS_BINDINGS_VERSION);
  });

  test('without the substitution the provider rejects BEDROCK_POLICY', async () => {
    const err = await checkError(bedrockUnsubstituted);
    expect(err.step).toBe('plan');
    expect(err.diagnostics).toEqual([expect.objectContaining({
      severity: 'error',
      summary: expect.stringMatching(/^expected type to be one of .*got BEDROCK_POLICY$/),
      address: 'aws_organizations_policy.org-policy',
    })]);
    expect(err.message).toContain('Stack "bedrock-only" failed terraform plan');
  });

  test('a TerraformAsset archive resolves from the copy', async () => {
    const { plan } = await good;
    const fn = (plan as any).resource_changes.find((c: any) => c.address === 'aws_lambda_function.shim');
    expect(fn.change.after.filename).toMatch(/^assets\/handler-code\/[0-9A-F]+\/archive\.zip$/);
    expect(fs.existsSync(path.join(goodStack, fn.change.after.filename))).toBe(true);
    expect(fn.change.after.runtime).toBe('nodejs22.x');
  });

  test('a missing asset fails before terraform runs', async () => {
    const err = await checkError(checkWithTerraform(missingAssetStack));
    expect(err.step).toBe('prepare');
    expect(err.message).toMatch(/Missing asset \[aws_lambda_function\.fn\]\n\s+aws_lambda_function\.fn refers to assets\/code\/.*archive\.zip/);
  });

  test('the input directory is left as it was', async () => {
    await Promise.allSettled([good, invalid, bedrockUnsubstituted, ...shared, ...failing]);
    expect(snapshotTree(goodStack)).toEqual(goodBefore);
    expect(fs.readdirSync(goodStack).sort()).toEqual(['assets', 'cdk.tf.json']);
  });

  test('invalid attributes fail with terraform\'s own messages', async () => {
    const err = await checkError(invalid);
    expect(err.step).toBe('validate');
    expect(err.diagnostics).toEqual(expect.arrayContaining([
      expect.objectContaining({ summary: expect.stringContaining('expected retention_in_days to be one of'), address: 'aws_cloudwatch_log_group.bad-retention' }),
      expect.objectContaining({
        summary: 'Extraneous JSON object property',
        detail: 'No argument or block type is named "retention_in_dayz". Did you mean "retention_in_days"?',
        context: 'resource.aws_cloudwatch_log_group.misspelt',
      }),
    ]));
    expect(err.message).toContain('Stack "invalid" failed terraform validate');
    expect(err.message).toContain('Error: Extraneous JSON object property [resource.aws_cloudwatch_log_group.misspelt]');
    expect(err.message).toContain('generated from 6.25.0');
  });

  test('a per-resource region argument is reported, not stripped', async () => {
    const stackDir = synthStack('regional', (stack) => {
      defaultProvider(stack);
      new CloudwatchLogGroup(stack, 'logs', { name: 'logs', region: 'eu-west-1' });
    });
    const err = await checkError(checkWithTerraform(stackDir));
    expect(err.step).toBe('prepare');
    expect(err.message).toContain('Per-resource `region` argument [aws_cloudwatch_log_group.logs]');
    expect(readConfig(stackDir).resource.aws_cloudwatch_log_group.logs.region).toBe('eu-west-1');
  });

  test('points at the stack directory when given the output directory', async () => {
    await expect(checkWithTerraform(path.dirname(path.dirname(outdirStack)))).rejects.toThrow(/pass \S+\/stacks\/<name> \(stacks: outdir\)/);
  });

  describe('several stacks checked together', () => {
    test('each stack gets what its own check gives: its planned changes by its own addresses, its rewrites', async () => {
      const [together, alone] = await Promise.all([shared[0], good]);
      expect(together.resourceChanges).toEqual(alone.resourceChanges);
      expect(together.rewrites).toEqual(alone.rewrites);
      expect(together.diagnostics).toEqual([]);
      expect(together.batch).toEqual({ stacks: 2 });
      expect(together.plan).toBeUndefined();
    });

    test('a sensitive output marked sensitive plans, re-exported from the shared root', async () => {
      const result = await shared[1];
      expect(result.resourceChanges.map((c) => [c.address, c.action])).toEqual([['aws_iam_access_key.key', 'create'], ['aws_iam_user.user', 'create']]);
      expect(result.batch).toEqual({ stacks: 2 });
    });

    test('what terraform refuses only in a root module is still refused, with the stack\'s own error', async () => {
      const err = await checkError(failing[0]);
      expect(err.step).toBe('plan');
      expect(err.diagnostics).toEqual([expect.objectContaining({ severity: 'error', summary: 'Output refers to sensitive values' })]);
      expect(err.message).toContain('Stack "unmarked-secret" failed terraform plan');
    });

    test('when the shared run fails, the other stacks are checked alone and pass', async () => {
      const result = await failing[1];
      expect(result.resourceChanges).toEqual([{ address: 'aws_cloudwatch_log_group.logs', type: 'aws_cloudwatch_log_group', action: 'create' }]);
      expect(result.batch).toEqual({ stacks: 1, checkedAloneBecause: 'the shared run failed terraform plan' });
    });

    test('a stack that cannot be prepared, and a directory that is not a stack, fail as they do alone', async () => {
      const asset = await checkError(failing[2]);
      expect(asset.step).toBe('prepare');
      expect(asset.message).toContain('Missing asset [aws_lambda_function.fn]');
      await expect(failing[3]).rejects.toThrow(/pass \S+\/stacks\/<name> \(stacks: outdir\)/);
    });
  });
});
