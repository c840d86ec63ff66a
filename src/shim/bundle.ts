/**
 * The shim handler as a Lambda code directory: `index.js` exporting `handler` (Lambda handler
 * setting `index.handler`), with the Bedrock, Organizations and STS clients bundled in, ready for a
 * `TerraformAsset` of type ARCHIVE. Nothing else is in the directory, and the output has no
 * timestamps, so the archive hash changes only when the bundled code does.
 *
 * Where the bundle comes from, in order:
 * 1. TypeScript sources next to this file (`handler/index.ts`, a source checkout, ts-node or jest):
 *    built with esbuild, cached by a hash of the inputs in
 *    `<nearest node_modules>/.cache/cdktf-bedrock-guardrails/shim-<hash>/` (or the OS temp dir
 *    when that is not writable), so repeated calls in one process and across processes do not
 *    rebuild.
 * 2. A prebuilt bundle next to the compiled code: `<dir of bundle.js>/handler-bundle/index.js`,
 *    i.e. `lib/src/shim/handler-bundle/index.js` in the published package. Write it after `tsc`
 *    with `node lib/src/shim/bundle.js` (or `writePrebuiltBundle()`); esbuild is a devDependency,
 *    so installed packages rely on it.
 * 3. Otherwise, when esbuild is available, the TypeScript sources of a checkout whose compiled
 *    output this is (`<root>/src/shim/handler` for `<root>/lib/src/shim`), or else the compiled
 *    `handler/index.js`. Bundling the compiled CommonJS loses tree shaking (the output is about
 *    590 KB instead of about 450 KB), so the TypeScript sources are preferred wherever they exist.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The bundled shim handler, ready to be archived for the Lambda function. */
export interface HandlerBundle {
  /** Directory holding only `index.js`; archive it for the Lambda function. */
  readonly dir: string;
  /** Hex SHA-256 of `index.js`. */
  readonly sha256: string;
  /** Size of `index.js` in bytes. */
  readonly bytes: number;
}

/** Name of the directory, next to the compiled `bundle.js`, that holds a prebuilt bundle. */
export const PREBUILT_BUNDLE_DIR = 'handler-bundle';

/** Packages whose versions, with the handler sources, decide whether a cached bundle is current. */
const BUNDLED_PACKAGES = ['@aws-sdk/client-bedrock', '@aws-sdk/client-organizations', '@aws-sdk/client-sts', '@aws-sdk/core', '@smithy/core'];

/** The esbuild options of the bundle (the cache key includes them). */
export const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  // The SDK's ES module builds tree-shake better than its CommonJS ones.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  sourcemap: false,
  charset: 'utf8',
  logLevel: 'silent',
} as const;

const memo = new Map<string, HandlerBundle>();

function handlerDir(): string {
  return path.join(__dirname, 'handler');
}

/** The handler's TypeScript entry: next to this file, or in the checkout this compiled file came from. */
function typescriptEntry(): string | undefined {
  const candidates = [path.join(handlerDir(), 'index.ts'), path.resolve(__dirname, '..', '..', '..', 'src', 'shim', 'handler', 'index.ts')];
  return candidates.find((file) => fs.existsSync(file));
}

function describe(dir: string): HandlerBundle {
  const content = fs.readFileSync(path.join(dir, 'index.js'));
  return { dir, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length };
}

/** The handler bundle directory, built or found as described at the top of this file. */
export function handlerBundle(): HandlerBundle {
  const dir = handlerDir();
  const cached = memo.get(dir);
  if (cached) return cached;
  let bundle: HandlerBundle;
  const prebuilt = path.join(__dirname, PREBUILT_BUNDLE_DIR);
  const fallback = typescriptEntry() ?? (fs.existsSync(path.join(dir, 'index.js')) ? path.join(dir, 'index.js') : undefined);
  if (fs.existsSync(path.join(dir, 'index.ts'))) {
    bundle = buildCached(path.join(dir, 'index.ts'));
  } else if (fs.existsSync(path.join(prebuilt, 'index.js'))) {
    bundle = describe(prebuilt);
  } else if (fallback) {
    bundle = buildCached(fallback);
  } else {
    throw new Error(
      `cdktf-bedrock-guardrails: no shim handler bundle: expected ${path.join(prebuilt, 'index.js')} or handler sources in ${dir}. ` +
        'Reinstall the package, or in a source checkout run the build.',
    );
  }
  memo.set(dir, bundle);
  return bundle;
}

/**
 * Build the bundle from the handler sources and copy it to `outDir` (default: the prebuilt
 * location next to this file). Run after `tsc` so the published package carries its bundle.
 */
export function writePrebuiltBundle(outDir: string = path.join(__dirname, PREBUILT_BUNDLE_DIR)): HandlerBundle {
  const entry = typescriptEntry() ?? path.join(handlerDir(), 'index.js');
  const built = buildCached(entry);
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(path.join(built.dir, 'index.js'), path.join(outDir, 'index.js'));
  return describe(outDir);
}

function loadEsbuild(): typeof import('esbuild') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('esbuild');
  } catch {
    throw new Error(
      'cdktf-bedrock-guardrails: building the shim handler needs esbuild (a devDependency of this package); ' +
        `no prebuilt bundle was found in ${path.join(__dirname, PREBUILT_BUNDLE_DIR)}.`,
    );
  }
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (/\.(ts|js|json)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

function packageVersion(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(candidate)) return JSON.parse(fs.readFileSync(candidate, 'utf8')).version ?? 'unknown';
    if (path.dirname(dir) === dir) return 'missing';
  }
}

function inputHash(entry: string, esbuildVersion: string): string {
  const dir = path.dirname(entry);
  const hash = createHash('sha256');
  hash.update(`cdktf-bedrock-guardrails shim bundle 1\0esbuild ${esbuildVersion}\0${JSON.stringify(BUILD_OPTIONS)}\0${path.basename(entry)}\0`);
  for (const name of BUNDLED_PACKAGES) hash.update(`${name}@${packageVersion(name, dir)}\0`);
  for (const file of listSources(dir)) {
    hash.update(path.relative(dir, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

function writableDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function cacheRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const nodeModules = path.join(dir, 'node_modules');
    if (fs.existsSync(nodeModules)) {
      const candidate = path.join(nodeModules, '.cache', 'cdktf-bedrock-guardrails');
      if (writableDir(candidate)) return candidate;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  const fallback = path.join(os.tmpdir(), 'cdktf-bedrock-guardrails');
  fs.mkdirSync(fallback, { recursive: true });
  return fallback;
}

function buildCached(entry: string): HandlerBundle {
  const esbuild = loadEsbuild();
  const key = inputHash(entry, esbuild.version);
  const root = cacheRoot();
  const finalDir = path.join(root, `shim-${key}`);
  if (fs.existsSync(path.join(finalDir, 'index.js'))) return describe(finalDir);

  // Build beside the final directory and rename it into place, so a concurrent process never sees
  // a half-written bundle.
  const tmpDir = path.join(root, `.tmp-shim-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(tmpDir, { recursive: true });
  try {
    esbuild.buildSync({
      ...BUILD_OPTIONS,
      mainFields: [...BUILD_OPTIONS.mainFields],
      entryPoints: [entry],
      outfile: path.join(tmpDir, 'index.js'),
      absWorkingDir: path.dirname(entry),
      write: true,
    });
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (err) {
      // Another process won the race; its bundle is identical.
      if (!fs.existsSync(path.join(finalDir, 'index.js'))) throw err;
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  pruneStale(root, finalDir);
  return describe(finalDir);
}

/** Bundles of earlier handler versions are dropped a week after they were built. */
const STALE_AFTER_MS = 7 * 24 * 3600 * 1000;

function pruneStale(root: string, keep: string): void {
  try {
    for (const name of fs.readdirSync(root)) {
      const dir = path.join(root, name);
      if (!/^(shim-|\.tmp-shim-)/.test(name) || dir === keep) continue;
      if (Date.now() - fs.statSync(dir).mtimeMs > STALE_AFTER_MS) fs.rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // Pruning the cache is best effort.
  }
}

if (require.main === module) {
  const out = writePrebuiltBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(JSON.stringify(out));
}
