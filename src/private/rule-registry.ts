import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { GuardrailPrincipalKind } from '../access/principals';
import { GuardrailResourcePolicy } from '../access/resource-policy';
import { Guardrail } from '../guardrail/guardrail';
import { IGuardrailVersion } from '../guardrail/guardrail-base';
import { Organization } from '../organization';
import { ACCOUNT_RULES } from '../rules/account-rules';
import { Acknowledgements, GuardrailRule, RuleFinding, RuleSeverity, formatFinding } from '../rules/engine';
import {
  AccountConfigurationFacts, ExistingAttachmentFacts, GuardrailVersionFacts, OrganizationPolicyFacts, ResourcePolicyReach, guardrailVersionFacts,
} from '../rules/facts';
import { ORGANIZATION_RULES } from '../rules/organization-rules';
import { GuardrailsValidationError } from '../errors';

interface Entry<F> {
  readonly construct: IConstruct;
  /** The construct's path, when the caller has it at hand. @default read from the construct */
  readonly path?: string;
  readonly facts: () => F;
  readonly organization?: Organization;
}

interface Report {
  readonly errors: Map<string, string[]>;
  readonly warnings: Map<string, string[]>;
}

const registries = new WeakMap<IConstruct, RuleRegistry>();

/**
 * Every enforcement in one app, so rules that span constructs (one configuration per account and
 * region, policies per target, reach through resource policies) run once over all of them. Each
 * construct's validation returns the findings under its own path.
 */
export class RuleRegistry {
  /** The registry of the app `scope` belongs to. */
  public static of(scope: IConstruct): RuleRegistry {
    const root = scope.node.root;
    let r = registries.get(root);
    if (!r) {
      r = new RuleRegistry();
      registries.set(root, r);
    }
    return r;
  }

  /** Warnings acknowledged by id and construct path. */
  public readonly acknowledgements = new Acknowledgements();
  private readonly accounts: Entry<AccountConfigurationFacts>[] = [];
  private readonly organizations: Entry<OrganizationPolicyFacts>[] = [];
  private readonly existing: ExistingAttachmentFacts[] = [];
  private report?: Report;

  /** Registers an account-level configuration and wires its validation. */
  public addAccount(entry: Entry<AccountConfigurationFacts>): void {
    this.accounts.push(entry);
    this.wire(entry.construct, entry.path);
  }

  /** Registers an organization policy and wires its validation. */
  public addOrganization(entry: Entry<OrganizationPolicyFacts>, existing: ExistingAttachmentFacts[] = []): void {
    this.organizations.push(entry);
    this.existing.push(...existing);
    this.wire(entry.construct, entry.path);
  }

  /** The constructs registered as account-level enforcement, in registration order. */
  public get accountConstructs(): IConstruct[] {
    return this.accounts.map((e) => e.construct);
  }

  /** The constructs registered as organization-level enforcement, in registration order. */
  public get organizationConstructs(): IConstruct[] {
    return this.organizations.map((e) => e.construct);
  }

  /** The one organization the app's enforcement describes, if any. */
  public get knownOrganization(): Organization | undefined {
    return this.organization();
  }

  private wire(construct: IConstruct, knownPath?: string): void {
    this.report = undefined;
    let warned = false;
    construct.node.addValidation({
      validate: () => {
        const report = this.run();
        const path = knownPath ?? construct.node.path;
        if (!warned) {
          warned = true;
          for (const w of report.warnings.get(path) ?? []) Annotations.of(construct).addWarning(w);
        }
        return report.errors.get(path) ?? [];
      },
    });
  }

  private organization(): Organization | undefined {
    const orgs = [...new Set([...this.organizations, ...this.accounts].map((e) => e.organization).filter((o): o is Organization => !!o))];
    const ids = new Set(orgs.map((o) => o.organizationId));
    if (ids.size > 1) {
      throw new GuardrailsValidationError('organization', `The app describes ${ids.size} organizations (${[...ids].join(', ')}); enforcement checks need one. `
        + 'Pass the same Organization to every enforcement construct.');
    }
    return orgs[0];
  }

  /** Runs every rule once (until something new registers) and files findings under their construct. */
  private run(): Report {
    if (this.report) return this.report;
    const organization = this.organization();
    const report: Report = { errors: new Map(), warnings: new Map() };
    const owners = new Set<string>();
    for (const e of this.organizations) owners.add(e.path ?? e.construct.node.path);
    for (const e of this.accounts) owners.add(e.path ?? e.construct.node.path);
    // The owner is the nearest registered construct at or above the finding's path: walk up the
    // path's segments (a set lookup each) rather than test every owner against every finding.
    const ownerOf = (findingPath: string): string => {
      for (let p = findingPath; ; p = p.slice(0, p.lastIndexOf('/'))) {
        if (owners.has(p)) return p;
        if (p.lastIndexOf('/') < 0) return findingPath;
      }
    };
    const add = (into: Map<string, string[]>, owner: string, text: string) => {
      const list = into.get(owner);
      if (list) list.push(text);
      else into.set(owner, [text]);
    };
    const file = (rule: GuardrailRule<never>, f: RuleFinding) => {
      if (rule.severity === RuleSeverity.ERROR) {
        add(report.errors, ownerOf(f.path), formatFinding(rule.id, f));
      } else if (!this.acknowledgements.find(rule.id, f.path)) {
        add(report.warnings, ownerOf(f.path), formatFinding(rule.id, f));
      }
    };
    // Many enforcements name the same few versions: read each version's facts once per run.
    versionFactsMemo = new Map();
    try {
      if (this.accounts.length) {
        const input = { organization, configurations: this.accounts.map((e) => e.facts()) };
        for (const rule of ACCOUNT_RULES) for (const f of rule.evaluate(input)) file(rule as GuardrailRule<never>, f);
      }
      if (this.organizations.length) {
        const input = { organization, policies: this.organizations.map((e) => e.facts()), existingAttachments: this.existing };
        for (const rule of ORGANIZATION_RULES) for (const f of rule.evaluate(input)) file(rule as GuardrailRule<never>, f);
      }
    } finally {
      versionFactsMemo = undefined;
    }
    this.report = report;
    return report;
  }
}

/** What the rules need to know of a guardrail's resource policy in this app. */
export function resourcePolicyReach(version: IGuardrailVersion): ResourcePolicyReach | undefined {
  const policy = GuardrailResourcePolicy.of(version.guardrail);
  if (!policy) return undefined;
  const principals = policy.principals;
  const orgIds = principals.map((p) => p.organizationId).filter((id): id is string => id !== undefined);
  return {
    path: policy.node.path,
    organizationId: orgIds[0],
    organizationWide: principals.some((p) => p.kind === GuardrailPrincipalKind.ORGANIZATION),
    organizationalUnitIds: [...new Set(principals.flatMap((p) => [...p.organizationalUnitIds]))].sort(),
  };
}

/** Version facts already read during the current rule run (the app does not change during one). */
let versionFactsMemo: Map<IGuardrailVersion, GuardrailVersionFacts> | undefined;

/** Facts about a version, its resource policy in this app included. */
export function versionFactsOf(version: IGuardrailVersion): GuardrailVersionFacts {
  const memo = versionFactsMemo?.get(version);
  if (memo) return memo;
  const facts = readVersionFacts(version);
  versionFactsMemo?.set(version, facts);
  return facts;
}

function readVersionFacts(version: IGuardrailVersion): GuardrailVersionFacts {
  const resourcePolicy = resourcePolicyReach(version);
  // A guardrail imported into the app may well have its policy managed where it was made.
  const unmanaged = resourcePolicy === undefined && !(version.guardrail instanceof Guardrail);
  return guardrailVersionFacts(version, { resourcePolicy, resourcePolicyUnmanaged: unmanaged });
}
