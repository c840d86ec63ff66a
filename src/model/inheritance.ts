/**
 * How AWS Organizations inherits the settings of `BEDROCK_POLICY` policies down the tree, computed
 * once for the preview and the rules: from the root through the OUs to an account, at each node the
 * first attached policy to assign a setting wins among the policies attached there, and a lower
 * node's `@@assign` replaces what a higher node assigned for the same region, configuration name
 * and leaf.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 */
import { BedrockPolicyContent, PolicyLeaf, assignedLeaves } from './bedrock-policy';
import { TargetFacts } from './targets';

/** What inheritance reads of a policy. */
export interface InheritedPolicy {
  /** The rendered content. @default undefined: the policy assigns nothing (it cannot render) */
  readonly content?: BedrockPolicyContent;
  /** Nodes it is attached to directly, in attachment order. */
  readonly targets: readonly TargetFacts[];
}

/** A node with the policies attached to it directly. */
export interface NodePolicies<P> {
  /** The node (the first target naming it). */
  readonly node: TargetFacts;
  /** Its policies, each once, in the order given. */
  readonly policies: readonly P[];
}

/** One setting: a leaf of one configuration in one region. */
export interface PolicySetting {
  /** Region key. */
  readonly region: string;
  /** Configuration name. */
  readonly name: string;
  /** The leaf. */
  readonly leaf: PolicyLeaf;
}

/** A setting as one policy assigns it at one node. */
export interface Assignment<P> extends PolicySetting {
  /** The assigned value. */
  readonly value: string | string[];
  /** The policy assigning it. */
  readonly policy: P;
  /** The node the policy is attached to. */
  readonly node: TargetFacts;
}

/** Two policies attached to one node assigning one setting differently: the first attached wins. */
export interface SameNodeConflict<P> {
  /** The assignment that wins. */
  readonly first: Assignment<P>;
  /** The later one, ignored. */
  readonly second: Assignment<P>;
}

/** A lower node's assignment replacing a different value assigned higher up. */
export interface InheritedOverride<P> {
  /** What was in effect above. */
  readonly above: Assignment<P>;
  /** What replaces it. */
  readonly assigned: Assignment<P>;
}

/** What one node assigns. */
export interface NodeAssignments<P> {
  /** The winning assignment of each setting, by {@link settingKey}, in the order first assigned. */
  readonly assigned: ReadonlyMap<string, Assignment<P>>;
  /** Settings the node's policies assign differently, in the order found. */
  readonly conflicts: readonly SameNodeConflict<P>[];
}

/** What applies at the end of a chain of nodes. */
export interface EffectiveSettings<P> {
  /** The assignment in effect for each setting, by {@link settingKey}. */
  readonly effective: ReadonlyMap<string, Assignment<P>>;
  /** Same-node conflicts at the nodes of the chain, top first. */
  readonly conflicts: readonly SameNodeConflict<P>[];
  /** Settings a lower node assigns over a different value from above, top first. */
  readonly overrides: readonly InheritedOverride<P>[];
}

/** A key naming one setting: distinct for every region, configuration name and leaf. */
export function settingKey(s: PolicySetting): string {
  return `${s.region}\u0000${s.name}\u0000${s.leaf}`;
}

/** A key naming one node. */
export function nodeKey(node: TargetFacts): string {
  return `${node.type}/${node.id}`;
}

function sameValue(a: string | string[], b: string | string[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The nodes `policies` are attached to, in the order first attached, each with the policies
 * attached to it in the order given. A policy attached to a node twice is listed there once.
 */
export function policiesByNode<P>(policies: readonly P[], targetsOf: (p: P) => readonly TargetFacts[]): NodePolicies<P>[] {
  const byNode = new Map<string, { node: TargetFacts; policies: P[] }>();
  for (const p of policies) {
    for (const t of targetsOf(p)) {
      const key = nodeKey(t);
      const entry = byNode.get(key) ?? { node: { type: t.type, id: t.id }, policies: [] };
      if (!entry.policies.includes(p)) entry.policies.push(p);
      byNode.set(key, entry);
    }
  }
  return [...byNode.values()];
}

/**
 * Inheritance over one set of policies: what each node assigns (read once per node, since the
 * chain of every account under a node passes through it) and what applies along a chain.
 */
export class PolicyInheritance<P> {
  private readonly read = new Map<P, InheritedPolicy>();
  private readonly byNode: Map<string, NodePolicies<P>>;
  private readonly atNode = new Map<string, NodeAssignments<P>>();

  /**
   * @param policies the policies, in attachment order: at one node, the first wins
   * @param describe what inheritance reads of each policy
   */
  public constructor(policies: readonly P[], describe: (p: P) => InheritedPolicy) {
    for (const p of policies) if (!this.read.has(p)) this.read.set(p, describe(p));
    this.byNode = new Map(policiesByNode([...this.read.keys()], (p) => this.read.get(p)!.targets).map((n) => [nodeKey(n.node), n]));
  }

  /** Every node some policy is attached to, in the order first attached. */
  public nodes(): NodePolicies<P>[] {
    return [...this.byNode.values()];
  }

  /** The policies attached directly to `node`, in the order given. */
  public policiesAt(node: TargetFacts): readonly P[] {
    return this.byNode.get(nodeKey(node))?.policies ?? [];
  }

  /** What the policies attached directly to `node` assign, and where they disagree. */
  public assignmentsAt(node: TargetFacts): NodeAssignments<P> {
    const key = nodeKey(node);
    const cached = this.atNode.get(key);
    if (cached) return cached;
    const assigned = new Map<string, Assignment<P>>();
    const conflicts: SameNodeConflict<P>[] = [];
    const at: TargetFacts = { type: node.type, id: node.id };
    for (const policy of this.policiesAt(node)) {
      const content = this.read.get(policy)!.content;
      if (!content) continue;
      for (const [region, byName] of Object.entries(content.bedrock.guardrail_inference)) {
        for (const [name, config] of Object.entries(byName)) {
          for (const [leaf, value] of assignedLeaves(config)) {
            const here: Assignment<P> = { region, name, leaf, value, policy, node: at };
            const k = settingKey(here);
            const first = assigned.get(k);
            if (first === undefined) assigned.set(k, here);
            else if (!sameValue(first.value, value)) conflicts.push({ first, second: here });
          }
        }
      }
    }
    const result: NodeAssignments<P> = { assigned, conflicts };
    this.atNode.set(key, result);
    return result;
  }

  /** What applies at the end of `chain` (the root first, then OUs down to the account). */
  public effectiveAlong(chain: readonly TargetFacts[]): EffectiveSettings<P> {
    const effective = new Map<string, Assignment<P>>();
    const conflicts: SameNodeConflict<P>[] = [];
    const overrides: InheritedOverride<P>[] = [];
    for (const node of chain) {
      const here = this.assignmentsAt(node);
      conflicts.push(...here.conflicts);
      for (const [key, assigned] of here.assigned) {
        const above = effective.get(key);
        if (above && !sameValue(above.value, assigned.value)) overrides.push({ above, assigned });
        effective.set(key, assigned);
      }
    }
    return { effective, conflicts, overrides };
  }
}
