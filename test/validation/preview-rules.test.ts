/**
 * The preview's flagged conflicts and overrides are what GR-ORG-016 and GR-ORG-017 report: both
 * read one inheritance computation, and this keeps them saying the same thing.
 */
import { ContentGuarding } from '../../src/model/enforcement-settings';
import { TargetFacts, TargetType } from '../../src/model/targets';
import { targetText } from '../../src/validation/facts';
import { appEnforcementPreview } from '../../src/validation/preview-writer';
import { ORG_INHERITED_OVERRIDE, ORG_SAME_NODE_CONFLICT } from '../../src/validation/rules/organization-rules';
import {
  accountTarget, appFacts, MEMBER_A, MEMBER_C, organization, orgConfig, orgPolicy, otherVersion, OU_PROD, ou, ROOT,
} from './rules/fixtures';

const LEAF_TEXT: Record<string, string> = {
  identifier: 'the guardrail version', system: 'system prompt guarding', messages: 'message guarding',
  included: 'the included models', excluded: 'the excluded models',
};

/** The preview's `root r-…`, `OU <name>` or `account <id>` as the rules name the node. */
function nodeOfLabel(label: string): string {
  const org = organization();
  const [kind, rest] = [label.slice(0, label.indexOf(' ')), label.slice(label.indexOf(' ') + 1)];
  const node: TargetFacts = kind === 'root' ? { type: TargetType.ROOT, id: rest }
    : kind === 'OU' ? { type: TargetType.ORGANIZATIONAL_UNIT, id: org.organizationalUnitIds().find((id) => org.organizationalUnitName(id) === rest)! }
      : { type: TargetType.ACCOUNT, id: rest };
  return targetText(node);
}

const facts = appFacts({
  organizationPolicies: [
    // The root: a version and system prompt guarding for every account.
    orgPolicy({
      path: 'App/Mgmt/Root', name: 'org-baseline', attached: [ROOT],
      configurations: [orgConfig({ settings: { systemPromptGuarding: ContentGuarding.COMPREHENSIVE } })],
    }),
    // Two policies at OU Prod disagree on the version (the first attached wins), and the winner
    // replaces the root's; the second replaces the root's system prompt guarding.
    orgPolicy({ path: 'App/Mgmt/ProdA', name: 'prod-a', attached: [ou(OU_PROD)], configurations: [orgConfig({ version: otherVersion('2') })] }),
    orgPolicy({
      path: 'App/Mgmt/ProdB', name: 'prod-b', attached: [ou(OU_PROD)],
      configurations: [orgConfig({ version: otherVersion('3'), settings: { systemPromptGuarding: ContentGuarding.SELECTIVE } })],
    }),
    // One account's own policy: message guarding the root leaves alone, and the version again.
    orgPolicy({
      path: 'App/Mgmt/Sandbox', name: 'sandbox-account', attached: [accountTarget(MEMBER_C)],
      configurations: [orgConfig({ version: otherVersion('2'), settings: { messageGuarding: ContentGuarding.SELECTIVE } })],
    }),
  ],
});

/** `<node> | <region>/<name> | <leaf> | <policies>` for every conflict and override the preview flags. */
function previewFlags(): { conflicts: string[]; overrides: string[] } {
  const preview = appEnforcementPreview(facts)!;
  const conflicts = new Set<string>();
  const overrides = new Set<string>();
  for (const a of preview.accounts) {
    for (const r of a.regions) {
      for (const c of r.organizationLevel) {
        for (const text of c.conflicts) {
          const m = /^(\w+): (.+) \((.+)\) and (.+) \((.+)\) assign different values at (.+); the policy attached first \((.+)\) wins$/.exec(text)!;
          expect(m).not.toBeNull();
          expect([m[3], m[5]]).toEqual([m[6], m[6]]);
          expect(m[7]).toBe(m[2]);
          conflicts.add(`${nodeOfLabel(m[6])} | ${r.region}/${c.name} | ${LEAF_TEXT[m[1]]} | ${[m[2], m[4]].sort().join(', ')}`);
        }
        for (const text of c.overrides) {
          const m = /^(\w+): (.+) \((.+)\) replaces (.+) \((.+)\)$/.exec(text)!;
          expect(m).not.toBeNull();
          overrides.add(`${nodeOfLabel(m[3])} | ${r.region}/${c.name} | ${LEAF_TEXT[m[1]]} | ${m[2]} over ${m[4]}`);
        }
      }
    }
  }
  return { conflicts: [...conflicts].sort(), overrides: [...overrides].sort() };
}

/** The same, from what GR-ORG-016 and GR-ORG-017 report. */
function ruleFlags(): { conflicts: string[]; overrides: string[] } {
  const conflicts = ORG_SAME_NODE_CONFLICT.evaluate(facts).map((f) => {
    const m = /^policies "(.+)" and "(.+)" are both attached to (.+) and assign (.+) of configuration "(.+)" differently$/.exec(f.message)!;
    expect(m).not.toBeNull();
    return `${m[3]} | ${m[5]} | ${m[4]} | ${[m[1], m[2]].sort().join(', ')}`;
  });
  const overrides = ORG_INHERITED_OVERRIDE.evaluate(facts).map((f) => {
    const m = /^policy "(.+)" at (.+) replaces (.+) of configuration "(.+)" that policy "(.+)" assigns higher up \(.+\)$/.exec(f.message)!;
    expect(m).not.toBeNull();
    return `${m[2]} | ${m[4]} | ${m[3]} | ${m[1]} over ${m[5]}`;
  });
  return { conflicts: [...new Set(conflicts)].sort(), overrides: [...new Set(overrides)].sort() };
}

describe('the preview and GR-ORG-016/017 agree', () => {
  test('on the same-node conflicts and the overrides, by node, configuration, setting and policies', () => {
    const fromPreview = previewFlags();
    expect(fromPreview).toEqual({
      conflicts: ['OU ou-ab12-prodprod1 | us-east-1/baseline | the guardrail version | prod-a, prod-b'],
      overrides: [
        'OU ou-ab12-prodprod1 | us-east-1/baseline | system prompt guarding | prod-b over org-baseline',
        'OU ou-ab12-prodprod1 | us-east-1/baseline | the guardrail version | prod-a over org-baseline',
        `account ${MEMBER_C} | us-east-1/baseline | the guardrail version | sandbox-account over org-baseline`,
      ],
    });
    expect(ruleFlags()).toEqual(fromPreview);
  });

  test('the conflict is flagged for exactly the accounts under the node, and the account override for that account only', () => {
    const preview = appEnforcementPreview(facts)!;
    const flagged = (kind: 'conflicts' | 'overrides') => preview.accounts
      .filter((a) => a.regions.some((r) => r.organizationLevel.some((c) => c[kind].length > 0))).map((a) => a.account);
    expect(flagged('conflicts')).toEqual([MEMBER_A]);
    expect(flagged('overrides')).toEqual([MEMBER_A, MEMBER_C]);
    expect(preview.summary.conflicts).toBe(1);
  });
});
