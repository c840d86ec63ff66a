import { GuardrailsValidationError } from '../../errors';

/** How a rule's findings are treated. */
export enum RuleSeverity {
  /** Blocks synthesis: the configuration would fail at apply or leave accounts broken or unguarded. */
  ERROR = 'error',
  /** Reported; does not block. Can be acknowledged by rule id with a reason. */
  WARNING = 'warning',
}

/** One place where a rule fired. */
export interface RuleFinding {
  /** Construct path the finding is about (acknowledgements match it or an ancestor). */
  readonly path: string;
  /** Why it fired: what was found, with the value received. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * A synth-time rule: a pure function over plain facts, with a stable id.
 *
 * @typeParam TInput the facts the rule reads
 */
export interface GuardrailRule<TInput> {
  /** Stable id, e.g. `GR-ORG-001`. Never reused for another meaning. */
  readonly id: string;
  /** Error or warning. */
  readonly severity: RuleSeverity;
  /** Short title. */
  readonly title: string;
  /** Why the rule exists: what goes wrong in AWS without it. */
  readonly rationale: string;
  /** Findings for the input; empty when compliant or when a token keeps the rule from deciding. */
  readonly evaluate: (input: TInput) => RuleFinding[];
}

/** One finding as the runner reports it. */
export interface ReportedFinding {
  /** The rule that fired. */
  readonly ruleId: string;
  /** Its severity. */
  readonly severity: RuleSeverity;
  /** Construct path the finding is about. */
  readonly path: string;
  /** `[<rule id>] <path>: <message>. Fix: <fix>`. */
  readonly text: string;
  /** The acknowledgement covering it (warnings only). @default none */
  readonly acknowledgement?: Acknowledgement;
}

/** The outcome of {@link runRules}: messages prefixed with `[<rule id>]`. */
export interface RuleReport {
  /** Every finding, ordered by rule (as given), then path and message. */
  readonly findings: readonly ReportedFinding[];
  /** Error messages: synthesis must fail when any is present. */
  readonly errors: string[];
  /** Warnings that were not acknowledged. */
  readonly warnings: string[];
  /** Warnings that were acknowledged, each followed by the reason given. */
  readonly acknowledged: string[];
}

/** An acknowledgement of a warning rule for a construct path and everything under it. */
export interface Acknowledgement {
  /** Construct path the acknowledgement covers (and its descendants). */
  readonly scope: string;
  /** The warning rule id. */
  readonly ruleId: string;
  /** Why the warning is acceptable here. */
  readonly reason: string;
}

/** Pattern of a rule id: `GR-<AREA>-<number>`. */
export const RULE_ID_PATTERN = /^GR-[A-Z]+-\d{3}$/;

/**
 * Warnings acknowledged by rule id, with a reason, for a construct path and its descendants.
 * Errors cannot be acknowledged: they describe configurations AWS rejects or that break calls.
 *
 * Pure data: constructs record acknowledgements here (keyed by their own path) and hand the
 * object to {@link runRules}.
 */
export class Acknowledgements {
  private readonly items: Acknowledgement[] = [];
  /** Per rule id, the first acknowledgement given for each scope: `find` walks up a path instead of testing every item. */
  private readonly byRule = new Map<string, Map<string, Acknowledgement>>();

  /**
   * Acknowledges warning `ruleId` for `scope` (a construct path) and everything under it; an empty
   * scope covers the whole app.
   *
   * @throws GuardrailsValidationError when the rule id is malformed or the reason is empty
   */
  public acknowledge(scope: string, ruleId: string, reason: string): this {
    if (!RULE_ID_PATTERN.test(ruleId)) {
      throw new GuardrailsValidationError('ruleId',
        `Acknowledgements: \`ruleId\` must look like "GR-ORG-013", got ${JSON.stringify(ruleId)}. Copy the id from the warning's [brackets].`);
    }
    if (reason.trim().length === 0) {
      throw new GuardrailsValidationError('reason',
        `Acknowledgements: \`reason\` for ${ruleId} at "${scope}" is empty. Say why the warning is acceptable here; it is printed with the report.`);
    }
    const item = { scope, ruleId, reason: reason.trim() };
    this.items.push(item);
    let scopes = this.byRule.get(ruleId);
    if (!scopes) {
      scopes = new Map();
      this.byRule.set(ruleId, scopes);
    }
    if (!scopes.has(scope)) scopes.set(scope, item);
    return this;
  }

  /** The acknowledgement covering `ruleId` at `path` (the nearest scope wins), if any. */
  public find(ruleId: string, path: string): Acknowledgement | undefined {
    const scopes = this.byRule.get(ruleId);
    if (!scopes) return undefined;
    // A scope covers the path itself and everything below it: try the path, then each ancestor
    // (the text before each '/', nearest first), then the whole app ('').
    for (let at = path.length; at >= 0; at = path.lastIndexOf('/', at - 1)) {
      const hit = scopes.get(path.slice(0, at));
      if (hit) return hit;
      if (at === 0) break;
    }
    return scopes.get('');
  }

  /** Every acknowledgement, in the order given. */
  public get all(): readonly Acknowledgement[] {
    return [...this.items];
  }
}

/** Formats a finding as `[id] path: message. Fix: fix` (a message already ending in `.` keeps one; no path, no `path: `). */
export function formatFinding(ruleId: string, finding: RuleFinding): string {
  const message = finding.message.replace(/\.$/, '');
  // A finding about the app as a whole has no construct path.
  return `[${ruleId}] ${finding.path ? `${finding.path}: ` : ''}${message}. Fix: ${finding.fix}`;
}

/**
 * Runs rules over one input: the one runner, used by every app's validation and by the tests.
 * Findings are ordered by rule (as given) then by path and message, so the same input gives the
 * same report. Acknowledged warnings move to `acknowledged`; acknowledgements of error rules are
 * ignored.
 *
 * @param rules the rules to run; their ids must be distinct
 * @param input the facts they read
 * @param acknowledged warnings acknowledged by id and scope
 * @default acknowledged none
 */
export function runRules<TInput>(rules: readonly GuardrailRule<TInput>[], input: TInput, acknowledged?: Acknowledgements): RuleReport {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) {
      throw new GuardrailsValidationError('rules', `runRules: rule id ${r.id} appears twice. Give every rule its own id.`);
    }
    seen.add(r.id);
  }
  const findings: ReportedFinding[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const acked: string[] = [];
  for (const rule of rules) {
    const found = [...rule.evaluate(input)]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    for (const f of found) {
      const text = formatFinding(rule.id, f);
      if (rule.severity === RuleSeverity.ERROR) {
        errors.push(text);
        findings.push({ ruleId: rule.id, severity: rule.severity, path: f.path, text });
        continue;
      }
      const ack = acknowledged?.find(rule.id, f.path);
      if (ack) acked.push(`${text} (acknowledged at "${ack.scope}": ${ack.reason})`);
      else warnings.push(text);
      findings.push({ ruleId: rule.id, severity: rule.severity, path: f.path, text, ...(ack ? { acknowledgement: ack } : {}) });
    }
  }
  return { findings, errors, warnings, acknowledged: acked };
}
