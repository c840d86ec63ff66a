/**
 * The cdktf package as a user gets it (`npm run test:package`): `npm pack` of the repository, what
 * the tarball holds, and a fresh project that installs it with the README's line and nothing else
 * (plus TypeScript), compiles every TypeScript block of the README, runs the first example and the
 * business-unit program, and puts what they synthesize through the Terraform tier
 * (test/package/consumer-suite.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TarballFiles, packCdktf, tarballFiles } from './consumer';
import { HANDLER_BUNDLE, describeConsumer } from './consumer-suite';
import { admits } from './ranges';
import { installLine, packageName } from './readme';

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = packageName('cdktf');

let work: string;
let tarball: string;
let files: TarballFiles;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-cdktf-'));
  // Packed afresh, and kept for the cdktn package test (test/package/cdktn.spec.ts) to compare with.
  tarball = packCdktf(work).tarball;
  files = tarballFiles(tarball);
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the cdktf tarball', () => {
  test('holds the compiled library, its declarations, the handler and verify bundles, the verify launcher, package.json and the README, nothing else', () => {
    const names = [...files.keys()];
    expect(names.filter((f) => !/^(README\.md|package\.json|bin\/cdktf-bedrock-guardrails\.js|lib\/src\/.+\.(js|d\.ts))$/.test(f))).toEqual([]);
    const pkg = JSON.parse(files.get('package.json')!.toString('utf8'));
    expect(files.has(pkg.bin['cdktf-bedrock-guardrails'])).toBe(true);
    expect(names).toContain('lib/src/verify/cli-bundle/index.js');
    // No sources, tests, snapshots or repository folders: only what lib/src compiles to.
    expect(names.filter((f) => /^(src|test|examples|stacks|bench|scripts|flavors)\/|(^|\/)__snapshots__\/|\.(test|spec)\.|(?<!\.d)\.ts$/.test(f))).toEqual([]);
    expect(names).toContain(HANDLER_BUNDLE);
    expect(files.get(HANDLER_BUNDLE)!.length).toBeGreaterThan(100_000);
    expect(files.get(HANDLER_BUNDLE)!.toString('utf8')).toMatch(/\bhandler\b/);
  });

  test('has the compiled module and declarations of every source module', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== 'handler-bundle') walk(full);
        else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) sources.push(path.relative(ROOT, full).split(path.sep).join('/'));
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(sources.length).toBeGreaterThan(40);
    const missing = sources.flatMap((s) => [`lib/${s.replace(/\.ts$/, '.js')}`, `lib/${s.replace(/\.ts$/, '.d.ts')}`]).filter((f) => !files.has(f));
    expect(missing).toEqual([]);
  });

  test('package.json: main and types in the tarball, the peer dependencies the README names, no dependencies', () => {
    const pkg = JSON.parse(files.get('package.json')!.toString('utf8'));
    expect(pkg.name).toBe(PACKAGE);
    expect(files.has(pkg.main)).toBe(true);
    expect(files.has(pkg.types)).toBe(true);
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toEqual({ '@cdktf/provider-aws': '^21.22.1', cdktf: '^0.21.0', constructs: '^10.4.2' });
    const readme = files.get('README.md')!.toString('utf8');
    const line = installLine('cdktf');
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      expect([name, readme.includes(`\`${range}\``)]).toEqual([name, true]);
      const pinned = line.find((s) => s.startsWith(`${name}@`))?.slice(name.length + 1);
      expect([name, pinned !== undefined && admits(range, pinned)]).toEqual([name, true]);
    }
  });
});

describeConsumer('cdktf', () => tarball, () => files.get(HANDLER_BUNDLE)!);
