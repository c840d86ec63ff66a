import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { GuardrailsApp } from '../src';

/** A synthesized app: its output directory and each stack's Terraform JSON by stack name. */
export interface SynthesizedApp {
  readonly outdir: string;
  readonly summary: string;
  readonly stacks: Record<string, any>;
  stackDir(name: string): string;
}

/** Builds an app with `build` and synthesizes it into a fresh temporary directory. */
export function synthApp(build: (app: App) => unknown): SynthesizedApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-app-'));
  const app = new GuardrailsApp({ outdir: path.join(outdir, 'cdktf.out') });
  build(app);
  app.synth();
  const stacksDir = path.join(app.finalOutdir, 'stacks');
  const stacks: Record<string, any> = {};
  for (const name of fs.readdirSync(stacksDir)) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
  }
  return { outdir: app.finalOutdir, summary: app.enforcementSummary, stacks, stackDir: (name) => path.join(stacksDir, name) };
}

/** Every resource of `type` in a stack's JSON, as a list. */
export function all(json: any, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The handler inputs of a stack's shim invocations, parsed. */
export function shimInputs(json: any): any[] {
  return all(json, 'aws_lambda_invocation').map((i) => JSON.parse(i.input));
}
