/**
 * The `cdktf-bedrock-guardrails verify` command line: options, output (a table, or JSON with
 * `--json`), progress on stderr, and the exit code: 0 when every check is ok, 1 when any check
 * found a problem (or could not be completed), 2 when verify could not run (bad options, no
 * synthesized app, no credentials, the organization unreadable).
 */
import { AppModelError, readApp } from './app-model';
import { AwsAccess } from './aws';
import { CannotRunError, verifyApp } from './checks';
import { renderJson, renderTable, totalLine } from './report';
import { ROLE_NAME_PATTERN } from '../model/identifiers';
import { DEFAULT_MEMBER_ROLE_NAME } from '../model/shim-contract';
import { RetrySettings, retrySettingsFromEnv } from '../shim/handler/retry';

/** Exit code when every check is ok. */
export const EXIT_OK = 0;
/** Exit code when a check found a problem. */
export const EXIT_PROBLEMS = 1;
/** Exit code when verify could not run. */
export const EXIT_CANNOT_RUN = 2;

/** `--concurrency` when not given: accounts checked at once. */
export const DEFAULT_CONCURRENCY = 8;
/** `--max-attempts` when not given: attempts per AWS call. */
export const DEFAULT_MAX_ATTEMPTS = 8;
/** `--app-dir` when not given: cdktf's output directory. */
export const DEFAULT_APP_DIR = 'cdktf.out';

/** The program name, as `npx` runs it. */
export const PROGRAM = 'cdktf-bedrock-guardrails';

/** The `--help` text. */
export const HELP = `Usage: ${PROGRAM} verify [options]

Checks a synthesized cdktf-bedrock-guardrails app against live AWS, with the
caller's credentials in the organization's management account:
  1. each enforced guardrail version exists, is numbered and READY, lives in
     the region it is enforced in, and has no automated reasoning policy;
  2. each guardrail (and guardrail profile) resource policy is in place and
     lets every enforced account apply the guardrail, evaluated against the
     account's live place in the organization (ListParents);
  3. BEDROCK_POLICY is enabled on the root, and each policy says what the app
     says and is attached where the app attaches it;
  4. each account's effective BEDROCK_POLICY equals the preview's prediction,
     and no account has an invalid effective policy;
  5. each account-level configuration is as the app wants, read through the
     member role with a read-only session policy.

Options:
  --app-dir DIR        the synthesized app (default: ${DEFAULT_APP_DIR})
  --probe              also call ApplyGuardrail from each target account, as
                       the member role with a session policy allowing only
                       bedrock:ApplyGuardrail, on a harmless text
  --stage N            also check the accounts of pending rollout stage N
                       (before rolloutStage is raised to N)
  --member-role NAME   role assumed in member accounts the app names no role
                       for (default: ${DEFAULT_MEMBER_ROLE_NAME})
  --concurrency N      accounts checked at once (default: ${DEFAULT_CONCURRENCY})
  --max-attempts N     attempts per AWS call; throttling and server errors are
                       retried with backoff (default: ${DEFAULT_MAX_ATTEMPTS})
  --json               print the report as JSON instead of a table
  -h, --help           print this help

Exit codes: 0 every check ok; 1 problems found; 2 verify could not run.
`;

/** Parsed command-line options. */
export interface CliOptions {
  /** The app's output directory. */
  readonly appDir: string;
  /** `--probe`. */
  readonly probe: boolean;
  /** `--stage N`. */
  readonly stage?: number;
  /** `--member-role`. */
  readonly memberRoleName: string;
  /** `--concurrency`. */
  readonly concurrency: number;
  /** `--max-attempts`. */
  readonly maxAttempts: number;
  /** `--json`. */
  readonly json: boolean;
  /** `--help`. */
  readonly help: boolean;
}

/** Raised for a command line verify does not accept. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function positiveInteger(flag: string, raw: string | undefined, max: number): number {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}.`);
  }
  return n;
}

/**
 * Parses `verify`'s arguments (without the `verify` word).
 * @throws UsageError for an unknown option or a bad value
 */
export function parseArgs(args: readonly string[]): CliOptions {
  let appDir = DEFAULT_APP_DIR;
  let probe = false;
  let stage: number | undefined;
  let memberRoleName = DEFAULT_MEMBER_ROLE_NAME;
  let concurrency = DEFAULT_CONCURRENCY;
  let maxAttempts = DEFAULT_MAX_ATTEMPTS;
  let json = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--app-dir': appDir = value(); break;
      case '--probe': probe = true; break;
      case '--stage': stage = positiveInteger(flag, value(), 1000); break;
      case '--member-role': {
        memberRoleName = value();
        if (!ROLE_NAME_PATTERN.test(memberRoleName)) throw new UsageError(`--member-role must be an IAM role name (or path/name), got ${JSON.stringify(memberRoleName)}.`);
        break;
      }
      case '--concurrency': concurrency = positiveInteger(flag, value(), 64); break;
      case '--max-attempts': maxAttempts = positiveInteger(flag, value(), 20); break;
      case '--json': json = true; break;
      case '-h': case '--help': help = true; break;
      default: throw new UsageError(`Unknown option ${JSON.stringify(args[i])}. Run ${PROGRAM} verify --help for the options.`);
    }
  }
  return { appDir, probe, ...(stage !== undefined ? { stage } : {}), memberRoleName, concurrency, maxAttempts, json, help };
}

/** Where the command writes, and tuning a caller embedding it may set. */
export interface CliIo {
  /** Standard output: the report. */
  readonly stdout: { write(text: string): unknown };
  /** Standard error: progress, the closing total, and why verify could not run. */
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Retry timings; attempts come from `--max-attempts`. @default 250 ms base, 10 s ceiling, 15 s per request */
  readonly retry?: Partial<Omit<RetrySettings, 'maxAttempts'>>;
  /** Region of STS calls. @default AWS_REGION, else us-east-1 */
  readonly stsRegion?: string;
}

/** A progress reporter: a rewritten line on a terminal, else a line per tenth of the accounts. */
function progress(stderr: CliIo['stderr']): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    const line = `verify: ${done}/${total} accounts checked`;
    if (stderr.isTTY) {
      stderr.write(`\r${line}${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((done * 10) / total);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      stderr.write(`${line}\n`);
    }
  };
}

/**
 * Runs `verify` with `args` (the words after `verify`) and returns the exit code. Never throws:
 * every failure becomes a message on stderr and an exit code.
 */
export async function runVerify(args: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(args);
  } catch (err) {
    io.stderr.write(`${PROGRAM} verify: ${(err as Error).message}\n`);
    return EXIT_CANNOT_RUN;
  }
  if (options.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const started = Date.now();
  const aws = new AwsAccess({
    // The shim's defaults (its environment variables are not read: verify is not the shim).
    retry: {
      ...retrySettingsFromEnv({}),
      ...Object.fromEntries(Object.entries(io.retry ?? {}).filter(([, v]) => v !== undefined)),
      maxAttempts: options.maxAttempts,
    },
    stsRegion: io.stsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  });
  try {
    const app = readApp(options.appDir);
    const report = await verifyApp(app, aws, {
      probe: options.probe,
      ...(options.stage !== undefined ? { stage: options.stage } : {}),
      memberRoleName: options.memberRoleName,
      concurrency: options.concurrency,
      onProgress: progress(io.stderr),
    });
    io.stdout.write(options.json ? renderJson(report) : renderTable(report));
    const retried = aws.calls.filter((c) => c.attempts > 1).length;
    io.stderr.write(`verify: ${totalLine(report.totals)} ${aws.calls.length} AWS calls${retried ? ` (${retried} retried)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return report.totals.problems > 0 ? EXIT_PROBLEMS : EXIT_OK;
  } catch (err) {
    const known = err instanceof AppModelError || err instanceof CannotRunError;
    io.stderr.write(`${PROGRAM} verify could not run: ${known ? (err as Error).message : `unexpected error: ${(err as Error)?.stack ?? String(err)}`}\n`);
    return EXIT_CANNOT_RUN;
  } finally {
    aws.destroy();
  }
}

/**
 * The program's entry: `verify` and its options, or `--help`. Returns the exit code.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'verify') return runVerify(rest, io);
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined ? EXIT_CANNOT_RUN : EXIT_OK;
  }
  io.stderr.write(`${PROGRAM}: unknown command ${JSON.stringify(command)}. The one command is verify; run ${PROGRAM} verify --help.\n`);
  return EXIT_CANNOT_RUN;
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
