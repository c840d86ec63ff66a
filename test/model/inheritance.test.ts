import { PolicyConfigurationData, renderBedrockPolicy } from '../../src/model/bedrock-policy';
import { ContentGuarding, NormalizedEnforcementSettings } from '../../src/model/enforcement-settings';
import { Assignment, InheritedPolicy, PolicyInheritance, policiesByNode, settingKey } from '../../src/model/inheritance';
import { TargetFacts, TargetType } from '../../src/model/targets';

const ROOT: TargetFacts = { type: TargetType.ROOT, id: 'r-ab12' };
const WORKLOADS: TargetFacts = { type: TargetType.ORGANIZATIONAL_UNIT, id: 'ou-ab12-workload1' };
const PROD: TargetFacts = { type: TargetType.ORGANIZATIONAL_UNIT, id: 'ou-ab12-prodprod1' };
const ACCOUNT: TargetFacts = { type: TargetType.ACCOUNT, id: '222222222222' };
const CHAIN = [ROOT, WORKLOADS, PROD, ACCOUNT];

const id = (n: number) => `arn:aws:bedrock:us-east-1:111111111111:guardrail/abcdefghij01:${n}`;

interface Policy extends InheritedPolicy {
  readonly name: string;
}

function policy(name: string, targets: TargetFacts[], configs: Array<Partial<PolicyConfigurationData>>): Policy {
  return {
    name,
    targets,
    content: renderBedrockPolicy(configs.map((c) => ({ region: 'us-east-1', name: 'baseline', identifier: id(1), settings: {}, ...c }))),
  };
}

const inheritance = (...policies: Policy[]) => new PolicyInheritance(policies, (p) => p);
const key = (leaf: Assignment<Policy>['leaf'], name = 'baseline', region = 'us-east-1') => settingKey({ region, name, leaf });
const summary = (a: Assignment<Policy> | undefined) => a && { policy: a.policy.name, node: a.node.id, value: a.value };
const selective: NormalizedEnforcementSettings = { systemPromptGuarding: ContentGuarding.SELECTIVE };

describe('policiesByNode', () => {
  test('nodes in the order first attached, each policy once per node, in the order given', () => {
    const a = policy('a', [WORKLOADS, ROOT, WORKLOADS], []);
    const b = policy('b', [ROOT], []);
    const c = policy('c', [ACCOUNT, WORKLOADS], []);
    expect(policiesByNode([a, b, c], (p) => p.targets).map((n) => [n.node.id, n.policies.map((p) => p.name)])).toEqual([
      [WORKLOADS.id, ['a', 'c']],
      [ROOT.id, ['a', 'b']],
      [ACCOUNT.id, ['c']],
    ]);
  });

  test('a root, an OU and an account are told apart by type as well as ID', () => {
    const odd: TargetFacts = { type: TargetType.ACCOUNT, id: ROOT.id };
    expect(policiesByNode([policy('a', [ROOT, odd], [])], (p) => p.targets).map((n) => n.node)).toEqual([ROOT, odd]);
  });
});

describe('PolicyInheritance', () => {
  test('at one node, the policy attached first wins, and the disagreement is a conflict', () => {
    const first = policy('first', [WORKLOADS], [{ identifier: id(1) }]);
    const second = policy('second', [WORKLOADS], [{ identifier: id(2) }]);
    const at = inheritance(first, second).assignmentsAt(WORKLOADS);
    expect(summary(at.assigned.get(key('identifier')))).toEqual({ policy: 'first', node: WORKLOADS.id, value: id(1) });
    expect(at.conflicts.map((c) => [c.first.policy.name, c.second.policy.name, c.first.leaf, c.second.value])).toEqual([
      ['first', 'second', 'identifier', id(2)],
    ]);
    // The order of the list is the attachment order.
    expect(summary(inheritance(second, first).assignmentsAt(WORKLOADS).assigned.get(key('identifier')))?.policy).toBe('second');
  });

  test('policies at one node that agree, or assign different settings, do not conflict', () => {
    const a = policy('a', [WORKLOADS], [{ identifier: id(1) }]);
    const same = policy('same', [WORKLOADS], [{ identifier: id(1), settings: selective }]);
    const other = policy('other', [WORKLOADS], [{ name: 'prod', identifier: id(2) }]);
    const at = inheritance(a, same, other).assignmentsAt(WORKLOADS);
    expect(at.conflicts).toEqual([]);
    expect(summary(at.assigned.get(key('system')))).toEqual({ policy: 'same', node: WORKLOADS.id, value: 'selective' });
    expect(summary(at.assigned.get(key('identifier', 'prod')))?.policy).toBe('other');
  });

  test('a lower node\'s assignment replaces a different one from above, leaf by leaf; an equal one is no override', () => {
    const root = policy('root', [ROOT], [{ identifier: id(1), settings: selective }]);
    const prod = policy('prod', [PROD], [{ identifier: id(2), settings: selective }]);
    const along = inheritance(root, prod).effectiveAlong(CHAIN);
    expect(summary(along.effective.get(key('identifier')))).toEqual({ policy: 'prod', node: PROD.id, value: id(2) });
    expect(summary(along.effective.get(key('system')))).toEqual({ policy: 'prod', node: PROD.id, value: 'selective' });
    expect(along.overrides.map((o) => [o.above.policy.name, o.above.node.id, o.assigned.policy.name, o.assigned.node.id, o.assigned.leaf])).toEqual([
      ['root', ROOT.id, 'prod', PROD.id, 'identifier'],
    ]);
    expect(along.conflicts).toEqual([]);
  });

  test('configurations with different names accumulate down the chain', () => {
    const along = inheritance(policy('root', [ROOT], [{}]), policy('account', [ACCOUNT], [{ name: 'extra', identifier: id(3) }])).effectiveAlong(CHAIN);
    expect([...along.effective.values()].map((a) => `${a.name}/${a.leaf}=${a.policy.name}`)).toEqual(['baseline/identifier=root', 'extra/identifier=account']);
    expect(along.overrides).toEqual([]);
  });

  test('a chain gathers the conflicts of each of its nodes, top first, and only of its nodes', () => {
    const sandbox: TargetFacts = { type: TargetType.ORGANIZATIONAL_UNIT, id: 'ou-ab12-sandbox11' };
    const policies = [
      policy('p1', [PROD, ROOT, sandbox], [{ identifier: id(1) }]),
      policy('p2', [PROD, sandbox], [{ identifier: id(2) }]),
      policy('p3', [ROOT], [{ identifier: id(3) }]),
    ];
    const along = inheritance(...policies).effectiveAlong(CHAIN);
    expect(along.conflicts.map((c) => [c.first.node.id, c.first.policy.name, c.second.policy.name])).toEqual([
      [ROOT.id, 'p1', 'p3'],
      [PROD.id, 'p1', 'p2'],
    ]);
    // p1 wins at both nodes: nothing is overridden.
    expect(along.overrides).toEqual([]);
    expect(summary(along.effective.get(key('identifier')))).toEqual({ policy: 'p1', node: PROD.id, value: id(1) });
  });

  test('a chain no policy is attached along assigns nothing', () => {
    const along = inheritance(policy('elsewhere', [{ type: TargetType.ACCOUNT, id: '333333333333' }], [{}])).effectiveAlong(CHAIN);
    expect(along).toEqual({ effective: new Map(), conflicts: [], overrides: [] });
    expect(inheritance().effectiveAlong(CHAIN)).toEqual({ effective: new Map(), conflicts: [], overrides: [] });
  });

  test('a policy without content is attached but assigns nothing', () => {
    const blank: Policy = { name: 'blank', targets: [ROOT] };
    const i = inheritance(blank, policy('later', [ROOT], [{ identifier: id(2) }]));
    expect(i.nodes().map((n) => n.policies.map((p) => p.name))).toEqual([['blank', 'later']]);
    expect(summary(i.assignmentsAt(ROOT).assigned.get(key('identifier')))?.policy).toBe('later');
    expect(i.assignmentsAt(ROOT).conflicts).toEqual([]);
  });

  test('what a node assigns is read once, whichever chains pass through it', () => {
    let reads = 0;
    const root = policy('root', [ROOT], [{}]);
    const i = new PolicyInheritance([root], (p) => ({ targets: p.targets, get content() { reads++; return p.content; } }));
    i.effectiveAlong([ROOT, WORKLOADS]);
    i.effectiveAlong([ROOT, PROD, ACCOUNT]);
    expect(i.assignmentsAt({ ...ROOT })).toBe(i.assignmentsAt(ROOT));
    expect(reads).toBe(1);
  });
});
