import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildDefaultApp } from '../../stacks/default-app';
import { CliBundle, writeCliBundle } from '../../src/verify/bundle';
import { HELP } from '../../src/verify/cli';
import { deploy, exampleOrganization, synthesize, useVerifyFake, verifyEnv } from './harness';

const exec = promisify(execFile);
const { fake } = useVerifyFake();
const REPO = path.resolve(__dirname, '..', '..');

/**
 * The launcher and the bundle in the layout of an installed package (bin/ beside lib/), run by
 * plain Node as `npx` would run them, with no node_modules to resolve anything from.
 */
function installedPackage(): { bin: string; bundle: CliBundle } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-package-'));
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(REPO, 'bin', 'cdktf-bedrock-guardrails.js'), path.join(root, 'bin', 'cdktf-bedrock-guardrails.js'));
  const bundle = writeCliBundle(path.join(root, 'lib', 'src', 'verify', 'cli-bundle'));
  return { bin: path.join(root, 'bin', 'cdktf-bedrock-guardrails.js'), bundle };
}

/** Packages of CDK for Terraform (either flavor) and constructs: none may be inside the bundle. */
const CDK_PACKAGE = /(?:^|\/)node_modules\/(?:cdktf|constructs|@cdktf|@cdktn|cdktn)(?:\/|$)/;

async function runBin(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { env: verifyEnv(fake), cwd: os.tmpdir() });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the bundled bin', () => {
  const { bin, bundle } = installedPackage();
  const app = synthesize(buildDefaultApp);

  test('package.json points bin at the launcher, and the build writes the bundle it loads', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ 'cdktf-bedrock-guardrails': 'bin/cdktf-bedrock-guardrails.js' });
    expect(pkg.scripts.build).toContain('node lib/src/verify/bundle.js');
    const text = fs.readFileSync(path.join(path.dirname(bin), '..', 'lib', 'src', 'verify', 'cli-bundle', 'index.js'), 'utf8');
    // The SDK clients are inside, and no CDK for Terraform code: the bundle serves both flavors.
    // (The SDK's optional CRT signer is probed with a guarded require.)
    const { builtinModules } = require('node:module') as typeof import('node:module');
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((n) => !n.startsWith('node:') && !builtinModules.includes(n));
    expect([...new Set(required)].sort()).toEqual(['@aws-sdk/signature-v4-crt']);
    // What esbuild put in: the SDK clients, and no file of a CDK for Terraform package.
    expect(bundle.inputs.some((i) => /node_modules\/@aws-sdk\/client-bedrock\//.test(i))).toBe(true);
    expect(bundle.inputs.filter((i) => CDK_PACKAGE.test(i))).toEqual([]);
  });

  test('--help and an unknown command, from a subprocess', async () => {
    expect(await runBin(bin, ['verify', '--help'])).toEqual({ code: 0, stdout: HELP, stderr: '' });
    const wrong = await runBin(bin, ['verfy']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('cdktf-bedrock-guardrails: unknown command "verfy". The one command is verify');
  });

  test('a real run against the fake: the report on stdout, progress and the total on stderr, exit 0, then 1 after a change behind the app\'s back', async () => {
    fake.setOrganization(exampleOrganization());
    const d = deploy(fake, app.model);
    let r = await runBin(bin, ['verify', '--app-dir', app.outdir, '--probe']);
    expect(r.stderr).toMatch(/^verify: 1\/3 accounts checked\nverify: 2\/3 accounts checked\nverify: 3\/3 accounts checked\nverify: Total: 17 checks over 3 accounts and 1 region: 17 ok, 0 problems, 0 notes\. \d+ AWS calls in \d+\.\d s\.\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Total: 17 checks over 3 accounts and 1 region: 17 ok, 0 problems, 0 notes.');
    fake.setPolicy(d.guardrails.get('management/aws_bedrock_guardrail.Guardrail_91D61981')!, undefined);
    r = await runBin(bin, ['verify', '--app-dir', app.outdir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('has no resource policy');
  });
});

describe('README', () => {
  test('its verify section shows the --help the command prints', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const after = readme.slice(readme.indexOf('npx cdktf-bedrock-guardrails verify --help\n```\n\n```\n') + 'npx cdktf-bedrock-guardrails verify --help\n```\n\n```\n'.length);
    expect(readme).toContain('## Verify a deployed app');
    expect(after.slice(0, after.indexOf('```'))).toBe(HELP);
  });
});
