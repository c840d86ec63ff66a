/**
 * The outcome of a verify run: findings (ok, problem, note) per account and region, how each
 * Terraform interpolation was resolved, and totals; rendered as a table for people or as JSON for
 * pipelines. Both renderings are deterministic: findings are sorted, and no time or duration is in
 * them (durations go to the progress stream).
 */
import { compare } from './common';

/** The checks, in the order a table lists them within an account and region. */
export const CHECKS = [
  'caller',
  'policy type',
  'organization policy',
  'invalid effective policies',
  'guardrail version',
  'resource policy',
  'location',
  'guardrail access',
  'effective policy',
  'account-level configuration',
  'probe',
] as const;

/** One of {@link CHECKS}. */
export type CheckName = (typeof CHECKS)[number];

/**
 * How a check came out:
 * - `ok`: as the app wants;
 * - `problem`: not as the app wants, or the check could not be completed (exit code 1);
 * - `note`: worth knowing, not a problem (exit code unaffected).
 */
export type FindingStatus = 'ok' | 'problem' | 'note';

/** The row for things of the whole organization. */
export const ORGANIZATION_ROW = 'organization';

/** One result of one check. */
export interface Finding {
  /** The account, or {@link ORGANIZATION_ROW}. */
  readonly account: string;
  /** The region, or `-` when the check has none. */
  readonly region: string;
  /** Which check. */
  readonly check: CheckName;
  /** How it came out. */
  readonly status: FindingStatus;
  /** One line: what was checked and what was found. */
  readonly summary: string;
  /** Further lines (a field-by-field drift, say). @default none */
  readonly details?: string[];
  /** How to fix a problem. @default none */
  readonly fix?: string;
}

/** How one interpolation of the synthesized app was resolved against live AWS. */
export interface Resolution {
  /** The stack. */
  readonly stack: string;
  /** The interpolation, e.g. `${aws_bedrock_guardrail_version.V.version}`. */
  readonly reference: string;
  /** The value used, or undefined when it could not be resolved. */
  readonly value?: string;
  /** Where the value came from. */
  readonly source: string;
}

/** Counts over the findings. */
export interface Totals {
  /** Findings. */
  readonly checks: number;
  /** Findings with status ok. */
  readonly ok: number;
  /** Findings with status problem. */
  readonly problems: number;
  /** Findings with status note. */
  readonly notes: number;
  /** Distinct accounts with findings (the organization row not counted). */
  readonly accounts: number;
  /** Distinct regions with findings. */
  readonly regions: number;
}

/** A finished run. */
export interface VerifyReport {
  /** The app directory checked. */
  readonly appDir: string;
  /** The stacks read. */
  readonly stacks: string[];
  /** The caller's ARN. */
  readonly caller?: string;
  /** The organization, when the app uses one. */
  readonly organizationId?: string;
  /** The organization's management account. */
  readonly managementAccountId?: string;
  /** `--probe` was given. */
  readonly probe: boolean;
  /** `--stage N`, when given. */
  readonly stage?: number;
  /** Resolutions, sorted. */
  readonly resolved: Resolution[];
  /** Findings, sorted. */
  readonly findings: Finding[];
  /** Counts. */
  readonly totals: Totals;
}

/** Sorts findings: the organization row first, then accounts, regions, checks in {@link CHECKS} order, summaries. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (a: string) => (a === ORGANIZATION_ROW ? '' : a);
  return [...findings].sort((a, b) => compare(rank(a.account), rank(b.account)) || compare(a.region, b.region)
    || CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check) || compare(a.summary, b.summary));
}

/** Counts over `findings`. */
export function totalsOf(findings: readonly Finding[]): Totals {
  return {
    checks: findings.length,
    ok: findings.filter((f) => f.status === 'ok').length,
    problems: findings.filter((f) => f.status === 'problem').length,
    notes: findings.filter((f) => f.status === 'note').length,
    accounts: new Set(findings.map((f) => f.account).filter((a) => a !== ORGANIZATION_ROW)).size,
    regions: new Set(findings.map((f) => f.region).filter((r) => r !== '-')).size,
  };
}

const STATUS_TEXT: Record<FindingStatus, string> = { ok: 'ok', problem: 'PROBLEM', note: 'note' };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The closing line: counts of checks, results, accounts and regions. */
export function totalLine(t: Totals): string {
  return `Total: ${plural(t.checks, 'check')} over ${plural(t.accounts, 'account')} and ${plural(t.regions, 'region')}: `
    + `${t.ok} ok, ${plural(t.problems, 'problem')}, ${plural(t.notes, 'note')}.`;
}

/** The report as a table, one row per finding, grouped by account and region. */
export function renderTable(report: VerifyReport): string {
  const lines: string[] = [];
  const scope = report.organizationId
    ? `organization ${report.organizationId} (management account ${report.managementAccountId})`
    : 'a single account (no organization policy in the app)';
  lines.push(`cdktf-bedrock-guardrails verify: ${report.appDir} (${plural(report.stacks.length, 'stack')}: ${report.stacks.join(', ')}) against ${scope}`);
  if (report.caller) lines.push(`Caller: ${report.caller}${report.probe ? '; --probe' : ''}${report.stage !== undefined ? `; --stage ${report.stage}` : ''}`);
  if (report.resolved.length) {
    lines.push('', 'Resolved from live AWS (verify does not read Terraform state):');
    for (const r of report.resolved) lines.push(`  ${r.stack}: ${r.reference} = ${r.value ?? '(unresolved)'} (${r.source})`);
  }
  lines.push('');
  const headers = ['ACCOUNT', 'REGION', 'CHECK', 'RESULT'];
  const widths = [
    Math.max(headers[0].length, ...report.findings.map((f) => f.account.length)),
    Math.max(headers[1].length, ...report.findings.map((f) => f.region.length)),
    Math.max(headers[2].length, ...report.findings.map((f) => f.check.length)),
  ];
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - s.length));
  const indent = ' '.repeat(widths[0] + widths[1] + widths[2] + 6);
  lines.push(`${pad(headers[0], widths[0])}  ${pad(headers[1], widths[1])}  ${pad(headers[2], widths[2])}  ${headers[3]}`);
  let previous = '';
  for (const f of report.findings) {
    const group = `${f.account}\0${f.region}`;
    if (previous && group.split('\0')[0] !== previous.split('\0')[0]) lines.push('');
    previous = group;
    lines.push(`${pad(f.account, widths[0])}  ${pad(f.region, widths[1])}  ${pad(f.check, widths[2])}  ${STATUS_TEXT[f.status]}: ${f.summary}`);
    for (const d of f.details ?? []) lines.push(`${indent}  ${d}`);
    if (f.fix) lines.push(`${indent}  fix: ${f.fix}`);
  }
  lines.push('', totalLine(report.totals));
  return `${lines.join('\n')}\n`;
}

/** The report as JSON text, for pipelines. */
export function renderJson(report: VerifyReport): string {
  return `${JSON.stringify(report, undefined, 2)}\n`;
}
