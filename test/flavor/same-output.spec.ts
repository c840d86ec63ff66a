/**
 * The cdktn flavor writes what the cdktf flavor writes: the same stacks, resources, logical IDs,
 * shim archives and enforcement previews, for every app of test/apps.ts ALL_APPS (the default app
 * and every variant of every example: both seed-walkthrough phases, both staged-rollout stages). Only the
 * framework's version stamp and the AWS provider requirement differ (the provider's source
 * `hashicorp/aws` where cdktf writes the shorthand `aws`, and each bindings' hashicorp/aws version).
 *
 * Run by `npm run test:cdktn` only (a `.spec.ts`, which `npm test` leaves out), in the cdktn copy
 * of the repository, with `GUARDRAILS_CDKTF_REPO` naming the repository itself: each flavor's
 * test/flavor/synth-all.ts runs in its own process, both in one working directory so the local
 * backends' state paths agree.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALL_APPS, EXAMPLE_VARIANTS } from '../apps';
import { FLAVORS } from './flavors';

const CDKTN_REPO = path.join(__dirname, '..', '..');
const CDKTF_REPO = process.env.GUARDRAILS_CDKTF_REPO;

/** Per flavor: the provider source it writes, its bindings' hashicorp/aws version, the framework's version. */
const PROVIDER = FLAVORS;

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function synthAll(repo: string, outdir: string, cwd: string): string[] {
  const run = spawnSync(process.execPath, ['-r', path.join(repo, 'scripts', 'register.js'), path.join(repo, 'test', 'flavor', 'synth-all.ts'), outdir], {
    cwd, encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`synth-all in ${repo} failed (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('the cdktn flavor writes what the cdktf flavor writes', () => {
  let work: string;
  let cdktf: string;
  let cdktn: string;
  let apps: string[];

  beforeAll(() => {
    if (!CDKTF_REPO) throw new Error('GUARDRAILS_CDKTF_REPO is not set: run this test through `npm run test:cdktn`, which sets it to the repository.');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'same-output-'));
    cdktf = path.join(work, 'cdktf');
    cdktn = path.join(work, 'cdktn');
    apps = synthAll(CDKTF_REPO, cdktf, work);
    expect(synthAll(CDKTN_REPO, cdktn, work)).toEqual(apps);
  });
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the default app and every variant of every example are compared', () => {
    expect(apps).toEqual(Object.keys(ALL_APPS));
    expect(apps).toContain('default app');
    expect(apps).toEqual(expect.arrayContaining(['seed-walkthrough (share)', 'seed-walkthrough (enforce)', 'staged-rollout (stage 1)', 'staged-rollout (stage 2)']));
    const examples = fs.readdirSync(path.join(CDKTN_REPO, 'examples')).filter((e) => fs.existsSync(path.join(CDKTN_REPO, 'examples', e, 'main.ts')));
    expect([...new Set(Object.values(EXAMPLE_VARIANTS).map((v) => v.example))].sort()).toEqual(examples.sort());
    // Each app in a directory of its own.
    expect(fs.readdirSync(cdktf).length).toBe(apps.length);
  });

  test('the same files, byte for byte apart from the stacks\' JSON and the manifests', () => {
    expect(files(cdktn)).toEqual(files(cdktf));
    const differing = files(cdktf).filter((f) => !fs.readFileSync(path.join(cdktf, f)).equals(fs.readFileSync(path.join(cdktn, f))));
    expect(differing.filter((f) => !/(^|\/)(cdk\.tf\.json|manifest\.json)$/.test(f))).toEqual([]);
    // The shim archive, whose content hash is in every stack with a shim host, is among the identical files.
    expect(files(cdktf).filter((f) => f.endsWith('archive.zip')).length).toBeGreaterThan(0);
  });

  test('the same stacks, resources and logical IDs: the JSON differs only in the provider requirement and the version stamp', () => {
    const stacks = files(cdktf).filter((f) => f.endsWith('cdk.tf.json'));
    expect(stacks.length).toBeGreaterThanOrEqual(apps.length);
    for (const stack of stacks) {
      const a = JSON.parse(fs.readFileSync(path.join(cdktf, stack), 'utf8'));
      const b = JSON.parse(fs.readFileSync(path.join(cdktn, stack), 'utf8'));
      const [pa, pb] = [a.terraform.required_providers.aws, b.terraform.required_providers.aws];
      expect([stack, pa.source, pb.source]).toEqual([stack, PROVIDER.cdktf.source, PROVIDER.cdktn.source]);
      // Exactly the bindings' version, or (organization enforcement) from it to the next major.
      expect([stack, pb.version]).toEqual([stack, pa.version.replace(PROVIDER.cdktf.aws, PROVIDER.cdktn.aws)]);
      expect([stack, pa.version === PROVIDER.cdktf.aws || pa.version === `>= ${PROVIDER.cdktf.aws}, < 7.0.0`]).toEqual([stack, true]);
      expect([a['//'].metadata.version, b['//'].metadata.version]).toEqual([PROVIDER.cdktf.frameworkVersion, PROVIDER.cdktn.frameworkVersion]);
      for (const json of [a, b]) {
        delete json.terraform.required_providers.aws;
        delete json['//'].metadata.version;
      }
      expect([stack, b]).toEqual([stack, a]);
    }
  });

  test('the manifests differ only in the framework\'s version', () => {
    for (const manifest of files(cdktf).filter((f) => f.endsWith('manifest.json'))) {
      const a = JSON.parse(fs.readFileSync(path.join(cdktf, manifest), 'utf8'));
      const b = JSON.parse(fs.readFileSync(path.join(cdktn, manifest), 'utf8'));
      expect([a.version, b.version]).toEqual([PROVIDER.cdktf.frameworkVersion, PROVIDER.cdktn.frameworkVersion]);
      delete a.version;
      delete b.version;
      expect([manifest, b]).toEqual([manifest, a]);
    }
  });
});
