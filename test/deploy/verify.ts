/**
 * `verify` (src/verify/) run in-process against a scenario's emulator, as a user would run it after
 * a deploy: the synthesized app's output directory, the credentials of a principal of the
 * management account, and the real SDK clients pointed at the emulator through AWS_ENDPOINT_URL.
 */
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/verify/cli';
import type { Finding, VerifyReport } from '../../src/verify/report';
import type { OperatorSession } from './emulator';

/** What one verify run printed and returned; `report` is the parsed `--json` output. */
export interface VerifyRun {
  readonly code: number;
  readonly report: VerifyReport;
  readonly stderr: string;
}

/** Variables that could point the SDK elsewhere than the emulator, or at other credentials. */
const CLEARED = /^AWS_(PROFILE|DEFAULT_PROFILE|ROLE_ARN|ROLE_SESSION_NAME|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_\w+|ENDPOINT_URL_\w+|DEFAULT_REGION)$/;

/**
 * Runs `verify --json <args>` with `credentials` against the emulator at `url`. The environment is
 * set for the run only and restored afterwards (terraform, run later by the same process, must not
 * see it). Retries are short: the emulator answers at once or not at all.
 */
export async function runVerify(url: string, credentials: OperatorSession, args: readonly string[]): Promise<VerifyRun> {
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'deploy-tier-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'deploy-tier-no-aws-credentials'),
  };
  const saved = new Map<string, string | undefined>();
  for (const k of [...Object.keys(env), ...Object.keys(process.env).filter((k) => CLEARED.test(k))]) saved.set(k, process.env[k]);
  for (const k of saved.keys()) delete process.env[k];
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(['verify', '--json', '--max-attempts', '2', ...args], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      retry: { baseDelayMs: 50, maxDelayMs: 200, requestTimeoutMs: 30_000, connectTimeoutMs: 5_000 },
      stsRegion: 'us-east-1',
    });
    let report: VerifyReport;
    try {
      report = JSON.parse(stdout) as VerifyReport;
    } catch {
      throw new Error(`verify exited ${code} without a JSON report:\n${stderr}\n${stdout}`);
    }
    return { code, report, stderr };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `account region check: status` per finding, in the report's order. */
export function rows(report: VerifyReport): string[] {
  return report.findings.map((f) => `${f.account} ${f.region} ${f.check}: ${f.status}`);
}

/**
 * The rows of a run that must have found everything as the app wants; throws with what verify
 * reported otherwise (its problems and notes), so a failure says why.
 */
export function okRows(r: VerifyRun): string[] {
  const other = r.report.findings.filter((f) => f.status !== 'ok');
  if (r.code !== 0 || other.length) throw new Error(`verify exited ${r.code}:\n${describeFindings(other)}\n${r.stderr}`);
  return rows(r.report);
}

/** The findings that are problems. */
export function problems(report: VerifyReport): Finding[] {
  return report.findings.filter((f) => f.status === 'problem');
}

/** Findings as text, for a failure message that shows what verify said. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.account} ${f.region} ${f.check}: ${f.status}: ${f.summary}${f.details?.length ? `\n    ${f.details.join('\n    ')}` : ''}${f.fix ? `\n    fix: ${f.fix}` : ''}`).join('\n');
}
