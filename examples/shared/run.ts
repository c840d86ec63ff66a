import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { GuardrailsApp } from '../../src';

/**
 * Runs an example as a program: builds it into a {@link GuardrailsApp}, synthesizes (all stacks or
 * none), and prints where the stacks went and the effective-enforcement summary.
 *
 * Output goes to `CDKTF_OUTDIR` when the cdktf CLI runs the example (`cdktf synth|diff|deploy
 * --app ...`), else to `cdktf.out` inside the example's folder, so examples never overwrite the
 * default app's output.
 *
 * @param exampleDir the example's folder (`__dirname` of its main.ts)
 * @param build the example's build function
 * @param report extra lines to print about what `build` returned @default none
 */
export function runExample<T>(exampleDir: string, build: (app: App) => T, report?: (built: T) => string): GuardrailsApp {
  const started = Date.now();
  const app = new GuardrailsApp(process.env.CDKTF_OUTDIR ? {} : { outdir: path.join(exampleDir, 'cdktf.out') });
  const built = build(app);
  app.synth();
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => s.node.id);
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  console.log(`Synthesized ${stacks.length} stack(s) (${stacks.join(', ')}) into ${app.finalOutdir} in ${seconds} s.`);
  console.log(app.enforcementSummary
    || 'No effective-enforcement preview: the app enforces nothing yet, or its enforcement names no Organization (see each stack\'s plan).');
  for (const line of warnings(app.finalOutdir)) console.warn(line);
  if (report) console.log(report(built));
  return app;
}

/**
 * The synth-time warnings recorded in the output's manifest. The cdktf CLI prints them; a plain
 * `node main.ts` run would not, so the runner does.
 */
function warnings(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.values<{ annotations?: { level: string; message: string }[] }>(manifest.stacks ?? {})
    .flatMap((s) => s.annotations ?? [])
    .filter((a) => a.level === '@cdktf/warn')
    .map((a) => `Warning: ${a.message}`);
}
