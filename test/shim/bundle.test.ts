import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { BUILD_OPTIONS, handlerBundle, writePrebuiltBundle } from '../../src/shim/bundle';

describe('handler bundle', () => {
  test('a directory holding only index.js, which exports handler, under 500 KB', () => {
    const bundle = handlerBundle();
    expect(fs.readdirSync(bundle.dir)).toEqual(['index.js']);
    expect(bundle.bytes).toBe(fs.statSync(path.join(bundle.dir, 'index.js')).size);
    expect(bundle.bytes).toBeLessThan(500 * 1024);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Loaded by plain Node, as the Lambda runtime does; no AWS SDK needed next to it.
    const out = execFileSync(process.execPath, ['-e', `const m = require(${JSON.stringify(path.join(bundle.dir, 'index.js'))}); process.stdout.write(typeof m.handler)`], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', NODE_PATH: '' },
    }).toString();
    expect(out).toBe('function');
  });

  test('the SDK clients are inside the bundle', () => {
    const text = fs.readFileSync(path.join(handlerBundle().dir, 'index.js'), 'utf8');
    const { builtinModules } = require('node:module') as typeof import('node:module');
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
    // The only non-built-in name left is the optional CRT signer, named in an error message.
    expect([...new Set(required)]).toEqual(['@aws-sdk/signature-v4-crt']);
    expect(text.includes('/enforcedGuardrailsConfiguration')).toBe(true);
    expect(text.includes('AWSOrganizationsV20161128')).toBe(true);
  });

  test('repeated calls reuse the cached bundle', () => {
    const first = handlerBundle();
    const started = Date.now();
    const second = handlerBundle();
    expect(second).toEqual(first);
    expect(Date.now() - started).toBeLessThan(50);
  });

  test('the output is deterministic', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-bundle-a-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-bundle-b-'));
    try {
      const first = writePrebuiltBundle(a);
      const second = writePrebuiltBundle(b);
      expect(first.sha256).toBe(second.sha256);
      expect(first.sha256).toBe(handlerBundle().sha256);
      // And a fresh build (no cache) yields the same bytes.
      const esbuild = require('esbuild');
      const fresh = esbuild.buildSync({
        ...BUILD_OPTIONS,
        entryPoints: [path.join(__dirname, '../../src/shim/handler/index.ts')],
        write: false,
        absWorkingDir: path.join(__dirname, '../../src/shim/handler'),
      });
      expect(Buffer.from(fresh.outputFiles[0].contents).equals(fs.readFileSync(path.join(a, 'index.js')))).toBe(true);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });
});

describe('handler bundle from a compiled build', () => {
  test('the build writes a prebuilt bundle next to the compiled code, which installed copies then use', () => {
    // Lay out a checkout (src/) and its compiled output (lib/) the way tsconfig.json does, under
    // this package's node_modules so esbuild resolves the same dependencies.
    const ts = require('typescript') as typeof import('typescript');
    const cache = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdktf-bedrock-guardrails-test');
    fs.mkdirSync(cache, { recursive: true });
    // Node reports a module's real path, so compare against the real path (node_modules may be a link).
    const base = fs.realpathSync(cache);
    const root = fs.mkdtempSync(path.join(base, 'compiled-'));
    try {
      const srcShim = path.join(__dirname, '..', '..', 'src', 'shim');
      const files = ['bundle.ts', ...fs.readdirSync(path.join(srcShim, 'handler')).map((f) => path.join('handler', f))];
      for (const rel of files) {
        const source = fs.readFileSync(path.join(srcShim, rel), 'utf8');
        fs.mkdirSync(path.dirname(path.join(root, 'src', 'shim', rel)), { recursive: true });
        fs.writeFileSync(path.join(root, 'src', 'shim', rel), source);
        const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
        const out = path.join(root, 'lib', 'src', 'shim', rel.replace(/\.ts$/, '.js'));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, js);
      }
      const compiled = path.join(root, 'lib', 'src', 'shim', 'bundle.js');
      const env = { PATH: process.env.PATH ?? '' };
      const written = JSON.parse(execFileSync(process.execPath, [compiled], { env }).toString());
      expect(written.dir).toBe(path.join(root, 'lib', 'src', 'shim', 'handler-bundle'));
      expect(written.bytes).toBeLessThan(500 * 1024);
      // Same inputs as this checkout's sources, same bundle.
      expect(written.sha256).toBe(handlerBundle().sha256);

      // An installed package has no sources: it uses the prebuilt bundle.
      fs.rmSync(path.join(root, 'src'), { recursive: true });
      fs.rmSync(path.join(root, 'lib', 'src', 'shim', 'handler'), { recursive: true });
      const found = JSON.parse(
        execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(compiled)}).handlerBundle()))`], { env }).toString(),
      );
      expect(found).toEqual(written);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
