#!/usr/bin/env node
/**
 * The two flavors of the package, built from one source.
 *
 * - **cdktf** (primary): the repository as it is, built by `npm run build` and packed by `npm pack`.
 * - **cdktn** (CDK Terrain, the community fork of CDK for Terraform): the same source with the one
 *   cdktf seam, `src/private/cdktf.ts`, switched to the fork's package names (`cdktf` -> `cdktn`,
 *   `@cdktf/provider-aws/lib/...` -> `@cdktn/provider-aws/lib/...`), compiled against the fork's
 *   packages and packed under its own name and peer dependencies. Nothing else in `src/` changes;
 *   any other module of `src/` that imports cdktf stops the build.
 *
 * cdktn's types do not mix with cdktf's in one `node_modules`, so the cdktn flavor has its own
 * install: `flavors/cdktn/package.json` and its lock file, installed with
 * `npm ci --prefix flavors/cdktn`. The shim handler holds no cdktf code, so its bundle is the same
 * in both flavors; it is built the way the cdktf build builds it (esbuild and the AWS SDK clients
 * of the repository's own install).
 *
 * Usage:
 *   node scripts/flavor.js pack [--destination <dir>]   build the cdktn package and write its tarball
 *                                                        (default destination: the repository root)
 *   node scripts/flavor.js install [--force]            `npm ci --prefix flavors/cdktn` unless current
 *
 * The functions are exported for the cdktn test run (scripts/test-cdktn.js) and the package tests,
 * which also pack the cdktf flavor through {@link packCdktf}: `npm run test:package` packs it and
 * keeps the tarball in `.cache/packed-cdktf/` with a digest of what it was built from, and the
 * cdktn package test that `npm run test:cdktn` runs later compares against that tarball instead of
 * packing (and building) the repository again, unless the sources changed since.
 */
'use strict';

const { spawnSync } = require('child_process');
const { createHash } = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
/** The one module of src/ that imports cdktf and the provider bindings. */
const SEAM = path.join('private', 'cdktf.ts');

/**
 * What tells the flavors apart. `core` and `provider` are the package names the seam imports;
 * the rest is the cdktn package's metadata.
 */
const CDKTN = {
  core: 'cdktn',
  provider: '@cdktn/provider-aws',
  packageName: 'cdktn-bedrock-guardrails',
  peerDependencies: {
    '@cdktn/provider-aws': '^25.7.0',
    cdktn: '^0.24.0',
    constructs: '>=10.6.0 <10.8.0',
  },
  /** Where its install lives (package.json, package-lock.json, node_modules). */
  installDir: path.join(ROOT, 'flavors', 'cdktn'),
  /** Scratch space for its builds (ignored by git). */
  buildDir: path.join(ROOT, 'flavors', 'cdktn', 'build'),
};

/** The cdktf module specifiers and the cdktn ones they become. */
const SPECIFIER = /(\b(?:from|import|require|requireActual|resolve|mock)\s*\(?\s*)(['"])(cdktf|@cdktf\/[\w.-]+)((?:\/[^'"\s]*)?)\2/g;
const COUNTERPART = { cdktf: CDKTN.core, '@cdktf/provider-aws': CDKTN.provider };

/** A failure the scripts report as one clear line, without a stack trace. */
class FlavorError extends Error {}

/**
 * Rewrites the cdktf module specifiers in a TypeScript or JavaScript source to cdktn's:
 * `'cdktf'` and `'cdktf/...'` to `'cdktn'` and `'cdktn/...'`, `'@cdktf/provider-aws'` and its deep
 * paths to `'@cdktn/provider-aws'`. Only specifiers change (after `from`, `import`, `require(`,
 * `jest.mock(`, ...), never other strings. A specifier of another `@cdktf/` package has no known
 * counterpart and throws.
 *
 * @param {string} text the source
 * @param {string} file its path, for messages
 * @returns {{ text: string, replaced: number }}
 */
function switchImports(text, file) {
  let replaced = 0;
  const out = text.replace(SPECIFIER, (match, lead, quote, pkg, rest) => {
    const target = COUNTERPART[pkg];
    if (!target) throw new FlavorError(`${file} imports ${pkg}${rest}, which has no known cdktn counterpart (known: ${Object.keys(COUNTERPART).join(', ')}).`);
    replaced++;
    return `${lead}${quote}${target}${rest}${quote}`;
  });
  return { text: out, replaced };
}

/** The cdktf module specifiers in a source, as written. */
function cdktfImports(text) {
  return [...text.matchAll(SPECIFIER)].map((m) => `${m[3]}${m[4]}`);
}

/** Every file under `dir`, relative, with `/`, sorted. */
function listFiles(dir, skip = () => false) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (skip(rel, entry)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk(dir);
  return out;
}

/** Directories a copy of the repository never takes: installs, outputs, caches. */
function isGenerated(rel, entry) {
  return entry.isDirectory() && ['node_modules', 'cdktf.out', 'handler-bundle', '.terraform', 'out'].includes(entry.name)
    || /(^|\/)cdktf\.out[^/]*$/.test(rel);
}

/**
 * Writes the cdktn flavor of `src/` to `outDir`: every file copied byte for byte, except the seam,
 * whose module specifiers are switched. Throws when the seam imports nothing of cdktf (the
 * switch would do nothing) or when any other module imports cdktf (only the seam may).
 *
 * @param {string} srcDir the source tree (the repository's `src/`)
 * @param {string} outDir where to write it (replaced)
 * @returns {string[]} the files that differ from the source (only the seam)
 */
function writeFlavorSource(srcDir, outDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const changed = [];
  for (const rel of listFiles(srcDir, isGenerated)) {
    const from = path.join(srcDir, rel);
    const to = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (!/\.(ts|js)$/.test(rel)) {
      fs.copyFileSync(from, to);
      continue;
    }
    const text = fs.readFileSync(from, 'utf8');
    if (rel === SEAM.split(path.sep).join('/')) {
      const { text: switched, replaced } = switchImports(text, `src/${rel}`);
      if (replaced === 0) throw new FlavorError(`src/${rel} imports nothing of cdktf: the seam moved? Update SEAM in scripts/flavor.js.`);
      fs.writeFileSync(to, switched);
      changed.push(rel);
    } else {
      const stray = cdktfImports(text);
      if (stray.length) {
        throw new FlavorError(`src/${rel} imports ${stray.join(', ')}: only src/${SEAM.split(path.sep).join('/')} may import cdktf or the provider bindings, ` +
          'so that the cdktn flavor swaps one module. Import it from the seam instead.');
      }
      fs.copyFileSync(from, to);
    }
  }
  return changed;
}

/**
 * Copies a tree (examples, tests, ...) with every TypeScript and JavaScript file's cdktf module
 * specifiers switched to cdktn's; other files verbatim.
 *
 * @returns {number} how many specifiers were switched
 */
function writeSwitchedTree(fromDir, outDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  let replaced = 0;
  for (const rel of listFiles(fromDir, isGenerated)) {
    const to = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (/\.(ts|js)$/.test(rel)) {
      const result = switchImports(fs.readFileSync(path.join(fromDir, rel), 'utf8'), rel);
      replaced += result.replaced;
      fs.writeFileSync(to, result.text);
    } else {
      fs.copyFileSync(path.join(fromDir, rel), to);
    }
  }
  return replaced;
}

/**
 * The cdktn package's package.json, derived from the repository's: its name, "CDK Terrain" for
 * "CDK for Terraform" in the description, cdktn's peer dependencies; everything that describes
 * what is shipped (version, license, main, types, engines, files) unchanged; no scripts and no
 * dev dependencies (the build is done before packing).
 */
function flavorPackageJson(rootPackage) {
  const { description } = rootPackage;
  if (!description.includes('CDK for Terraform')) {
    throw new FlavorError('package.json: the description no longer says "CDK for Terraform"; update flavorPackageJson in scripts/flavor.js.');
  }
  const peers = Object.keys(rootPackage.peerDependencies ?? {}).sort();
  if (peers.join() !== '@cdktf/provider-aws,cdktf,constructs') {
    throw new FlavorError(`package.json: peer dependencies ${peers.join(', ')} are not the three the cdktn flavor maps (@cdktf/provider-aws, cdktf, constructs).`);
  }
  const out = {};
  for (const [key, value] of Object.entries(rootPackage)) {
    if (key === 'scripts' || key === 'devDependencies') continue;
    if (key === 'name') out.name = CDKTN.packageName;
    else if (key === 'description') out.description = description.replace('CDK for Terraform', 'CDK Terrain (cdktn)');
    else if (key === 'peerDependencies') out.peerDependencies = CDKTN.peerDependencies;
    else out[key] = value;
  }
  out.keywords = [...new Set([...(rootPackage.keywords ?? []), 'cdktn', 'cdk-terrain'])];
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The cdktn install
// ---------------------------------------------------------------------------------------------------

/**
 * Whether `flavors/cdktn/node_modules` holds what its lock file pins: npm's record of the install
 * (`node_modules/.package-lock.json`) has every package of the lock file that is not optional, at
 * the same version and integrity, and the lock file matches package.json.
 */
function installIsCurrent() {
  const read = (file) => JSON.parse(fs.readFileSync(path.join(CDKTN.installDir, file), 'utf8'));
  if (!fs.existsSync(path.join(CDKTN.installDir, 'package-lock.json'))) {
    throw new FlavorError('flavors/cdktn/package-lock.json is missing: it pins the cdktn install; restore it from git.');
  }
  const lock = read('package-lock.json');
  const manifest = read('package.json');
  const sorted = (deps) => JSON.stringify(Object.entries(deps ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  if (sorted(lock.packages[''].devDependencies) !== sorted(manifest.devDependencies)) {
    throw new FlavorError('flavors/cdktn/package-lock.json does not match flavors/cdktn/package.json: run `npm install --prefix flavors/cdktn` and commit the lock file.');
  }
  if (!fs.existsSync(path.join(CDKTN.installDir, 'node_modules', '.package-lock.json'))) return false;
  const installed = read(path.join('node_modules', '.package-lock.json')).packages;
  return Object.entries(lock.packages).every(([key, entry]) => key === '' || entry.optional
    || (installed[key]?.version === entry.version && installed[key]?.integrity === entry.integrity));
}

/**
 * Installs the cdktn flavor's packages from its lock file (`npm ci --prefix flavors/cdktn`),
 * unless they are installed as the lock file pins them already (`force` reinstalls).
 */
function ensureInstall({ force = false, log = console.error } = {}) {
  if (!force && installIsCurrent()) return;
  log(`Installing the cdktn flavor's packages: npm ci --prefix ${path.relative(ROOT, CDKTN.installDir)}`);
  run('npm', ['ci', '--prefix', CDKTN.installDir, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!installIsCurrent()) throw new FlavorError('npm ci --prefix flavors/cdktn did not install what flavors/cdktn/package-lock.json pins.');
}

/** Path of a binary of the cdktn install. */
function flavorBin(name) {
  const bin = path.join(CDKTN.installDir, 'node_modules', '.bin', name);
  if (!fs.existsSync(bin)) throw new FlavorError(`${path.relative(ROOT, bin)} is missing: run \`npm ci --prefix ${path.relative(ROOT, CDKTN.installDir)}\`.`);
  return bin;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw new FlavorError(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = [result.stdout, result.stderr].filter(Boolean).join('\n').trim();
    throw new FlavorError(`\`${command} ${args.join(' ')}\` in ${path.relative(ROOT, options.cwd) || '.'} failed (exit ${result.status})${output ? `:\n${output}` : ''}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// The cdktn package
// ---------------------------------------------------------------------------------------------------

/**
 * Builds the cdktn package in `flavors/cdktn/build/package`: the flavored `src/`, the
 * repository's compiler settings, tsc against the cdktn install, then the shim handler and verify
 * bundles and the verify launcher, the way `npm run build` does for cdktf.
 *
 * @returns {string} the package directory
 */
function buildPackage({ log = console.error } = {}) {
  const missing = ['esbuild', '@aws-sdk/client-bedrock', '@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-organizations', '@aws-sdk/client-sts', '@smithy/node-http-handler']
    .filter((name) => !fs.existsSync(path.join(ROOT, 'node_modules', name, 'package.json')));
  if (missing.length) throw new FlavorError(`the shim handler and the verify command are bundled with the repository's own install, which lacks ${missing.join(', ')}: run \`npm ci\` first.`);
  ensureInstall({ log });
  const dir = path.join(CDKTN.buildDir, 'package');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  writeFlavorSource(path.join(ROOT, 'src'), path.join(dir, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'README.md']) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(flavorPackageJson(rootPackage), null, 2) + '\n');
  log('Compiling the cdktn flavor (tsc -p tsconfig.build.json)');
  run(flavorBin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: dir });
  // The handler's sources are the repository's (the seam is not part of them), bundled by the
  // same compiled bundle.js with the repository's esbuild and SDK clients.
  log('Bundling the shim handler');
  run(process.execPath, [path.join('lib', 'src', 'shim', 'bundle.js')], { cwd: dir });
  // verify reads synthesized files and AWS, never cdktf: its bundle and launcher are the same.
  log('Bundling the verify command');
  run(process.execPath, [path.join('lib', 'src', 'verify', 'bundle.js')], { cwd: dir });
  fs.cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  return dir;
}

/**
 * `npm pack --json` of the package in `dir` (its `prepack` script, if any, runs first) into
 * `destination`.
 *
 * @returns {string} the tarball's absolute path
 */
function npmPack(dir, destination) {
  const to = path.resolve(destination);
  fs.mkdirSync(to, { recursive: true });
  const out = run('npm', ['pack', '--json', '--pack-destination', to], { cwd: dir }).stdout;
  // A prepack script's output comes first; npm's report is the JSON array at the end, the one
  // line that starts with `[` (the arrays inside it are indented).
  let report;
  try {
    report = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1));
  } catch (e) {
    throw new FlavorError(`npm pack in ${path.relative(ROOT, dir) || '.'} printed no JSON report at the end of its output (${e.message}):\n${out.slice(-2000)}`);
  }
  const filename = Array.isArray(report) && report.length === 1 ? report[0].filename : undefined;
  const tarball = typeof filename === 'string' ? path.join(to, filename) : undefined;
  if (!tarball || !fs.existsSync(tarball)) throw new FlavorError(`npm pack in ${path.relative(ROOT, dir) || '.'} reported ${JSON.stringify(filename)}, which is not a tarball in ${to}.`);
  return tarball;
}

/**
 * Builds the cdktn package and packs it into `destination` with `npm pack`.
 *
 * @returns {string} the tarball's absolute path (`cdktn-bedrock-guardrails-<version>.tgz`)
 */
function packCdktn({ destination = ROOT, log = console.error } = {}) {
  const tarball = npmPack(buildPackage({ log }), destination);
  if (!/^cdktn.*\.tgz$/.test(path.basename(tarball))) throw new FlavorError(`npm pack wrote ${path.basename(tarball)}, not a cdktn tarball, in ${destination}.`);
  return tarball;
}

// ---------------------------------------------------------------------------------------------------
// The cdktf package
// ---------------------------------------------------------------------------------------------------

/** Where {@link packCdktf} keeps the last cdktf tarball and what it was built from (ignored by git). */
const PACKED_CDKTF = path.join(ROOT, '.cache', 'packed-cdktf');
/** What the cdktf package is built from, besides the files under src/ and bin/. */
const CDKTF_PACK_FILES = ['README.md', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/**
 * SHA-256 of everything the cdktf package is built from: every file under src/ and bin/ (outputs
 * left out, see isGenerated) and {@link CDKTF_PACK_FILES}, each with its path.
 */
function cdktfSourceDigest() {
  const hash = createHash('sha256');
  const files = [
    ...['src', 'bin'].flatMap((dir) => listFiles(path.join(ROOT, dir), isGenerated).map((rel) => `${dir}/${rel}`)),
    ...CDKTF_PACK_FILES,
  ];
  for (const rel of files) hash.update(`${rel}\0`).update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
  return hash.digest('hex');
}

/**
 * The cdktf package's tarball in `destination`: `npm pack` of the repository (its `prepack` builds
 * it), kept in {@link PACKED_CDKTF} with the digest of its sources. With `reuse`, a kept tarball
 * built from the same sources is copied instead, and nothing is built.
 *
 * @returns {{ tarball: string, reused: boolean }} the tarball's absolute path, and whether it was a kept one
 */
function packCdktf({ destination, reuse = false }) {
  const record = path.join(PACKED_CDKTF, 'packed.json');
  const digest = cdktfSourceDigest();
  if (reuse && fs.existsSync(record)) {
    const kept = JSON.parse(fs.readFileSync(record, 'utf8'));
    const from = path.join(PACKED_CDKTF, kept.filename);
    if (kept.digest === digest && fs.existsSync(from)) {
      fs.mkdirSync(destination, { recursive: true });
      const tarball = path.join(path.resolve(destination), kept.filename);
      fs.copyFileSync(from, tarball);
      return { tarball, reused: true };
    }
  }
  const tarball = npmPack(ROOT, destination);
  // Kept only when the sources did not change while it was built.
  if (cdktfSourceDigest() === digest) {
    fs.rmSync(PACKED_CDKTF, { recursive: true, force: true });
    fs.mkdirSync(PACKED_CDKTF, { recursive: true });
    fs.copyFileSync(tarball, path.join(PACKED_CDKTF, path.basename(tarball)));
    fs.writeFileSync(record, `${JSON.stringify({ filename: path.basename(tarball), digest }, null, 2)}\n`);
  }
  return { tarball, reused: false };
}

module.exports = {
  CDKTN, FlavorError, PACKED_CDKTF, ROOT, SEAM, buildPackage, cdktfImports, ensureInstall, flavorBin, flavorPackageJson, listFiles, npmPack,
  packCdktf, packCdktn, switchImports, writeFlavorSource, writeSwitchedTree,
};

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    if (command === 'pack') {
      const started = Date.now();
      const tarball = packCdktn({ destination: option('--destination') ?? ROOT });
      console.error(`Packed the cdktn flavor in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
      console.log(tarball);
    } else if (command === 'install') {
      ensureInstall({ force: args.includes('--force') });
    } else {
      console.error('usage: node scripts/flavor.js pack [--destination <dir>] | install [--force]');
      process.exit(2);
    }
  } catch (e) {
    if (!(e instanceof FlavorError)) throw e;
    console.error(`scripts/flavor.js: ${e.message}`);
    process.exit(1);
  }
}
