/**
 * The layers of src/ point one way, and cdktf is reached through one seam:
 *
 *   errors.ts (the one error type, imports nothing)
 *   private/   helpers, and private/cdktf.ts, the only module that imports cdktf or the provider bindings
 *   model/     identifiers, limits, settings, the organization, reach, the shim contract
 *   validation/ facts, rules, the preview: reads the model, never a construct
 *   guardrail/ access/ enforcement/ shim/ stacks/   the constructs
 *   app.ts, index.ts
 *
 * and the shim handler, bundled for Lambda, holds nothing but itself and the two model modules the
 * contract needs.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

interface Module {
  /** Path relative to src/, with `/`. */
  readonly file: string;
  /** Resolved relative imports (relative to src/, without extension) and package imports. */
  readonly imports: string[];
  /** The same, without `import type` (erased from the compiled code). */
  readonly runtimeImports: string[];
  readonly text: string;
}

function modules(dir = SRC): Module[] {
  const out: Module[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'handler-bundle' || entry.name === 'node_modules') continue;
      out.push(...modules(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const text = fs.readFileSync(full, 'utf8');
      const statements = [...text.matchAll(/(?:^|\n)\s*((?:import|export)[^'"]*?from\s+'([^']+)')/g)].map((m) => ({ text: m[1], spec: m[2] }));
      const required = [...text.matchAll(/require\('([^']+)'\)/g)].map((m) => ({ text: 'require', spec: m[1] }));
      const resolve = (s: string) => (s.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(full), s)).split(path.sep).join('/') : s);
      const all = [...statements, ...required];
      out.push({
        file: path.relative(SRC, full).split(path.sep).join('/'),
        imports: all.map((x) => resolve(x.spec)),
        runtimeImports: all.filter((x) => !/^(?:import|export) type\b/.test(x.text)).map((x) => resolve(x.spec)),
        text,
      });
    }
  }
  return out;
}

const ALL = modules();
const layerOf = (p: string): string => (p.includes('/') ? p.split('/')[0] : p.replace(/\.ts$/, ''));
const local = (m: Module) => m.imports.filter((i) => ALL.some((x) => x.file.replace(/\.ts$/, '') === i || x.file === `${i}/index.ts`));

describe('architecture', () => {
  test('the scan sees the whole source tree', () => {
    expect(ALL.length).toBeGreaterThan(40);
    for (const layer of ['private', 'model', 'validation', 'guardrail', 'access', 'enforcement', 'shim', 'stacks']) {
      expect(ALL.some((m) => layerOf(m.file) === layer)).toBe(true);
    }
  });

  test('only private/cdktf.ts imports cdktf or the provider bindings', () => {
    const offenders = ALL.filter((m) => m.file !== 'private/cdktf.ts'
      && m.imports.some((i) => i === 'cdktf' || i === 'cdktn' || i.startsWith('@cdktf/') || i.startsWith('@cdktn/')));
    expect(offenders.map((m) => m.file)).toEqual([]);
  });

  test('provider bindings are imported by deep path only', () => {
    const seam = ALL.find((m) => m.file === 'private/cdktf.ts')!;
    const provider = seam.imports.filter((i) => i.startsWith('@cdktf/provider-aws'));
    expect(provider.length).toBeGreaterThan(5);
    expect(provider.every((i) => /^@cdktf\/provider-aws\/lib\/[a-z0-9-]+$/.test(i))).toBe(true);
  });

  const allowed: Record<string, readonly string[]> = {
    errors: [],
    private: ['private', 'errors'],
    model: ['model', 'private', 'errors'],
    validation: ['validation', 'model', 'private', 'errors'],
  };

  test.each(Object.keys(allowed))('%s/ imports nothing above it', (layer) => {
    const offenders = ALL.filter((m) => layerOf(m.file) === layer)
      .flatMap((m) => local(m).filter((i) => !allowed[layer].includes(layerOf(i))).map((i) => `${m.file} -> ${i}`));
    expect(offenders).toEqual([]);
  });

  test('the shim handler holds only itself and the contract\'s model modules, so its bundle has no cdktf', () => {
    const handler = ALL.filter((m) => m.file.startsWith('shim/handler/'));
    expect(handler.length).toBeGreaterThan(5);
    const offenders = handler.flatMap((m) => local(m)
      .filter((i) => !i.startsWith('shim/handler/') && i !== 'model/identifiers' && i !== 'model/shim-contract')
      .map((i) => `${m.file} -> ${i}`));
    expect(offenders).toEqual([]);
    for (const contract of ['model/identifiers.ts', 'model/shim-contract.ts']) {
      const m = ALL.find((x) => x.file === contract)!;
      expect(local(m).filter((i) => i !== 'model/identifiers')).toEqual([]);
    }
  });

  test('verify reads files and AWS, never constructs: its code holds no cdktf, so one bundle serves both flavors', () => {
    const verify = ALL.filter((m) => m.file.startsWith('verify/'));
    expect(verify.length).toBeGreaterThan(5);
    const allowedRuntime = (file: string, i: string) => i.startsWith('verify/') || i.startsWith('shim/handler/') || i === 'model/identifiers' || i === 'model/shim-contract'
      // The bundler (run at build time, not part of the bundle) takes the handler bundle's esbuild options.
      || (file === 'verify/bundle.ts' && i === 'shim/bundle');
    const offenders = verify.flatMap((m) => m.runtimeImports.filter((i) => ALL.some((x) => x.file.replace(/\.ts$/, '') === i) && !allowedRuntime(m.file, i))
      .map((i) => `${m.file} -> ${i}`));
    expect(offenders).toEqual([]);
  });

  test('no module inside src imports the package index, and the index names what it exports', () => {
    expect(ALL.filter((m) => m.file !== 'index.ts' && local(m).includes('index')).map((m) => m.file)).toEqual([]);
    const index = ALL.find((m) => m.file === 'index.ts')!;
    expect(index.text).not.toMatch(/export \*/);
    expect(index.imports.some((i) => i.startsWith('private/'))).toBe(false);
  });

  test('no module keeps app-wide state in a module-level map or cache, but the validation layer\'s one accessor', () => {
    // The handler's bundle and zip are build artifacts made once per process, not state of an app.
    const artifacts = ['shim/bundle.ts', 'shim/archive.ts'];
    // A module-level map, an empty set to fill, or any module-level `let`; sets of constants are not state.
    const state = /^(?:export )?(?:(?:const|let) \w+(?:: [^=\n]+)?\s*=\s*new (?:(?:Weak)?Map\b|(?:Weak)?Set(?:<[^>\n]*>)?\(\))|let )/m;
    const offenders = ALL.filter((m) => state.test(m.text) && m.file !== 'validation/validation.ts' && !artifacts.includes(m.file));
    expect(offenders.map((m) => m.file)).toEqual([]);
    // The pattern sees what it is meant to.
    for (const line of ['const cache = new Map<string, number>();', 'export const seen: Set<string> = new Set();', 'let count = 0;', 'const w = new WeakSet<object>();']) {
      expect([line, state.test(line)]).toEqual([line, true]);
    }
    expect(state.test("const CODES = new Set(['A', 'B']);")).toBe(false);
  });
});
