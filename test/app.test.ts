import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AccountEnforcement, ContentFilters, Guardrail, GuardrailVersion, GuardrailsApp } from '../src';

function stack(app: GuardrailsApp, id: string, region: string): TerraformStack {
  const s = new TerraformStack(app, id);
  new AwsProvider(s, 'aws', { region: 'us-east-1', allowedAccountIds: ['111111111111'] });
  const g = new Guardrail(s, 'G', { name: 'g', contentFilters: ContentFilters.all() });
  new AccountEnforcement(s, 'E', { version: g.addVersion(), region });
  return s;
}

describe('GuardrailsApp', () => {
  const root = () => fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-app-test-'));

  test('writes every stack, the preview and nothing else into a new output directory', () => {
    const outdir = path.join(root(), 'nested', 'cdktf.out');
    const app = new GuardrailsApp({ outdir });
    stack(app, 'one', 'us-east-1');
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['enforcement-preview.json', 'enforcement-preview.md', 'manifest.json', 'stacks']);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['cdktf.out']);
    expect(app.warnings).toEqual([]);
  });

  test('a failed synth writes nothing: the previous output stays and no staging directory is left', () => {
    const base = root();
    const outdir = path.join(base, 'cdktf.out');
    const first = new GuardrailsApp({ outdir });
    stack(first, 'one', 'us-east-1');
    first.synth();
    const before = fs.readFileSync(path.join(outdir, 'stacks', 'one', 'cdk.tf.json'), 'utf8');

    const second = new GuardrailsApp({ outdir });
    stack(second, 'aaa-good', 'us-east-1');
    stack(second, 'zzz-bad', 'us-west-2');
    expect(() => second.synth()).toThrow(/\[GR-ACC-003\] zzz-bad\/E: /);
    expect(fs.readdirSync(base)).toEqual(['cdktf.out']);
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['one']);
    expect(fs.readFileSync(path.join(outdir, 'stacks', 'one', 'cdk.tf.json'), 'utf8')).toBe(before);
  });

  test('warnings of the synth are collected', () => {
    const app = new GuardrailsApp({ outdir: path.join(root(), 'cdktf.out') });
    const s = new TerraformStack(app, 'unit');
    new AwsProvider(s, 'aws', { region: 'us-east-1', allowedAccountIds: ['222222222222'] });
    const shared = Guardrail.fromGuardrailAttributes(s, 'Shared', { guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456' });
    new AccountEnforcement(s, 'E', { version: GuardrailVersion.fromVersionAttributes(s, 'V', { guardrail: shared, version: '1' }) });
    app.synth();
    expect(app.warnings).toEqual([expect.stringMatching(/^\[GR-ACC-008\] unit\/E: /)]);
  });
});

describe('synthesis needs no Terraform binary', () => {
  test('the default app synthesizes with no terraform on PATH, and a repeated configuration name still fails through its rule', () => {
    const repo = path.join(__dirname, '..');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-terraform-'));
    const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));
    try {
      const run = (script: string) => spawnSync(process.execPath, ['-r', path.join(repo, 'scripts', 'register.js'), script], {
        cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: emptyPath, CDKTF_OUTDIR: path.join(outdir, 'cdktf.out') },
      });
      const ok = run(path.join(repo, 'stacks', 'main.ts'));
      expect(ok.stderr).not.toMatch(/terraform/i);
      expect(ok.status).toBe(0);
      expect(fs.existsSync(path.join(outdir, 'cdktf.out', 'stacks', 'management', 'cdk.tf.json'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
      fs.rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
