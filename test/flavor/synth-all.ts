/**
 * Synthesizes every app of test/apps.ts ALL_APPS (the default app and every variant of every
 * example) into `<outdir>/<directory>/`, one directory per app named after it
 * (`node -r ./scripts/register.js test/flavor/synth-all.ts <outdir>`), and prints the app names, in
 * ALL_APPS' order, as JSON. The cdktn run compares what each flavor writes
 * (test/flavor/same-output.spec.ts).
 */
import * as path from 'path';
import { GuardrailsApp } from '../../src';
import { ALL_APPS } from '../apps';

/** The directory an app of ALL_APPS is synthesized into: its name, with runs of other characters than letters, digits, `.`, `_` and `-` as one `-`. */
export function appDirectory(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '');
}

/** Synthesizes every app of ALL_APPS into `outdir`; returns the names. */
export function synthAll(outdir: string): string[] {
  const names = Object.keys(ALL_APPS);
  const dirs = names.map(appDirectory);
  const clash = dirs.find((d, i) => dirs.indexOf(d) !== i);
  if (clash) throw new Error(`two apps of ALL_APPS would be synthesized into ${clash}: rename one`);
  names.forEach((name, i) => {
    const app = new GuardrailsApp({ outdir: path.join(outdir, dirs[i]) });
    ALL_APPS[name](app);
    app.synth();
  });
  return names;
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (!outdir) {
    console.error('usage: node -r ./scripts/register.js test/flavor/synth-all.ts <outdir>');
    process.exit(2);
  }
  console.log(JSON.stringify(synthAll(path.resolve(outdir))));
}
