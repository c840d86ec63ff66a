/**
 * The validation layer of an app, reached through one accessor: {@link GuardrailsValidation.of}.
 *
 * Constructs register here the facts the synth-time rules and the preview read (plain data of the
 * model's types), and each registration wires the construct's validation: the rules run once over
 * the whole app, and every finding is reported on the construct it is about. Nothing in this layer
 * refers to a construct class, so rules stay pure functions over facts.
 */
import { IConstruct } from 'constructs';
import { Organization } from '../model/organization';
import { warn } from '../private/cdktf';
import {
  AppFacts, EnforcedConfigurationFacts, GuardrailFacts, OrganizationPolicyFacts, ResourcePolicyFacts, ShimHostFacts,
} from './facts';
import { ALL_RULES } from './rules';
import { Acknowledgements, RuleReport, RuleSeverity, runRules } from './rules/engine';

interface Source<F> {
  readonly construct: IConstruct;
  readonly facts: () => F;
}

const validations = new WeakMap<IConstruct, GuardrailsValidation>();

/**
 * Every guardrail, resource policy, enforcement and shim host of one app, the organizations they
 * were given, and the acknowledged warnings: what the rules and the preview read.
 */
export class GuardrailsValidation {
  /** The validation layer of the app `scope` belongs to. */
  public static of(scope: IConstruct): GuardrailsValidation {
    const root = scope.node.root;
    let v = validations.get(root);
    if (!v) {
      v = new GuardrailsValidation();
      validations.set(root, v);
    }
    return v;
  }

  private readonly acknowledgementList = new Acknowledgements();
  private readonly organizations: Organization[] = [];
  private readonly organizationPolicies: Source<OrganizationPolicyFacts>[] = [];
  private readonly accountConfigurations: Source<EnforcedConfigurationFacts>[] = [];
  private readonly resourcePolicies: Array<Source<ResourcePolicyFacts> & { readonly guardrail: IConstruct }> = [];
  private readonly guardrails: Source<GuardrailFacts>[] = [];
  private readonly shimHosts: Source<ShimHostFacts>[] = [];
  private readonly owners = new Set<string>();
  private firstOwner?: string;
  private cachedFacts?: AppFacts;
  private cachedReport?: RuleReport;
  private cachedFiling?: Map<string, { errors: string[]; warnings: string[] }>;

  private constructor() {}

  /**
   * Acknowledges warning `ruleId` for the construct at `scope` and everything under it.
   * @throws GuardrailsValidationError when the rule id is malformed or the reason is empty
   */
  public acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    this.acknowledgementList.acknowledge(scope.node.path, ruleId, reason);
    this.changed();
  }

  /** Records an organization a construct was given (the app must describe one). */
  public addOrganization(organization: Organization | undefined): void {
    if (organization && !this.organizations.includes(organization)) {
      this.organizations.push(organization);
      this.changed();
    }
  }

  /** Registers an organization policy. */
  public addOrganizationPolicy(construct: IConstruct, facts: () => OrganizationPolicyFacts): void {
    this.organizationPolicies.push(this.source(construct, facts));
  }

  /** Registers an account-level configuration. */
  public addAccountConfiguration(construct: IConstruct, facts: () => EnforcedConfigurationFacts): void {
    this.accountConfigurations.push(this.source(construct, facts));
  }

  /** Registers the resource policy of `guardrail`. */
  public addResourcePolicy(construct: IConstruct, guardrail: IConstruct, facts: () => ResourcePolicyFacts): void {
    this.resourcePolicies.push({ ...this.source(construct, facts), guardrail });
  }

  /** The construct registered as `guardrail`'s resource policy, if any. */
  public resourcePolicyFor(guardrail: IConstruct): IConstruct | undefined {
    return this.resourcePolicies.find((p) => p.guardrail === guardrail)?.construct;
  }

  /** Registers a guardrail made in the app. */
  public addGuardrail(construct: IConstruct, facts: () => GuardrailFacts): void {
    this.guardrails.push(this.source(construct, facts));
  }

  /** Registers a shim host. */
  public addShimHost(construct: IConstruct, facts: () => ShimHostFacts): void {
    this.shimHosts.push(this.source(construct, facts));
  }

  /** The app's facts, read from every registered construct (once, until something new registers). */
  public facts(): AppFacts {
    this.cachedFacts ??= {
      organizations: [...this.organizations],
      organizationPolicies: this.organizationPolicies.map((s) => s.facts()),
      accountConfigurations: this.accountConfigurations.map((s) => s.facts()),
      resourcePolicies: this.resourcePolicies.map((s) => s.facts()),
      guardrails: this.guardrails.map((s) => s.facts()),
      shimHosts: this.shimHosts.map((s) => s.facts()),
    };
    return this.cachedFacts;
  }

  /** Every rule run once over the app's facts. */
  public report(): RuleReport {
    this.cachedReport ??= runRules(ALL_RULES, this.facts(), this.acknowledgementList);
    return this.cachedReport;
  }

  private changed(): void {
    this.cachedFacts = undefined;
    this.cachedReport = undefined;
    this.cachedFiling = undefined;
  }

  private source<F>(construct: IConstruct, facts: () => F): Source<F> {
    const path = construct.node.path;
    this.changed();
    if (!this.owners.has(path)) {
      this.owners.add(path);
      this.firstOwner ??= path;
      let warned = false;
      construct.node.addValidation({
        validate: () => {
          const filed = this.filing().get(path);
          if (!warned) {
            warned = true;
            for (const w of filed?.warnings ?? []) warn(construct, w);
          }
          return filed?.errors ?? [];
        },
      });
    }
    return { construct, facts };
  }

  /**
   * Findings by the construct they are reported on: the nearest registered construct at or above
   * the finding's path, or, for a finding about the app as a whole, the first one registered.
   */
  private filing(): Map<string, { errors: string[]; warnings: string[] }> {
    if (this.cachedFiling) return this.cachedFiling;
    const filing = new Map<string, { errors: string[]; warnings: string[] }>();
    const ownerOf = (findingPath: string): string => {
      for (let p = findingPath; p.length > 0; p = p.lastIndexOf('/') < 0 ? '' : p.slice(0, p.lastIndexOf('/'))) {
        if (this.owners.has(p)) return p;
      }
      return this.firstOwner ?? findingPath;
    };
    for (const f of this.report().findings) {
      if (f.acknowledgement) continue;
      const owner = ownerOf(f.path);
      const entry = filing.get(owner) ?? { errors: [], warnings: [] };
      (f.severity === RuleSeverity.ERROR ? entry.errors : entry.warnings).push(f.text);
      filing.set(owner, entry);
    }
    this.cachedFiling = filing;
    return filing;
  }
}
