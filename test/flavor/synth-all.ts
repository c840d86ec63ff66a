/**
 * Synthesizes the default app and the default build of every example into `<outdir>/<name>/`
 * (`node -r ./scripts/register.js test/flavor/synth-all.ts <outdir>`). The cdktn run compares
 * what each flavor writes (test/flavor/same-output.cdktn.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { GuardrailsApp } from '../../src';
import { buildDefaultApp } from '../../stacks/default-app';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The apps compared across flavors: the default app and each example folder's `build`. */
export function flavorApps(): Record<string, (app: App) => unknown> {
  const apps: Record<string, (app: App) => unknown> = { 'default-app': buildDefaultApp };
  for (const entry of fs.readdirSync(EXAMPLES, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const main = path.join(EXAMPLES, entry.name, 'main.ts');
    if (!entry.isDirectory() || !fs.existsSync(main)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { build } = require(main) as { build?: (app: App) => unknown };
    if (typeof build !== 'function') throw new Error(`examples/${entry.name}/main.ts exports no build(app) function`);
    apps[`examples/${entry.name}`] = build;
  }
  return apps;
}

/** Synthesizes every app of {@link flavorApps} into `outdir`; returns the names. */
export function synthAll(outdir: string): string[] {
  const apps = flavorApps();
  for (const [name, build] of Object.entries(apps)) {
    const app = new GuardrailsApp({ outdir: path.join(outdir, name) });
    build(app);
    app.synth();
  }
  return Object.keys(apps);
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (!outdir) {
    console.error('usage: node -r ./scripts/register.js test/flavor/synth-all.ts <outdir>');
    process.exit(2);
  }
  console.log(JSON.stringify(synthAll(path.resolve(outdir))));
}
