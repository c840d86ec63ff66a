/**
 * The cdktf seam, src/private/cdktf.ts, read as the flavor of this run has it (`npm test`: cdktf;
 * `npm run test:cdktn`: the copy with the seam switched to cdktn): it imports the framework and the
 * provider bindings only, the bindings by deep path only, and every class it takes from them is
 * there, at that path, in the installed packages.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformElement } from 'cdktf';

const SEAM = path.join(__dirname, '..', '..', 'src', 'private', 'cdktf.ts');
const text = fs.readFileSync(SEAM, 'utf8');

/**
 * Each `import { ... } from '...'` and `export { ... } from '...'` of the seam: its specifier, and
 * the names it marks as values (an import clause may name interfaces without `type`).
 */
const clauses = [...text.matchAll(/(?:^|\n)(import|export)\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)].map((m) => ({
  kind: m[1],
  specifier: m[3],
  values: m[2].split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]),
}));
const framework = JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')).name as string;
const bindings = `@${framework}/provider-aws`;

describe(`the seam (${framework})`, () => {
  test('imports the framework, constructs and the provider bindings, nothing else', () => {
    expect(clauses.length).toBeGreaterThan(5);
    const others = clauses.map((c) => c.specifier).filter((s) => s !== framework && s !== 'constructs' && !s.startsWith(`${bindings}/`));
    expect(others).toEqual([]);
  });

  test('imports the provider bindings by deep path only', () => {
    const provider = clauses.filter((c) => c.specifier.startsWith(bindings)).map((c) => c.specifier);
    expect(provider.length).toBeGreaterThan(5);
    expect(provider.filter((s) => !new RegExp(`^${bindings}/lib/[a-z0-9-]+$`).test(s))).toEqual([]);
  });

  test('every provider class it names is at its deep path in the installed bindings', () => {
    const missing: string[] = [];
    for (const { specifier, values } of clauses.filter((c) => c.specifier.startsWith(`${bindings}/`))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(specifier) as Record<string, unknown>;
      for (const name of values) {
        const cls = module[name];
        if (typeof cls !== 'function' || !Object.prototype.isPrototypeOf.call(TerraformElement.prototype, cls.prototype)) missing.push(`${specifier}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('every value it re-exports from the framework exists there', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require('cdktf') as Record<string, unknown>;
    const names = clauses.filter((c) => c.kind === 'export' && c.specifier === framework).flatMap((c) => c.values);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => core[n] === undefined)).toEqual([]);
  });
});
