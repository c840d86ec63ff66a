/**
 * The benchmark's figures, its targets, and the one summary line it ends with.
 */

/** The figures of the summary line. */
export interface Summary {
  /** Synthesis seconds of the library program at N=1000. */
  readonly n1000Seconds: number;
  /** Peak RSS (MB) of the library process at N=1000. */
  readonly n1000PeakMb: number;
  /** n1000Seconds over the plain program's seconds at N=1000. */
  readonly ratioVsRaw: number;
  /** Library seconds at N=1000 over those at N=100. */
  readonly growth1000Over100: number;
  /** Synthesis seconds of the library program at N=10000. */
  readonly n10000Seconds: number;
  /** Offline terraform init + validate + plan seconds of the N=1000 stacks, summed over stacks; undefined when terraform is unavailable. */
  readonly plan1000Seconds?: number;
}

/** The targets of the issue, each as a check on the summary. */
export const TARGETS: ReadonlyArray<{ readonly name: string; readonly text: string; readonly met: (s: Summary) => boolean | undefined }> = [
  { name: 'n1000_seconds', text: 'S < 1.5 s', met: (s) => s.n1000Seconds < 1.5 },
  { name: 'n1000_peak_mb', text: 'M < 512 MB', met: (s) => s.n1000PeakMb < 512 },
  { name: 'ratio_vs_raw', text: 'R <= 1.15', met: (s) => s.ratioVsRaw <= 1.15 },
  { name: 'growth_1000_over_100', text: 'G <= 12', met: (s) => s.growth1000Over100 <= 12 },
  { name: 'n10000_seconds', text: 'T < 10 s', met: (s) => s.n10000Seconds < 10 },
];

/** `summary: n1000_seconds=S n1000_peak_mb=M ratio_vs_raw=R growth_1000_over_100=G n10000_seconds=T plan1000_seconds=P` */
export function formatSummary(s: Summary): string {
  const p = s.plan1000Seconds === undefined ? 'n/a' : s.plan1000Seconds.toFixed(1);
  return `summary: n1000_seconds=${s.n1000Seconds.toFixed(3)} n1000_peak_mb=${Math.round(s.n1000PeakMb)} ratio_vs_raw=${s.ratioVsRaw.toFixed(3)} `
    + `growth_1000_over_100=${s.growth1000Over100.toFixed(2)} n10000_seconds=${s.n10000Seconds.toFixed(3)} plan1000_seconds=${p}`;
}

/** The pattern every summary line matches. */
export const SUMMARY_PATTERN = /^summary: n1000_seconds=\d+\.\d+ n1000_peak_mb=\d+ ratio_vs_raw=\d+\.\d+ growth_1000_over_100=\d+\.\d+ n10000_seconds=\d+\.\d+ plan1000_seconds=(\d+\.\d+|n\/a)$/;

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
