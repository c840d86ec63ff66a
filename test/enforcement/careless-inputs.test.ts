/**
 * Inputs a new user writes by accident that AWS would refuse at apply, or that would leave the
 * outcome to chance: each is refused at synth (or, where legitimate, warned about) with the
 * property, the value and the fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  AccountEnforcement, ContentFilters, ContentGuarding, EnforcementTarget, Guardrail, GuardrailPrincipal, GuardrailsValidationError,
  Organization, OrganizationEnforcement,
} from '../../src';

const MGMT = '111111111111';
const PILOT_ACCOUNT = '222222222222';
const PILOT = 'ou-ab12-pilot001';
const ORG = new Organization({
  organizationId: 'o-abcdefghij', rootId: 'r-ab12', managementAccountId: MGMT,
  organizationalUnits: [{ id: PILOT, name: 'Pilot', accounts: [PILOT_ACCOUNT] }],
});

function management(app = Testing.app(), id = 'management') {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'us-east-1', allowedAccountIds: [MGMT] });
  const guardrail = new Guardrail(stack, 'Guardrail', { name: `baseline-${id}`, contentFilters: ContentFilters.all() });
  guardrail.grantApply(GuardrailPrincipal.ofOrganization(ORG));
  return { app, stack, guardrail, version: guardrail.addVersion() };
}

const synth = (stack: TerraformStack) => Testing.synth(stack, true);

describe('careless inputs', () => {
  test('an account target the Organization does not declare', () => {
    const { stack, version } = management();
    expect(() => new OrganizationEnforcement(stack, 'Enforce', {
      organization: ORG, configurations: [{ name: 'baseline', version }], targets: [EnforcementTarget.account('999999999999')],
    })).toThrow(/OrganizationEnforcement\(management\/Enforce\): `targets\[0\]` names account 999999999999, which the Organization does not declare\. Declare the account/);
    // A declared account is fine.
    expect(() => new OrganizationEnforcement(stack, 'Declared', {
      organization: ORG, configurations: [{ name: 'baseline', version }], targets: [EnforcementTarget.account(PILOT_ACCOUNT)],
    })).not.toThrow();
  });

  test('account-level enforcement in an account the given Organization does not declare', () => {
    const { stack, version } = management();
    expect(() => new AccountEnforcement(stack, 'Member', { version, account: '999999999999', organization: ORG }))
      .toThrow(/AccountEnforcement\(management\/Member\): `account` is 999999999999, which the Organization does not declare\. Declare the account/);
    expect(() => new AccountEnforcement(stack, 'Pilot', { version, account: PILOT_ACCOUNT, organization: ORG })).not.toThrow();
  });

  test('two organization policies with one name anywhere in the app (GR-ORG-015)', () => {
    const app = Testing.app();
    const a = management(app, 'a');
    const b = management(app, 'b');
    for (const m of [a, b]) {
      new OrganizationEnforcement(m.stack, 'Enforce', {
        organization: ORG, policyName: 'bedrock-guardrails', configurations: [{ name: `baseline-${m.stack.node.id}`, version: m.version }],
        targets: [EnforcementTarget.organizationalUnit(PILOT)],
      });
    }
    expect(() => synth(b.stack)).toThrow(/\[GR-ORG-015\] b\/Enforce: policy name "bedrock-guardrails" is used by 2 organization policies \(a\/Enforce, b\/Enforce\).*Fix: Give each OrganizationEnforcement its own `policyName`/);
  });

  test('the default policy name is unique: two stacks\' `Enforce` no longer collide', () => {
    const app = Testing.app();
    const a = management(app, 'a');
    const b = management(app, 'b');
    const policies = [a, b].map((m) => new OrganizationEnforcement(m.stack, 'Enforce', {
      organization: ORG, configurations: [{ name: `baseline-${m.stack.node.id}`, version: m.version }], targets: [EnforcementTarget.organizationalUnit(PILOT)],
    }));
    expect(policies.map((p) => p.policyName)).toEqual(['a-Enforce', 'b-Enforce']);
    expect(() => [synth(a.stack), synth(b.stack)]).not.toThrow();
  });

  test('two guardrails with one name in one account and region (GR-GRD-001); other regions and accounts are fine', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'management');
    new AwsProvider(stack, 'aws', { region: 'us-east-1', allowedAccountIds: [MGMT] });
    const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west', allowedAccountIds: [MGMT] });
    new Guardrail(stack, 'A', { name: 'baseline', contentFilters: ContentFilters.all() });
    new Guardrail(stack, 'West', { name: 'baseline', contentFilters: ContentFilters.all(), provider: west });
    expect(() => synth(stack)).not.toThrow();
    new Guardrail(stack, 'B', { name: 'baseline', contentFilters: ContentFilters.all() });
    expect(() => synth(stack)).toThrow(/\[GR-GRD-001\] management\/B: guardrail name "baseline" is used 2 times in account 111111111111, us-east-1 \(management\/A, management\/B\).*Fix: Give each guardrail/);
  });

  test('two guardrails with one name through the same unpinned provider are caught too', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'unpinned');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new Guardrail(stack, 'A', { name: 'baseline', contentFilters: ContentFilters.all() });
    new Guardrail(stack, 'B', { name: 'baseline', contentFilters: ContentFilters.all() });
    expect(() => synth(stack)).toThrow(/\[GR-GRD-001\].*"baseline" is used 2 times in the account of stack unpinned's default provider, us-east-1/);
  });

  test('a second addVersion() without an id', () => {
    const { guardrail } = management();
    expect(() => guardrail.addVersion()).toThrow(GuardrailsValidationError);
    expect(() => guardrail.addVersion()).toThrow(/Guardrail\(management\/Guardrail\): `addVersion` was called again with id "Version", which an earlier version of this guardrail already has\. Give each version its own construct id, e\.g\. guardrail\.addVersion\("Strict"\)/);
    expect(guardrail.addVersion('Strict').node.id).toBe('Strict');
  });

  test('two policies that give one target the same configuration name with different settings (GR-ORG-016)', () => {
    const { stack, version } = management();
    new OrganizationEnforcement(stack, 'Selective', {
      organization: ORG, configurations: [{ name: 'baseline', version, systemPromptGuarding: ContentGuarding.SELECTIVE }],
      targets: [EnforcementTarget.organizationalUnit(PILOT)],
    });
    new OrganizationEnforcement(stack, 'Comprehensive', {
      organization: ORG, configurations: [{ name: 'baseline', version, systemPromptGuarding: ContentGuarding.COMPREHENSIVE }],
      targets: [EnforcementTarget.organizationalUnit(PILOT)],
    });
    expect(() => synth(stack)).toThrow(/\[GR-ORG-016\] management\/Selective: policies "management-Comprehensive" and "management-Selective" are both attached to OU ou-ab12-pilot001 and assign system prompt guarding of configuration "us-east-1\/baseline" differently.*Fix: Assign each setting in one of the two policies only/);
  });

  test('two policies at one target that agree, or use different configuration names, are fine', () => {
    const { stack, version } = management();
    for (const [id, name] of [['One', 'baseline'], ['Two', 'baseline'], ['Three', 'strict']]) {
      new OrganizationEnforcement(stack, id, {
        organization: ORG, configurations: [{ name, version, systemPromptGuarding: ContentGuarding.SELECTIVE }],
        targets: [EnforcementTarget.organizationalUnit(PILOT)],
      });
    }
    expect(() => synth(stack)).not.toThrow();
  });

  test('a Terraform token as an account ID', () => {
    const { stack, version } = management();
    const token = Lazy.stringValue({ produce: () => PILOT_ACCOUNT });
    expect(() => new AccountEnforcement(stack, 'Member', { version, account: token }))
      .toThrow(/`account` is a Terraform token, known only at apply time, but whether a role must be assumed, and whether the guardrail's resource policy reaches the account, cannot be checked then\. Give the literal 12-digit account ID/);
    expect(() => EnforcementTarget.account(token)).toThrow(/EnforcementTarget: `accountId` is a Terraform token.*Give the literal 12-digit account ID/);
    expect(() => new Organization({ organizationId: 'o-abcdefghij', rootId: 'r-ab12', managementAccountId: token }))
      .toThrow(/Organization: `managementAccountId` is a Terraform token/);
    expect(() => new Organization({ organizationId: 'o-abcdefghij', rootId: 'r-ab12', managementAccountId: MGMT, rootAccounts: [token] }))
      .toThrow(/Organization: `rootAccounts\[0\]` is a Terraform token/);
  });

  test('a NaN rollout stage is reported as NaN, not as null', () => {
    const { stack, version } = management();
    expect(() => new OrganizationEnforcement(stack, 'Enforce', {
      organization: ORG, configurations: [{ name: 'baseline', version }], targets: [EnforcementTarget.organizationalUnit(PILOT)], rolloutStage: Number.NaN,
    })).toThrow(/`rolloutStage` must be a whole number from 1 to 1000, got NaN\. Give the stage number reached so far/);
    expect(() => EnforcementTarget.organizationalUnit(PILOT, { stage: Number.NaN })).toThrow(/`stage` must be a whole number from 1 to 1000, got NaN/);
    expect(() => EnforcementTarget.organizationalUnit(PILOT, { stage: 1.5 })).toThrow(/`stage` must be a whole number from 1 to 1000, got 1\.5/);
  });
});

describe('careless inputs through App.synth', () => {
  test('a repeated configuration name is reported by GR-ORG-006 with its path, not as a token resolution error', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gr-org-006-'));
    try {
      const app = new App({ outdir });
      const { stack, version } = management(app);
      new OrganizationEnforcement(stack, 'Enforce', {
        organization: ORG, configurations: [{ name: 'b', version }, { name: 'b', version }], targets: [EnforcementTarget.organizationalUnit(PILOT)],
      });
      expect(() => app.synth()).toThrow(/\[GR-ORG-006\] management\/Enforce: region us-east-1 has two configurations named "b"/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
