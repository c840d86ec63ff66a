/**
 * The cdktn package as a user gets it (run by `npm run test:cdktn`): it is the cdktf package with
 * the one seam switched (its source, its tarball and its package.json compared with the cdktf
 * ones), and a fresh project that installs it with the README's cdktn line compiles the README's
 * cdktn import block and the README's programs with their imports changed as that block says,
 * runs them, and puts what they synthesize through the Terraform tier
 * (test/package/consumer-suite.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TarballFiles, packCdktf, packCdktn, tarballFiles } from './consumer';
import { HANDLER_BUNDLE, describeConsumer } from './consumer-suite';
import { admits } from './ranges';
import { installLine, packageName } from './readme';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const flavor = require('../../scripts/flavor.js') as {
  CDKTN: { buildDir: string; peerDependencies: Record<string, string> };
  SEAM: string;
  switchImports(text: string, file: string): { text: string; replaced: number };
  cdktfImports(text: string): string[];
  listFiles(dir: string): string[];
};

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = packageName('cdktn');
const SEAM = flavor.SEAM.split(path.sep).join('/');
const COMPILED_SEAM = ['lib/src/private/cdktf.d.ts', 'lib/src/private/cdktf.js'];

let work: string;
let cdktn: TarballFiles;
let cdktf: TarballFiles;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-cdktn-'));
  const tarball = packCdktn(work);
  expect(path.basename(tarball)).toMatch(/^cdktn-bedrock-guardrails-.*\.tgz$/);
  cdktn = tarballFiles(tarball);
  // The tarball `npm run test:package` packed, when the sources are the same; packed here otherwise.
  const packed = packCdktf(work, { reuse: true });
  console.log(`cdktf tarball: ${packed.reused ? 'the one test:package packed, from the same sources' : 'packed afresh'}`);
  cdktf = tarballFiles(packed.tarball);
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the cdktn package is the cdktf package with the seam switched', () => {
  test('its source: every module of src/ byte for byte, but the seam, whose cdktf imports are cdktn\'s', () => {
    const built = path.join(flavor.CDKTN.buildDir, 'package', 'src');
    const src = path.join(ROOT, 'src');
    const sources = flavor.listFiles(src).filter((f) => !f.includes('handler-bundle/'));
    expect(flavor.listFiles(built)).toEqual(sources);
    const differing = sources.filter((f) => !fs.readFileSync(path.join(src, f)).equals(fs.readFileSync(path.join(built, f))));
    expect(differing).toEqual([SEAM]);
    const seam = fs.readFileSync(path.join(src, SEAM), 'utf8');
    const builtSeam = fs.readFileSync(path.join(built, SEAM), 'utf8');
    expect(builtSeam).toBe(flavor.switchImports(seam, SEAM).text);
    expect(flavor.cdktfImports(builtSeam)).toEqual([]);
    // Line by line, only import lines differ.
    const [a, b] = [seam.split('\n'), builtSeam.split('\n')];
    expect(b.length).toBe(a.length);
    const changed = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y);
    expect(changed.length).toBeGreaterThan(10);
    expect(changed.filter(([x]) => !/\bfrom '(cdktf|@cdktf\/provider-aws\/lib\/[a-z0-9-]+)';$/.test(x))).toEqual([]);
  });

  test('its tarball: the same files, the same bytes but the compiled seam and package.json', () => {
    expect([...cdktn.keys()]).toEqual([...cdktf.keys()]);
    const differing = [...cdktf.keys()].filter((f) => !cdktf.get(f)!.equals(cdktn.get(f)!));
    expect(differing.sort()).toEqual([...COMPILED_SEAM, 'package.json'].sort());
    // The compiled seam differs in the framework's name only (imports and the names tsc derives from them).
    for (const file of COMPILED_SEAM) {
      expect([file, cdktf.get(file)!.toString('utf8').replace(/cdktf/g, 'cdktn')]).toEqual([file, cdktn.get(file)!.toString('utf8').replace(/cdktf/g, 'cdktn')]);
    }
    expect(cdktn.get(HANDLER_BUNDLE)!.equals(cdktf.get(HANDLER_BUNDLE)!)).toBe(true);
  });

  test('its package.json: the cdktn name, description and peer dependencies, no scripts; everything else the cdktf one\'s', () => {
    const a = JSON.parse(cdktf.get('package.json')!.toString('utf8'));
    const b = JSON.parse(cdktn.get('package.json')!.toString('utf8'));
    expect(b.name).toBe(PACKAGE);
    expect(b.description).toMatch(/^CDK Terrain \(cdktn\) constructs for centralized, cross-account Amazon Bedrock Guardrails/);
    expect(b.peerDependencies).toEqual({ '@cdktn/provider-aws': '^25.7.0', cdktn: '^0.24.0', constructs: '>=10.6.0 <10.8.0' });
    expect(b.keywords).toEqual(expect.arrayContaining(['cdktn']));
    expect(b.dependencies).toBeUndefined();
    // Built before it is packed: no scripts and no dev dependencies.
    expect([b.scripts, b.devDependencies]).toEqual([undefined, undefined]);
    for (const json of [a, b]) for (const key of ['name', 'description', 'peerDependencies', 'keywords', 'scripts', 'devDependencies']) delete json[key];
    expect(b).toEqual(a);
  });

  test('the README names its peer ranges, and its cdktn install line pins versions they admit', () => {
    const readme = cdktn.get('README.md')!.toString('utf8');
    const line = installLine('cdktn');
    for (const [name, range] of Object.entries(flavor.CDKTN.peerDependencies)) {
      expect([name, readme.includes(`\`${range}\``)]).toEqual([name, true]);
      const pinned = line.find((s) => s.startsWith(`${name}@`))?.slice(name.length + 1);
      expect([name, pinned !== undefined && admits(range, pinned)]).toEqual([name, true]);
    }
  });

  test('the install the cdktn package is built and tested with pins the versions the README installs', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'flavors', 'cdktn', 'package-lock.json'), 'utf8'));
    for (const spec of installLine('cdktn').slice(3)) {
      const at = spec.lastIndexOf('@');
      const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
      expect([name, lock.packages[`node_modules/${name}`]?.version]).toEqual([name, version]);
    }
  });
});

describeConsumer('cdktn', () => path.join(work, fs.readdirSync(work).find((f) => f.startsWith('cdktn-'))!), () => cdktn.get(HANDLER_BUNDLE)!);
