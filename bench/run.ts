/**
 * Synthesis cost at organization scale: `npm run bench`.
 *
 * For N = 10, 100, 1000 and 10000 member accounts (two regions each, 100 OUs), synthesizes the
 * organization with the library ({@link buildLibraryApp}) and as a plain provider-class program
 * ({@link buildRawApp}, byte-identical Terraform JSON), each run in a fresh process, then plans
 * the N=1000 stacks offline with terraform. Prints a table per N, writes the raw figures to
 * `bench/out/results.json`, and ends with one line:
 *
 *   summary: n1000_seconds=S n1000_peak_mb=M ratio_vs_raw=R growth_1000_over_100=G n10000_seconds=T plan1000_seconds=P
 *
 * S, R, G and T use the median over the runs of each size (5 runs up to N=1000, 3 at N=10000);
 * P sums init + validate + plan over the N=1000 stacks.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { byStackOrder } from './count';
import { ACCOUNTS_PER_STACK, OU_COUNT, REGIONS } from './fixture';
import { prepareHandlerCode } from './handler-code';
import { HandlerCode } from './raw';
import { Summary, TARGETS, formatSummary, median } from './summary';
import { WorkerResult } from './worker';
import { TerraformCheckResult, checkConcurrency, checkWithTerraform, terraformAvailable } from '../test/terraform/harness';

const ROOT = path.resolve(__dirname, '..');
const SIZES = [10, 100, 1000, 10000];
const PLANNED_SIZE = 1000;
const OUT_DIR = path.join(__dirname, 'out');

/** Runs per program and size: 5 up to N=1000, 3 at N=10000 (`BENCH_REPEATS` sets the former, and half of it the latter). */
function repeatsFor(n: number): number {
  const fromEnv = Number(process.env.BENCH_REPEATS);
  const small = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 5;
  return n >= 10000 ? Math.max(1, Math.ceil(small / 2)) : small;
}

/** Runs one measurement in a fresh node process. */
function measure(variant: 'library' | 'raw', n: number, outdir: string, code: HandlerCode): WorkerResult {
  fs.rmSync(outdir, { recursive: true, force: true });
  const run = spawnSync(process.execPath, ['-r', path.join(ROOT, 'scripts', 'register.js'), path.join(__dirname, 'worker.ts'), variant, String(n), outdir, JSON.stringify(code)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  const line = run.stdout.split('\n').filter((l) => l.startsWith('{')).pop();
  if (run.status !== 0 || !line) {
    throw new Error(`bench worker ${variant} N=${n} failed (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  return JSON.parse(line);
}

interface SizeResult {
  readonly n: number;
  readonly library: WorkerResult[];
  readonly raw: WorkerResult[];
  readonly librarySeconds: number;
  readonly rawSeconds: number;
  readonly libraryCpuSeconds: number;
  readonly rawCpuSeconds: number;
  readonly libraryPeakMb: number;
  readonly rawPeakMb: number;
}

interface PlanResult {
  readonly stack: string;
  readonly resources: number;
  readonly planned: number;
  readonly initSeconds: number;
  readonly validateSeconds: number;
  readonly planSeconds: number;
  readonly totalSeconds: number;
}

function pad(s: string | number, width: number): string {
  const text = String(s);
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

function printSize(r: SizeResult): void {
  const lib = r.library[0];
  console.log(`\nN=${r.n} member accounts x ${REGIONS.length} regions, ${OU_COUNT} OUs, ${ACCOUNTS_PER_STACK} accounts per member stack (median of ${r.library.length} run(s))`);
  console.log(`  ${'program'.padEnd(8)} ${pad('seconds', 8)} ${pad('construct', 9)} ${pad('synth', 7)} ${pad('cpu s', 7)} ${pad('peak MB', 8)} ${pad('stacks', 6)} ${pad('resources', 9)} ${pad('res/acct-region', 15)}`);
  for (const [name, runs, seconds, cpu, peak] of [
    ['library', r.library, r.librarySeconds, r.libraryCpuSeconds, r.libraryPeakMb],
    ['raw', r.raw, r.rawSeconds, r.rawCpuSeconds, r.rawPeakMb],
  ] as const) {
    const w = runs[0];
    console.log(`  ${name.padEnd(8)} ${pad(seconds.toFixed(3), 8)} ${pad(median(runs.map((x) => x.constructSeconds)).toFixed(3), 9)} ${pad(median(runs.map((x) => x.synthSeconds)).toFixed(3), 7)} `
      + `${pad(cpu.toFixed(3), 7)} ${pad(Math.round(peak), 8)} ${pad(w.stacks, 6)} ${pad(w.resources, 9)} ${pad(w.enforcement.maxResourcesPerAccountRegion, 15)}`);
  }
  console.log(`  library / raw: ${(r.librarySeconds / r.rawSeconds).toFixed(3)} (wall), ${(r.libraryCpuSeconds / r.rawCpuSeconds).toFixed(3)} (cpu); `
    + `account enforcement: ${lib.enforcement.accountRegions} account-regions in ${lib.enforcement.stacks} member stacks, ${lib.enforcement.resourcesBeyondHosts} resources beyond the shim hosts`);
}

function check(r: WorkerResult, n: number): void {
  const e = r.enforcement;
  if (e.accountRegions !== n * REGIONS.length || e.maxResourcesPerAccountRegion > 1 || e.resourcesBeyondHosts !== e.accountRegions) {
    throw new Error(`${r.variant} N=${n}: account-level enforcement costs more than one resource per account and region beyond the shim hosts: ${JSON.stringify(e)}`);
  }
  if (e.stacks !== Math.ceil(n / ACCOUNTS_PER_STACK)) throw new Error(`${r.variant} N=${n}: ${e.stacks} member stacks, expected ${Math.ceil(n / ACCOUNTS_PER_STACK)}`);
}

async function planStacks(outdir: string): Promise<{ stacks: PlanResult[]; wallSeconds: number } | { unavailable: string }> {
  const tf = terraformAvailable();
  if (!tf.ok) return { unavailable: tf.reason };
  const names = fs.readdirSync(path.join(outdir, 'stacks')).sort(byStackOrder);
  const started = performance.now();
  const results = await Promise.all(names.map(async (name): Promise<PlanResult> => {
    const dir = path.join(outdir, 'stacks', name);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    const resources = Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
    const result: TerraformCheckResult = await checkWithTerraform(dir, { validate: true, commandTimeoutMs: 600_000 });
    const planned = result.resourceChanges.filter((c) => c.action === 'create').length;
    if (planned !== resources || result.resourceChanges.length !== resources) {
      throw new Error(`${name}: terraform plans ${result.resourceChanges.length} changes (${planned} creates) for ${resources} resources`);
    }
    const t = result.timings;
    return {
      stack: name, resources, planned,
      initSeconds: t.init / 1000, validateSeconds: (t.validate ?? 0) / 1000, planSeconds: t.plan / 1000, totalSeconds: t.total / 1000,
    };
  }));
  return { stacks: results, wallSeconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const code = prepareHandlerCode();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const sizes: SizeResult[] = [];
  let plannedOutdir: string | undefined;
  try {
    for (const n of SIZES) {
      const library: WorkerResult[] = [];
      const raw: WorkerResult[] = [];
      for (let i = 0; i < repeatsFor(n); i++) {
        // Alternate which program goes first, so neither always runs on a warmer machine.
        const order: Array<'library' | 'raw'> = i % 2 ? ['raw', 'library'] : ['library', 'raw'];
        for (const variant of order) {
          const outdir = path.join(work, `${variant}-${n}-${i}`);
          const r = measure(variant, n, outdir, code);
          check(r, n);
          (variant === 'library' ? library : raw).push(r);
          if (variant === 'library' && n === PLANNED_SIZE && !plannedOutdir) plannedOutdir = outdir;
          else fs.rmSync(outdir, { recursive: true, force: true });
        }
      }
      const size: SizeResult = {
        n, library, raw,
        librarySeconds: median(library.map((r) => r.seconds)),
        rawSeconds: median(raw.map((r) => r.seconds)),
        libraryCpuSeconds: median(library.map((r) => r.cpuSeconds)),
        rawCpuSeconds: median(raw.map((r) => r.cpuSeconds)),
        libraryPeakMb: Math.max(...library.map((r) => r.peakRssMb)),
        rawPeakMb: Math.max(...raw.map((r) => r.peakRssMb)),
      };
      sizes.push(size);
      printSize(size);
    }

    console.log(`\nOffline terraform init + validate + plan of the N=${PLANNED_SIZE} stacks (hashicorp/aws from the local mirror; versions named by literal ARN)`);
    const plan = plannedOutdir ? await planStacks(plannedOutdir) : { unavailable: 'no N=1000 output' };
    let plan1000Seconds: number | undefined;
    if ('unavailable' in plan) {
      console.log(`  skipped: ${plan.unavailable}`);
    } else {
      console.log(`  ${'stack'.padEnd(12)} ${pad('resources', 9)} ${pad('init s', 7)} ${pad('validate s', 10)} ${pad('plan s', 7)} ${pad('total s', 8)}`);
      for (const s of plan.stacks) {
        console.log(`  ${s.stack.padEnd(12)} ${pad(s.resources, 9)} ${pad(s.initSeconds.toFixed(1), 7)} ${pad(s.validateSeconds.toFixed(1), 10)} ${pad(s.planSeconds.toFixed(1), 7)} ${pad(s.totalSeconds.toFixed(1), 8)}`);
      }
      plan1000Seconds = plan.stacks.reduce((n, s) => n + s.totalSeconds, 0);
      const max = Math.max(...plan.stacks.map((s) => s.totalSeconds));
      console.log(`  sum over ${plan.stacks.length} stacks: ${plan1000Seconds.toFixed(1)} s (reported as P); slowest stack (one workspace's plan): ${max.toFixed(1)} s; `
        + `wall clock, ${checkConcurrency()} at once: ${plan.wallSeconds.toFixed(1)} s`);
    }

    const at = (n: number) => sizes.find((s) => s.n === n)!;
    const summary: Summary = {
      n1000Seconds: at(1000).librarySeconds,
      n1000PeakMb: at(1000).libraryPeakMb,
      ratioVsRaw: at(1000).librarySeconds / at(1000).rawSeconds,
      growth1000Over100: at(1000).librarySeconds / at(100).librarySeconds,
      n10000Seconds: at(10000).librarySeconds,
      plan1000Seconds,
    };
    console.log('\nTargets');
    const targets = TARGETS.map((t) => ({ name: t.name, target: t.text, met: t.met(summary) }));
    for (const t of targets) console.log(`  ${t.met ? 'met    ' : 'MISSED '} ${t.target}`);
    console.log(`  met     at most 1 resource per (account, region) beyond the shim hosts (checked in every run)`);

    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 'results.json'), `${JSON.stringify({
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() },
      setup: { regions: REGIONS, organizationalUnits: OU_COUNT, accountsPerStack: ACCOUNTS_PER_STACK },
      sizes,
      terraform: plan,
      summary,
      targets,
    }, undefined, 2)}\n`);
    console.log(`\nRaw figures: ${path.relative(ROOT, path.join(OUT_DIR, 'results.json'))}`);
    console.log(formatSummary(summary));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(path.dirname(code.zip), { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
