import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildDefaultApp, DEFAULT_ORGANIZATION } from '../../stacks/default-app';
import { build as buildBusinessUnits } from '../../examples/business-units/main';
import { build as buildSingleAccount } from '../../examples/single-account/main';
import { build as buildStagedRollout } from '../../examples/staged-rollout/main';
import {
  ContentGuarding, EnforcementTarget, GuardrailPrincipal, GuardrailProfile, ManagementAccountStack, ModelId, baselineGuardrail,
} from '../../src';
import { shimObjectsOf } from '../../src/verify/app-model';
import { verifySessionPolicy } from '../../src/verify/aws';
import { HELP } from '../../src/verify/cli';
import { VerifyReport } from '../../src/verify/report';
import { deploy, exampleOrganization, rowsOf, synthesize, useVerifyFake } from './harness';

const { fake, run } = useVerifyFake();

const MANAGEMENT = '111111111111';
const PILOT_ACCOUNT = '222222222222';
const WORKLOAD_ACCOUNT = '333333333333';
const SOMEONE_ELSE = `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/bob@example.com`;

const defaultApp = synthesize(buildDefaultApp);

/** The default app, but the guardrail granted to the two OUs it enforces in, not the whole organization. */
const ouScopedApp = synthesize((app) => new ManagementAccountStack(app, 'management', {
  region: 'us-east-1',
  organization: DEFAULT_ORGANIZATION,
  guardrail: baselineGuardrail(),
  applyPrincipals: [GuardrailPrincipal.organizationalUnits(DEFAULT_ORGANIZATION.organizationId, ['ou-ex12-pilot001', 'ou-ex12-workload1'])],
  organizationEnforcement: {
    targets: [EnforcementTarget.organizationalUnit('ou-ex12-pilot001')],
    systemPromptGuarding: ContentGuarding.SELECTIVE,
    excludedModels: [ModelId.AMAZON_TITAN_EMBED_TEXT_V2],
  },
  memberEnforcements: [{ account: WORKLOAD_ACCOUNT }],
}));

function verifyDefault(extra: string[] = []) {
  return run(['verify', '--app-dir', defaultApp.outdir, ...extra]);
}

function deployDefault() {
  fake.setOrganization(exampleOrganization());
  return deploy(fake, defaultApp.model);
}

/** The default app with a guardrail that uses the US cross-region profile. */
const profileApp = synthesize((app) => new ManagementAccountStack(app, 'management', {
  region: 'us-east-1',
  organization: DEFAULT_ORGANIZATION,
  guardrail: { ...baselineGuardrail(), crossRegionProfile: GuardrailProfile.US },
  organizationEnforcement: { targets: [EnforcementTarget.organizationalUnit('ou-ex12-pilot001')] },
}));

describe('verify', () => {
  test('all good: every check ok, exit 0, each interpolation resolved live and said so', async () => {
    deployDefault();
    const r = await verifyDefault();
    expect(r.stderr).toMatch(/^verify: 1\/3 accounts checked\n/);
    expect(r.stderr).toContain('verify: 3/3 accounts checked\n');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('PROBLEM');
    expect(r.stdout).toContain('management: ${aws_bedrock_guardrail_version.Guardrail_Version_A73BE873.version} = 1 (the live policy "bedrock-guardrails" (us-east-1/baseline))');
    expect(r.stdout).toMatch(/management: \$\{aws_bedrock_guardrail\.Guardrail_91D61981\.guardrail_arn\} = arn:aws:bedrock:us-east-1:111111111111:guardrail\/[a-z0-9]+ \(ListGuardrails: the guardrail named "org-baseline" in us-east-1\)/);
    expect(rowsOf(r.stdout, 'organization').map((l) => l.replace(/ +/g, ' ').split(': ')[0])).toEqual([
      'organization - caller ok', 'organization - policy type ok', 'organization - organization policy ok', 'organization - invalid effective policies ok',
    ]);
    expect(rowsOf(r.stdout, PILOT_ACCOUNT).join('\n')).toMatch(/location +ok: Root \/ Pilot \(ou-ex12-pilot001\), as the app declares/);
    expect(rowsOf(r.stdout, PILOT_ACCOUNT).join('\n')).toMatch(/effective policy +ok: as the preview predicts: baseline arn:.*:1, system selective, messages comprehensive, models ALL except amazon.titan-embed-text-v2:0/);
    expect(rowsOf(r.stdout, WORKLOAD_ACCOUNT).join('\n')).toMatch(/account-level configuration +ok: .* "org-baseline" version 1, as the app wants/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Total: 15 checks over 3 accounts and 1 region: 15 ok, 0 problems, 0 notes.');
    // Member accounts were read only through the member role narrowed to reads.
    expect(fake.sessions.map((s) => [s.roleArn, s.policy])).toEqual([[`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/OrganizationAccountAccessRole`, verifySessionPolicy('read')]]);
    expect(fake.calls.filter((c) => /^(Put|Delete|Create|Attach|Detach|Enable|Disable|Update)/.test(c.operation))).toEqual([]);
  });

  test('--help, and command lines it refuses with exit code 2', async () => {
    expect(await run(['verify', '--help'])).toEqual({ code: 0, stdout: HELP, stderr: '' });
    const unknown = await run(['verify', '--prob']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('cdktf-bedrock-guardrails verify: Unknown option "--prob". Run cdktf-bedrock-guardrails verify --help for the options.\n');
    expect((await run(['verify', '--concurrency', '0'])).stderr).toContain('--concurrency must be a whole number from 1 to 64, got "0".');
    expect((await run(['verfy'])).code).toBe(2);
    const missing = await run(['verify', '--app-dir', path.join(defaultApp.outdir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/could not run: App directory .*nope does not exist\. Synthesize the app first/);
  });

  test('credentials that STS refuses: could not run (exit 2), with the fix', async () => {
    const saved = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDNOBODYKNOWS';
    try {
      const r = await verifyDefault();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/could not run: Cannot identify the caller \(sts:GetCallerIdentity failed: .*InvalidClientTokenId.*\)\. Run verify with credentials for the organization's management account/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved;
    }
  });

  test('a missing resource policy: the policy row and every account that needs it', async () => {
    const d = deployDefault();
    const arn = d.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!;
    fake.setPolicy(arn, undefined);
    const r = await verifyDefault();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`resource policy              PROBLEM: "org-baseline" (${arn}) has no resource policy; the app puts one (management/Guardrail/ResourcePolicy/Guardrail)`);
    expect(r.stdout).toContain('fix: Deploy stack management. Without it, accounts outside 111111111111 cannot apply the guardrail');
    for (const account of [PILOT_ACCOUNT, WORKLOAD_ACCOUNT]) {
      expect(rowsOf(r.stdout, account).join('\n')).toMatch(new RegExp(`guardrail access +PROBLEM: ${account} \\(o-exampleorg1/r-ex12/ou-[a-z0-9-]+/\\) may not apply "org-baseline" version 1 of 111111111111`));
    }
    expect(r.stdout).toContain('"org-baseline": the resource has no resource policy');
  });

  test('an account moved to another OU behind the app\'s back: not granted by its live path, and its effective policy is gone', async () => {
    fake.setOrganization(exampleOrganization());
    deploy(fake, ouScopedApp.model);
    fake.moveAccount(MANAGEMENT, PILOT_ACCOUNT, 'ou-ex12-sandbox01');
    const r = await run(['verify', '--app-dir', ouScopedApp.outdir]);
    expect(r.code).toBe(1);
    const rows = rowsOf(r.stdout, PILOT_ACCOUNT).join('\n');
    expect(rows).toContain('location                     PROBLEM: the app declares 222222222222 in Root / Pilot (Root / ou-ex12-pilot001), but ListParents puts it in Root / ou-ex12-sandbox01');
    expect(rows).toContain('guardrail access             PROBLEM: 222222222222 (o-exampleorg1/r-ex12/ou-ex12-sandbox01/) may not apply "org-baseline" version 1 of 111111111111, which configuration baseline enforces on it');
    expect(rows).toContain('effective policy             PROBLEM: 1 field(s) differ from the preview (Root / Pilot)');
    expect(r.stdout).toContain(`"org-baseline": no statement grants bedrock:ApplyGuardrail to 222222222222 at o-exampleorg1/r-ex12/ou-ex12-sandbox01/`);
    expect(r.stdout).toMatch(/\n +baseline: preview enforced \(arn:aws:bedrock:us-east-1:111111111111:guardrail\/[a-z0-9]+:1\), live absent\n/);
    expect(r.stdout).toContain('fix: Grant the account\'s OU (ou-ex12-sandbox01) or the organization in the guardrail\'s resource policy');
    // The account still in its declared OU is fine.
    expect(rowsOf(r.stdout, WORKLOAD_ACCOUNT).join('\n')).toMatch(/guardrail access +ok: /);
  });

  test('a drifted effective policy: another policy on the account overrides a setting, reported field by field', async () => {
    deployDefault();
    const other = fake.createPolicy(MANAGEMENT, 'team-override', 'BEDROCK_POLICY', JSON.stringify({ bedrock: { guardrail_inference: { 'us-east-1': { baseline: {
      selective_content_guarding: { system: { '@@assign': 'comprehensive' } } } } } } }));
    fake.attachPolicy(MANAGEMENT, other.id, PILOT_ACCOUNT);
    const r = await verifyDefault();
    expect(r.code).toBe(1);
    const rows = r.stdout.split('\n');
    const i = rows.findIndex((l) => l.startsWith('222222222222  us-east-1  effective policy'));
    expect(rows[i]).toContain('PROBLEM: 1 field(s) differ from the preview (Root / Pilot)');
    expect(rows[i + 1].trim()).toBe('baseline.selective_content_guarding.system: preview selective, live comprehensive');
    expect(rows[i + 2]).toContain('fix: Another policy may apply to the account (aws organizations list-policies-for-target');
    // The app's own policy is untouched.
    expect(rowsOf(r.stdout, 'organization').join('\n')).toMatch(/organization policy +ok: /);
  });

  test('the app\'s policy changed and attached elsewhere, the policy type disabled: the organization rows say each', async () => {
    const d = deployDefault();
    const id = d.policies.get('bedrock-guardrails')!;
    const policy = fake.policyNamed(MANAGEMENT, 'bedrock-guardrails')!;
    policy.content = policy.content.replace('"selective"', '"comprehensive"');
    fake.attachPolicy(MANAGEMENT, id, 'ou-ex12-sandbox01');
    fake.detachPolicy(MANAGEMENT, id, 'ou-ex12-pilot001');
    fake.setPolicyType(MANAGEMENT, 'BEDROCK_POLICY', undefined);
    const r = await verifyDefault();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('policy type                  PROBLEM: BEDROCK_POLICY is not enabled on root r-ex12');
    expect(r.stdout).toContain('fix: Deploy the stack that enables it (its BedrockPolicyType/Enable object), or run: aws organizations enable-policy-type --root-id r-ex12 --policy-type BEDROCK_POLICY.');
    expect(r.stdout).toContain(`organization policy          PROBLEM: policy "bedrock-guardrails" (management/OrganizationPolicy/Policy) (${id}) differs from the app in 3 point(s)`);
    expect(r.stdout).toContain('content us-east-1/baseline.selective_content_guarding.system: app selective, live comprehensive');
    expect(r.stdout).toContain('not attached to ou-ex12-pilot001, which the app attaches');
    expect(r.stdout).toContain('attached to ou-ex12-sandbox01, which the app does not attach');
    // The account under the extra target is enforced although the app does not declare it there.
    expect(rowsOf(r.stdout, '444444444444').join('\n')).toMatch(/location +PROBLEM: 444444444444 is under ou-ex12-sandbox01 \(where "bedrock-guardrails" is attached\) .* does not declare it/);
  });

  test('an invalid effective policy: the organization row and the account row with the validation errors', async () => {
    deployDefault();
    fake.setInvalidEffectivePolicy(MANAGEMENT, PILOT_ACCOUNT, [{
      ErrorCode: 'INVALID_GUARDRAIL_IDENTIFIER', ErrorMessage: 'The guardrail identifier is not valid', PathToError: 'bedrock.guardrail_inference.us-east-1.baseline.identifier', ContributingPolicies: ['p-bbbbbbbb', 'p-aaaaaaaa'],
    }]);
    const r = await verifyDefault();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('invalid effective policies   PROBLEM: 1 account(s) have an invalid effective BEDROCK_POLICY: 222222222222');
    expect(r.stdout).toContain('effective policy             PROBLEM: the effective BEDROCK_POLICY of 222222222222 is invalid (ListAccountsWithInvalidEffectivePolicy): it is not enforced as written');
    expect(r.stdout).toContain('INVALID_GUARDRAIL_IDENTIFIER at bedrock.guardrail_inference.us-east-1.baseline.identifier: The guardrail identifier is not valid (policies p-aaaaaaaa, p-bbbbbbbb)');
  });

  test('a configuration someone else changed, and one someone else made', async () => {
    const d = deployDefault();
    fake.changeConfig(WORKLOAD_ACCOUNT, 'us-east-1', SOMEONE_ELSE, { selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' } });
    let r = await verifyDefault();
    expect(r.code).toBe(1);
    let rows = r.stdout.split('\n');
    let i = rows.findIndex((l) => l.includes('account-level configuration  PROBLEM'));
    expect(rows[i]).toMatch(/^333333333333  us-east-1  account-level configuration  PROBLEM: [a-z0-9]+ differs from the app \(management\/Member-333333333333\/Configuration\)$/);
    expect(rows.slice(i + 1, i + 4).map((l) => l.trim())).toEqual([
      'selectiveContentGuarding.messages: app COMPREHENSIVE, live SELECTIVE',
      `last changed by ${SOMEONE_ELSE}, not by the app's shim (arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/cdktf-bedrock-guardrails)`,
      'fix: Deploy stack management to restore it; if the change is wanted, make it in the app.',
    ]);

    fake.deleteConfigs(WORKLOAD_ACCOUNT, 'us-east-1');
    // The same settings as the app's, made by someone else: the shim would refuse to manage it.
    fake.seedConfig(WORKLOAD_ACCOUNT, 'us-east-1', SOMEONE_ELSE, d.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!, '1');
    r = await verifyDefault();
    rows = r.stdout.split('\n');
    i = rows.findIndex((l) => l.includes('account-level configuration  PROBLEM'));
    expect(rows.slice(i + 1).map((l) => l.trim()).slice(0, 3)).toEqual([
      `last changed by ${SOMEONE_ELSE}, not by the app's shim (arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/cdktf-bedrock-guardrails)`,
      `created by ${SOMEONE_ELSE} and the app does not adopt it (adoptExisting: false), so the shim refuses to manage it`,
      'fix: Someone else made or changed this configuration. Agree who manages it: to manage it from the app set adoptExisting: true and deploy; otherwise remove the AccountEnforcement from the app.',
    ]);
  });

  test('throttling and server errors are retried with backoff; a call that never succeeds is a problem, not a crash', async () => {
    deployDefault();
    for (const operation of ['DescribeEffectivePolicy', 'ListParents', 'GetGuardrail', 'ListGuardrails', 'ListEnforcedGuardrailsConfiguration', 'AssumeRole', 'ListPolicies']) {
      fake.inject({ operation, type: 'throttle', times: 2 });
    }
    fake.inject({ operation: 'GetResourcePolicy', type: 'server-error', times: 1 });
    let r = await verifyDefault();
    expect(r.code).toBe(0);
    expect(fake.calls.filter((c) => c.fault === 'throttle').length).toBe(14);
    expect(r.stderr).toMatch(/AWS calls \(\d+ retried\) in /);

    fake.reset();
    fake.addIdentity('AKIDVERIFYMANAGEMENT', MANAGEMENT, 'arn:aws:sts::111111111111:assumed-role/PlatformAdmin/alice');
    deployDefault();
    fake.inject({ operation: 'DescribeEffectivePolicy', type: 'throttle', times: Infinity, account: MANAGEMENT });
    r = await verifyDefault(['--max-attempts', '3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/effective policy +PROBLEM: cannot read the effective BEDROCK_POLICY of 222222222222 \(DescribeEffectivePolicy\): TooManyRequestsException: .* \(after 3 attempts\)\n/);
  });

  test('--json: the same findings for a pipeline, deterministic from run to run', async () => {
    deployDefault();
    const first = await verifyDefault(['--json']);
    const second = await verifyDefault(['--json']);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout) as VerifyReport;
    expect(report).toMatchObject({ stacks: ['management'], organizationId: 'o-exampleorg1', managementAccountId: MANAGEMENT, probe: false,
      totals: { checks: 15, ok: 15, problems: 0, notes: 0, accounts: 3, regions: 1 } });
    expect(report.findings[0]).toEqual({ account: 'organization', region: '-', check: 'caller', status: 'ok', summary: expect.stringContaining('in the management account of o-exampleorg1') });
    expect(report.resolved.map((x) => x.reference)).toEqual([
      '${aws_bedrock_guardrail.Guardrail_91D61981.guardrail_arn}', '${aws_bedrock_guardrail.Guardrail_91D61981.guardrail_id}',
      '${aws_bedrock_guardrail_version.Guardrail_Version_A73BE873.version}', '${aws_organizations_policy.OrganizationPolicy_FE18A87D.id}',
    ]);
  });

  test('--probe: ApplyGuardrail from each target account, as the member role allowed only that', async () => {
    deployDefault();
    const r = await verifyDefault(['--probe']);
    expect(r.code).toBe(0);
    for (const account of [PILOT_ACCOUNT, WORKLOAD_ACCOUNT]) {
      expect(rowsOf(r.stdout, account).join('\n')).toContain(`probe                        ok: ApplyGuardrail on "org-baseline" version 1 from ${account} as arn:aws:iam::${account}:role/OrganizationAccountAccessRole (session policy: bedrock:ApplyGuardrail only): NONE`);
    }
    const probes = fake.sessions.filter((s) => s.policy === verifySessionPolicy('probe'));
    expect(probes.map((s) => s.account).sort()).toEqual([PILOT_ACCOUNT, WORKLOAD_ACCOUNT]);
    expect(JSON.parse(verifySessionPolicy('probe')).Statement[0].Action).toEqual(['bedrock:ApplyGuardrail']);
    expect(fake.callsTo('ApplyGuardrail').map((c) => [c.account, c.input.source, (c.input.content as any)[0].text.text])).toEqual([
      [expect.any(String), 'INPUT', 'Connectivity check from cdktf-bedrock-guardrails verify: hello.'],
      [expect.any(String), 'INPUT', 'Connectivity check from cdktf-bedrock-guardrails verify: hello.'],
    ]);
  });

  test('--probe: AccessDenied when the guardrail is not shared, and a member role that cannot be assumed', async () => {
    const d = deployDefault();
    const arn = d.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!;
    fake.setPolicy(arn, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: 'bedrock:ApplyGuardrail', Resource: arn }] }));
    fake.inject({ operation: 'AssumeRole', type: 'access-denied', times: Infinity, account: MANAGEMENT });
    const r = await verifyDefault(['--probe']);
    expect(r.code).toBe(1);
    // Every AssumeRole is denied here, so the probe of each account reports the role.
    expect(r.stdout).toContain(`probe                        PROBLEM: ApplyGuardrail on "org-baseline" version 1 from ${PILOT_ACCOUNT} failed: AssumeRole (arn:aws:iam::${PILOT_ACCOUNT}:role/OrganizationAccountAccessRole) failed: AccessDenied`);
    expect(r.stdout).toContain(`fix: verify could not assume arn:aws:iam::${PILOT_ACCOUNT}:role/OrganizationAccountAccessRole: create it in ${PILOT_ACCOUNT} with a trust policy for the management account, or pass --member-role`);

    fake.reset();
    fake.addIdentity('AKIDVERIFYMANAGEMENT', MANAGEMENT, 'arn:aws:sts::111111111111:assumed-role/PlatformAdmin/alice');
    const again = deployDefault();
    const arn2 = again.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!;
    fake.setPolicy(arn2, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: 'bedrock:ApplyGuardrail', Resource: arn2 }] }));
    const denied = await verifyDefault(['--probe']);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(new RegExp(`probe +PROBLEM: ApplyGuardrail on "org-baseline" version 1 from ${PILOT_ACCOUNT} failed: .*AccessDeniedException`));
    expect(denied.stdout).toContain(`fix: Principals of ${PILOT_ACCOUNT} cannot apply the guardrail: grant the account's OU or the organization in its resource policy`);
    // AccessDenied is verify's answer, not a transient failure: asked once per account, not
    // retried for the shim's IAM-propagation window.
    const probes = fake.callsTo('ApplyGuardrail').filter((c) => c.account === PILOT_ACCOUNT);
    expect(probes).toHaveLength(1);
  });

  describe('--stage', () => {
    const staged = synthesize((app) => buildStagedRollout(app, { rolloutStage: 1 }));
    /** The preview as an older synth wrote it: without the list of rollout stages. */
    const withoutPending = (dir: string): string => {
      const copy = fs.mkdtempSync(path.join(path.dirname(dir), 'old-preview-'));
      fs.cpSync(dir, copy, { recursive: true });
      const file = path.join(copy, 'enforcement-preview.json');
      const preview = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete preview.organizationPolicies;
      fs.writeFileSync(file, JSON.stringify(preview, undefined, 2));
      return copy;
    };

    test('without the preview\'s pending stages it cannot run, and says what to do', async () => {
      fake.setOrganization(exampleOrganization());
      deploy(fake, staged.model);
      const r = await run(['verify', '--app-dir', withoutPending(staged.outdir), '--stage', '2']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--stage 2 needs the list of pending rollout stages (organizationPolicies in');
    });

    test('checks the accounts of the stage before it is attached, as the synthesized preview lists them; a stage nobody waits for cannot run', async () => {
      fake.setOrganization(exampleOrganization({ accounts: { ...exampleOrganization().accounts, '777777777777': 'ou-ex12-sandbox01' } }));
      const d = deploy(fake, staged.model);
      let r = await run(['verify', '--app-dir', staged.outdir, '--stage', '2', '--probe']);
      expect(r.code).toBe(1);
      for (const account of ['333333333333', '444444444444', '555555555555', '666666666666']) {
        const rows = rowsOf(r.stdout, account).join('\n');
        expect(rows).toMatch(new RegExp(`guardrail access +ok: rollout stage 2 \\(not attached yet\\): ${account} may apply "org-baseline" version 1 \\(policy "bedrock-guardrails" at rollout stage 2\\)`));
        expect(rows).toMatch(/probe +ok: rollout stage 2 \(not attached yet\): ApplyGuardrail/);
        expect(rows).toMatch(/location +ok: .*, as the app declares; enforced from ou-ex12-[a-z0-9]+ \(rollout stage 2 of "bedrock-guardrails"\)/);
      }
      // An account under a stage-2 OU that the app does not declare: the stage would enforce it unpreviewed.
      expect(rowsOf(r.stdout, '777777777777').join('\n')).toMatch(/location +PROBLEM: 777777777777 is under ou-ex12-sandbox01 \(rollout stage 2 of "bedrock-guardrails"\) \(Root \/ ou-ex12-sandbox01\), but the app's Organization does not declare it/);

      // Granted only to the pilot OU: the stage-2 accounts would fail once attached.
      const arn = d.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!;
      fake.setPolicy(arn, JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Pilot', Effect: 'Allow', Principal: '*', Action: 'bedrock:ApplyGuardrail', Resource: arn,
        Condition: { 'StringEquals': { 'aws:PrincipalOrgID': 'o-exampleorg1' }, 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-exampleorg1/*/ou-ex12-pilot001/*'] } } }] }));
      r = await run(['verify', '--app-dir', staged.outdir, '--stage', '2']);
      expect(r.code).toBe(1);
      expect(rowsOf(r.stdout, '444444444444').join('\n')).toMatch(/guardrail access +PROBLEM: rollout stage 2 \(not attached yet\): 444444444444 \(o-exampleorg1\/r-ex12\/ou-ex12-sandbox01\/\) may not apply "org-baseline" version 1/);
      expect(rowsOf(r.stdout, PILOT_ACCOUNT).join('\n')).toMatch(/guardrail access +ok: 222222222222 may apply/);

      r = await run(['verify', '--app-dir', staged.outdir, '--stage', '3']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--stage 3: no target of the app waits for rollout stage 3; pending stages: 2.');
    });
  });

  test('an example with member-account stacks: their guardrails and configurations are read through the member role, read-only', async () => {
    const units = synthesize(buildBusinessUnits);
    fake.setOrganization(exampleOrganization());
    deploy(fake, units.model);
    const r = await run(['verify', '--app-dir', units.outdir]);
    expect(r.code).toBe(0);
    for (const [account, unit] of [['555555555555', 'retail-banking'], ['666666666666', 'health-insurance']]) {
      const rows = rowsOf(r.stdout, account).join('\n');
      expect(rows).toMatch(new RegExp(`guardrail version +ok: "${unit}-guardrail" version 1, enforced by account-level configuration unit-${unit}/Enforcement/Configuration: numbered, READY, in us-east-1`));
      expect(rows).toMatch(new RegExp(`resource policy +ok: the resource policy of "${unit}-guardrail"`));
      expect(rows).toMatch(/account-level configuration +ok: /);
      // Both levels apply in the business units' OU.
      expect(rows).toMatch(/effective policy +ok: as the preview predicts: baseline /);
    }
    const sessions = fake.sessions.map((s) => `${s.roleArn} ${s.policy === verifySessionPolicy('read') ? 'read' : s.policy}`).sort();
    expect(sessions).toEqual([
      'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole read',
      'arn:aws:iam::666666666666:role/OrganizationAccountAccessRole read',
    ]);

    // The unit's own shim function writes its configuration: judged by its role, whatever the session is called.
    fake.changeConfig('555555555555', 'us-east-1', 'arn:aws:sts::555555555555:assumed-role/unit-retail-banking-GuardrailsShim/another-session', {});
    fake.changeConfig('666666666666', 'us-east-1', 'arn:aws:sts::666666666666:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/dana@example.com', {});
    const changed = await run(['verify', '--app-dir', units.outdir]);
    expect(changed.code).toBe(1);
    expect(rowsOf(changed.stdout, '555555555555').join('\n')).toMatch(/account-level configuration +ok: /);
    expect(changed.stdout).toContain('last changed by arn:aws:sts::666666666666:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/dana@example.com, not by the app\'s shim (arn:aws:iam::666666666666:role/unit-health-insurance-GuardrailsShim)');
  });

  test('nothing deployed yet: each missing piece is a problem with its fix, nothing crashes', async () => {
    fake.setOrganization(exampleOrganization());
    const r = await verifyDefault();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('${aws_bedrock_guardrail.Guardrail_91D61981.guardrail_arn} = (unresolved) (no guardrail named "org-baseline" in 111111111111 us-east-1)');
    expect(r.stdout).toContain('guardrail version            PROBLEM: guardrail "org-baseline" (management/Guardrail/Resource) not found in 111111111111 us-east-1');
    expect(r.stdout).toContain('fix: Deploy stack management (cdktf deploy management, or terraform apply in its workspace); verify finds the guardrail by its name.');
    expect(r.stdout).toContain('organization policy          PROBLEM: policy "bedrock-guardrails" (management/OrganizationPolicy/Policy) not found among the organization\'s BEDROCK_POLICY policies');
    expect(r.stdout).toContain('policy type                  PROBLEM: BEDROCK_POLICY is not enabled on root r-ex12');
    expect(rowsOf(r.stdout, WORKLOAD_ACCOUNT).join('\n')).toMatch(/account-level configuration +PROBLEM: no account-level configuration in 333333333333 us-east-1; the app makes one/);
  });

  test('a newer version than the one enforced is a note (exit 0); an automated reasoning policy is a problem', async () => {
    const d = deployDefault();
    const arn = d.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!;
    fake.publishVersion(arn);
    let r = await verifyDefault();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('guardrail version            note: "org-baseline" version 1 is enforced (from the live policy "bedrock-guardrails" (us-east-1/baseline)); version 2 is newer.');
    fake.guardrail(arn)!.versions.get('1')!.automatedReasoningPolicies = ['arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/ar1'];
    r = await verifyDefault();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('has an automated reasoning policy (arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/ar1), which organization-level enforcement does not support');
    expect(r.stdout).toContain('fix: Remove the automated reasoning policy from the guardrail and publish a new version, or enforce another guardrail.');
  });

  test('a guardrail with a cross-region profile: the profile policies are checked, and each grants the enforced accounts', async () => {
    fake.setOrganization(exampleOrganization());
    deploy(fake, profileApp.model);
    const profiles = shimObjectsOfApp(profileApp).filter((o) => o.properties.resourceArn.includes(':guardrail-profile/'));
    expect(profiles.length).toBeGreaterThan(1);
    let r = await run(['verify', '--app-dir', profileApp.outdir]);
    expect(r.code).toBe(0);
    const access = rowsOf(r.stdout, PILOT_ACCOUNT).find((l) => l.includes('guardrail access'))!;
    expect(access).toMatch(/ok: 222222222222 may apply "org-baseline" version 1/);
    const details = r.stdout.split('\n').filter((l) => /^ +profile us\.guardrail\.v1:0 in [a-z0-9-]+: statement ApplyGuardrail1 grants 222222222222/.test(l));
    expect(details.length).toBe(profiles.length);
    // A profile policy gone: the profile row and the access row say so.
    const gone = profiles[0].properties.resourceArn.replace(/\$\{[^}]*\}/g, '111111111111');
    fake.setPolicy(gone, undefined);
    r = await run(['verify', '--app-dir', profileApp.outdir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`PROBLEM: guardrail profile ${gone} has no resource policy`);
    expect(r.stdout).toContain(`profile us.guardrail.v1:0 in ${gone.split(':')[3]}: the resource has no resource policy`);
  });

  test('--member-role with a path: the role ARN has the path once, and the probe runs as that role', async () => {
    deployDefault();
    for (const given of ['/ops/VerifyReader', 'ops/VerifyReader']) {
      fake.sessions.length = 0;
      const r = await verifyDefault(['--probe', '--member-role', given]);
      expect(r.code).toBe(0);
      // The pilot account has no role of its own in the app, so the member role is assumed there.
      expect(rowsOf(r.stdout, PILOT_ACCOUNT).join('\n')).toContain(`from ${PILOT_ACCOUNT} as arn:aws:iam::${PILOT_ACCOUNT}:role/ops/VerifyReader (session policy: bedrock:ApplyGuardrail only)`);
      expect(fake.sessions.filter((s) => s.account === PILOT_ACCOUNT).map((s) => s.roleArn)).toEqual([`arn:aws:iam::${PILOT_ACCOUNT}:role/ops/VerifyReader`]);
    }
  });

  test('a policy identifier that is not <guardrail ARN>:<version> is a problem of its own, not skipped', async () => {
    deployDefault();
    const dir = fs.mkdtempSync(path.join(path.dirname(defaultApp.outdir), 'malformed-'));
    fs.cpSync(defaultApp.outdir, dir, { recursive: true });
    const file = path.join(dir, 'stacks', 'management', 'cdk.tf.json');
    const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [policy] = Object.values(stack.resource.aws_organizations_policy) as Array<{ content: string }>;
    const content = JSON.parse(policy.content);
    const malformed = `arn:aws:bedrock:us-east-1:${MANAGEMENT}:guardrail/abc123:1:2`;
    content.bedrock.guardrail_inference['us-east-1'].baseline.identifier = { '@@assign': malformed };
    policy.content = JSON.stringify(content);
    fs.writeFileSync(file, JSON.stringify(stack));
    const r = await run(['verify', '--app-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`PROBLEM: policy "bedrock-guardrails" us-east-1/baseline enforces ${malformed}, which is not <guardrail ARN>:<version>`);
  });

  test('a policy attached to the root and to an OU under it: each parent is listed once', async () => {
    const overlapping = synthesize((app) => new ManagementAccountStack(app, 'management', {
      region: 'us-east-1',
      organization: DEFAULT_ORGANIZATION,
      guardrail: baselineGuardrail(),
      organizationEnforcement: { targets: [EnforcementTarget.organizationRoot(), EnforcementTarget.organizationalUnit('ou-ex12-pilot001')], allowRootAttachment: true },
    }));
    expect(overlapping.model.stacks[0].organizationPolicies[0].attachments.map((a) => a.targetType).sort()).toEqual(['ORGANIZATIONAL_UNIT', 'ROOT']);
    fake.setOrganization(exampleOrganization());
    deploy(fake, overlapping.model);
    for (const concurrency of ['1', '8']) {
      fake.calls.length = 0;
      await run(['verify', '--app-dir', overlapping.outdir, '--concurrency', concurrency]);
      for (const operation of ['ListAccountsForParent', 'ListOrganizationalUnitsForParent']) {
        const parents = fake.callsTo(operation).map((c) => String(c.input.ParentId)).sort();
        // The root and each of its four OUs, once each.
        expect(parents).toEqual(['ou-ex12-business1', 'ou-ex12-pilot001', 'ou-ex12-sandbox01', 'ou-ex12-workload1', 'r-ex12']);
      }
    }
  });

  test('a single-account app: no Organizations call at all, the account read with the caller\'s own credentials', async () => {
    const single = synthesize(buildSingleAccount);
    fake.addIdentity('AKIDVERIFYMANAGEMENT', '123456789012', 'arn:aws:sts::123456789012:assumed-role/Platform/carol');
    deploy(fake, single.model, '123456789012');
    const r = await run(['verify', '--app-dir', single.outdir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('against a single account (no organization policy in the app)');
    expect(rowsOf(r.stdout, '123456789012').map((l) => l.replace(/ +/g, ' ').split(':')[0])).toEqual([
      '123456789012 eu-west-1 guardrail version ok', '123456789012 eu-west-1 resource policy ok', '123456789012 eu-west-1 account-level configuration ok',
    ]);
    expect(fake.calls.filter((c) => c.service === 'organizations')).toEqual([]);
    expect(fake.sessions).toEqual([]);
  });
});

function shimObjectsOfApp(app: { model: Parameters<typeof shimObjectsOf>[0] }) {
  return shimObjectsOf(app.model, 'GuardrailResourcePolicy');
}
