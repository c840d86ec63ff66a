/**
 * Whether a version satisfies a peer-dependency range of the forms the package uses: `^x.y.z`
 * (same major, or same minor below 1.0), `>=a.b.c <d.e.f`, or an exact version. Other forms
 * throw, so a new form is added here on purpose.
 */
export function admits(range: string, version: string): boolean {
  const v = parse(version);
  const caret = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (caret) {
    const r = parse(caret[1]);
    const sameLine = r[0] > 0 ? v[0] === r[0] : v[0] === 0 && v[1] === r[1];
    return sameLine && compare(v, r) >= 0;
  }
  const between = /^>=(\d+\.\d+\.\d+) <(\d+\.\d+\.\d+)$/.exec(range);
  if (between) return compare(v, parse(between[1])) >= 0 && compare(v, parse(between[2])) < 0;
  if (/^\d+\.\d+\.\d+$/.test(range)) return compare(v, parse(range)) === 0;
  throw new Error(`unsupported range form: ${range}`);
}

function parse(version: string): number[] {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a plain version: ${version}`);
  return version.split('.').map(Number);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
