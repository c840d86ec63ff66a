import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  AccountEnforcementStack, ContentFilters, Guardrail, GuardrailPrincipal, Organization, accountStackIndex,
  splitAccountEnforcement,
} from '../../src';

const MANAGEMENT = '111111111111';
const REGIONS = ['us-east-1', 'us-west-2'];
const guardrailArn = (region: string) => `arn:aws:bedrock:${region}:${MANAGEMENT}:guardrail/abc123def456`;
const literal = REGIONS.map((region) => ({ guardrailArn: guardrailArn(region), version: '3' }));
const base = { managementAccountId: MANAGEMENT, region: 'us-east-1', versions: literal };

/** `n` distinct member account IDs, starting at `from`. */
function accounts(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => String(200000000000 + from + i));
}

/** Which stack enforces each account, by account. */
function assignment(stacks: AccountEnforcementStack[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of stacks) for (const a of s.accounts) out.set(a, s.node.id);
  return out;
}

/** The synthesized JSON of each stack, by stack id. */
function synthAll(stacks: AccountEnforcementStack[]): Map<string, string> {
  return new Map(stacks.map((s) => [s.node.id, Testing.synth(s, true)]));
}

describe('splitAccountEnforcement', () => {
  test('spreads the accounts over stackCount stacks named <prefix>-1..n, each account once, one provider each', () => {
    const list = accounts(40);
    const stacks = splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: list, stackCount: 4 });
    expect(stacks.map((s) => s.node.id)).toEqual(['acc-1', 'acc-2', 'acc-3', 'acc-4']);
    expect(stacks.flatMap((s) => s.accounts).sort()).toEqual([...list].sort());
    for (const s of stacks) {
      expect(s.enforcements).toHaveLength(s.accounts.length * REGIONS.length);
      for (const a of s.accounts) expect(`acc-${accountStackIndex(a, 4) + 1}`).toBe(s.node.id);
    }
    // Hashing spreads 40 accounts over 4 stacks without leaving one empty or taking most.
    expect(Math.max(...stacks.map((s) => s.accounts.length))).toBeLessThan(20);
    const json = JSON.parse(Testing.synth(stacks[0], true));
    expect(Object.keys(json.resource.aws_lambda_invocation)).toHaveLength(stacks[0].accounts.length * REGIONS.length);
    expect(json.provider.aws).toHaveLength(1);
  });

  test('the stack of an account depends on its ID and stackCount only, not on the order of the list', () => {
    const list = accounts(30);
    const forward = assignment(splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: list, stackCount: 3 }));
    const backward = assignment(splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: [...list].reverse(), stackCount: 3 }));
    expect(backward).toEqual(forward);
  });

  test('adding or removing an account changes that account\'s stack only: every other stack synthesizes byte for byte the same', () => {
    const list = accounts(30);
    const before = splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: list, stackCount: 3 });
    const beforeJson = synthAll(before);

    const removed = list[7];
    const afterRemove = splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: list.filter((a) => a !== removed), stackCount: 3 });
    const removedFrom = before.find((st) => st.accounts.includes(removed))!.node.id;
    for (const [id, json] of synthAll(afterRemove)) {
      if (id === removedFrom) expect(json).not.toBe(beforeJson.get(id));
      else expect(json).toBe(beforeJson.get(id));
    }

    const added = accounts(1, 500)[0];
    const afterAdd = splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: [added, ...list], stackCount: 3 });
    const addedTo = afterAdd.find((st) => st.accounts.includes(added))!.node.id;
    for (const [id, json] of synthAll(afterAdd)) {
      if (id === addedTo) expect(json).not.toBe(beforeJson.get(id));
      else expect(json).toBe(beforeJson.get(id));
    }
  });

  test('raising stackCount moves accounts only into the new stacks', () => {
    const list = accounts(60);
    const three = assignment(splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: list, stackCount: 3 }));
    const four = assignment(splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: list, stackCount: 4 }));
    let moved = 0;
    for (const a of list) {
      if (four.get(a) !== three.get(a)) {
        expect(four.get(a)).toBe('acc-4');
        moved++;
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(list.length / 2);
  });

  test('keeps a stack that comes out empty, with nothing in it but its provider', () => {
    const stacks = splitAccountEnforcement(Testing.app(), 'acc', { ...base, accounts: accounts(1), stackCount: 3 });
    expect(stacks).toHaveLength(3);
    const empty = stacks.find((s) => s.accounts.length === 0)!;
    const json = JSON.parse(Testing.synth(empty, true));
    expect(json.resource).toBeUndefined();
    expect(json.provider.aws).toHaveLength(1);
  });

  test('refuses a bad stackCount, an empty account list, repeated accounts and two versions for a region', () => {
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: accounts(2), stackCount: 0 }))
      .toThrow(/`stackCount` must be a whole number from 1 to 1000, got 0/);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: accounts(2), stackCount: Number.NaN }))
      .toThrow(/`stackCount` must be a whole number from 1 to 1000, got NaN/);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: [], stackCount: 2 })).toThrow(/`accounts` is empty/);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, accounts: ['222222222222', '222222222222'], stackCount: 1 }))
      .toThrow(/`accounts\[1\]` repeats the account "222222222222"/);
    expect(() => new AccountEnforcementStack(Testing.app(), 'a', { ...base, versions: [literal[0], { ...literal[0], version: '4' }], accounts: accounts(1) }))
      .toThrow(/`versions\[1\]` is a second version for us-east-1/);
    expect(() => new AccountEnforcementStack(Testing.app(), 'a', { ...base, versions: [{ guardrailArn: 'arn:aws:bedrock:us-east-1:1:guardrail/x', version: '1' }], accounts: accounts(1) }))
      .toThrow(/`versions\[0\].guardrailArn` must be a guardrail ARN/);
  });

  test('a stack holding too many accounts for its host role fails synth with GR-SHIM-001, naming the split', () => {
    const [stack] = splitAccountEnforcement(Testing.app(), 'a', { ...base, versions: literal.slice(0, 1), accounts: accounts(200), stackCount: 1 });
    expect(() => Testing.synth(stack, true)).toThrow(/\[GR-SHIM-001\].*names 200 member roles.*over IAM's 10240.*splitAccountEnforcement \(about 1[45]\d accounts fit one stack\)/);
    expect(() => splitAccountEnforcement(Testing.app(), 'a', { ...base, versions: literal.slice(0, 1), accounts: accounts(200), stackCount: 2 })
      .forEach((s) => Testing.synth(s, true))).not.toThrow();
  });

  test('refuses a token account ID, since reach and ownership cannot be checked', () => {
    const app = Testing.app();
    const account = Lazy.stringValue({ produce: () => '222222222222' });
    expect(() => new AccountEnforcementStack(app, 'a', { ...base, accounts: [account] }))
      .toThrow(/`account` is a Terraform token, known only at apply time, but whether a role must be assumed.*Give the literal 12-digit account ID/);
  });

  test('a version of the management stack becomes a cross-stack reference (remote state), and its resource policy is checked', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cross-stack-'));
    const app = new App({ outdir });
    const list = accounts(2);
    const org = new Organization({
      organizationId: 'o-splittest01', rootId: 'r-spl1', managementAccountId: MANAGEMENT,
      organizationalUnits: [{ id: 'ou-spl1-aaaaaaaa', accounts: list }],
    });
    const management = new TerraformStack(app, 'management');
    new AwsProvider(management, 'aws', { region: 'us-east-1', allowedAccountIds: [MANAGEMENT] });
    const guardrail = new Guardrail(management, 'Guardrail', { name: 'baseline', contentFilters: ContentFilters.all() });
    guardrail.grantApply(GuardrailPrincipal.organization('o-splittest01'));
    const version = guardrail.addVersion();
    const [members] = splitAccountEnforcement(app, 'members', {
      managementAccountId: MANAGEMENT, region: 'us-east-1', versions: [version], accounts: list, organization: org, stackCount: 1,
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
