/**
 * One measurement, in a process of its own: builds the benchmark organization of N member accounts
 * with the library or with the plain provider classes, synthesizes it to Terraform JSON in
 * `outdir`, and prints one JSON line: the time spent constructing and synthesizing (the modules
 * are loaded before the clock starts), the process's peak RSS, and what the output holds.
 *
 *   node -r ./scripts/register.js bench/worker.ts <library|raw> <n> <outdir> [<handler code JSON>]
 */
import { performance } from 'perf_hooks';
import { App } from 'cdktf';
import { countApp, readStacks } from './count';
import { buildLibraryApp } from './library';
import { HandlerCode, buildRawApp } from './raw';

/** What a worker prints. */
export interface WorkerResult {
  readonly variant: 'library' | 'raw';
  readonly n: number;
  /** Construction plus synthesis, in seconds. */
  readonly seconds: number;
  readonly constructSeconds: number;
  readonly synthSeconds: number;
  /** CPU time (user + system) of construction plus synthesis, in seconds. */
  readonly cpuSeconds: number;
  /** Peak resident set size of the process, in MB. */
  readonly peakRssMb: number;
  readonly stacks: number;
  readonly resources: number;
  readonly enforcement: ReturnType<typeof countApp>['enforcement'];
  readonly resourcesByStack: Record<string, number>;
}

function main(): void {
  const [variant, nText, outdir, codeJson] = process.argv.slice(2);
  const n = Number(nText);
  if ((variant !== 'library' && variant !== 'raw') || !Number.isInteger(n) || n < 1 || !outdir) {
    throw new Error('usage: worker.ts <library|raw> <n> <outdir> [<handler code JSON>]');
  }
  const code: HandlerCode | undefined = codeJson ? JSON.parse(codeJson) : undefined;
  if (variant === 'raw' && !code) throw new Error('the raw program needs the handler code');

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const app = new App({ outdir });
  if (variant === 'library') buildLibraryApp(app, n);
  else buildRawApp(app, n, code!);
  const constructed = performance.now();
  app.synth();
  const synthesized = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const count = countApp(readStacks(outdir));
  const result: WorkerResult = {
    variant,
    n,
    seconds: (synthesized - started) / 1000,
    constructSeconds: (constructed - started) / 1000,
    synthSeconds: (synthesized - constructed) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb,
    stacks: count.stacks.length,
    resources: count.resources,
    enforcement: count.enforcement,
    resourcesByStack: Object.fromEntries(count.stacks.map((s) => [s.name, s.total])),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
