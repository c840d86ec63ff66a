/**
 * A fresh project that uses the packed package the way a user would: installed with the README's
 * line (the package name replaced by the tarball), compiled with tsc, run with node.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import type * as TypeScript from 'typescript';

/** The compiler a consumer installs beside the README's line (the version the repository pins). */
export const TYPESCRIPT = 'typescript@5.9.3';
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

/** Runs a command and returns its output; throws with the output when it fails. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** One file of a tarball: path inside it (without the leading `package/`) and content. */
export type TarballFiles = Map<string, Buffer>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const flavor = require('../../scripts/flavor.js') as {
  packCdktf(options: { destination: string; reuse?: boolean }): { tarball: string; reused: boolean };
  packCdktn(options: { destination: string; log?: (line: string) => void }): string;
};

/**
 * The cdktf package's tarball in `destination`: `npm pack` of the repository (its `prepack`
 * builds it), or, with `reuse`, the one an earlier pack of the same sources left (scripts/flavor.js
 * packCdktf; `npm run test:package` packs, the cdktn package test reuses it).
 */
export function packCdktf(destination: string, { reuse = false } = {}): { tarball: string; reused: boolean } {
  return flavor.packCdktf({ destination, reuse });
}

/** The cdktn package built and packed into `destination` (`npm run pack:cdktn`); returns the tarball. */
export function packCdktn(destination: string): string {
  return flavor.packCdktn({ destination, log: () => undefined });
}

/** The files of a tarball, unpacked into a temporary directory and read. */
export function tarballFiles(tarball: string): TarballFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tarball-'));
  try {
    run('tar', ['xzf', tarball, '-C', dir], dir);
    const files: TarballFiles = new Map();
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.set(path.relative(path.join(dir, 'package'), full).split(path.sep).join('/'), fs.readFileSync(full));
      }
    };
    walk(dir);
    return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A consumer project in a temporary directory. */
export interface Consumer {
  readonly dir: string;
  /** Writes `files` (name -> TypeScript source), compiles the project; returns tsc's diagnostics. */
  compile(files: Record<string, string>): string[];
  /**
   * Runs a compiled file (`dist/<name>.js`) with node in a directory of its own, `runs/<name>`,
   * so each program's `cdktf.out` is its own; returns the output and that directory.
   */
  runCompiled(name: string): { result: SpawnSyncReturns<string>; cwd: string };
  remove(): void;
}

/**
 * Creates a project and runs `installLine` in it (the README's, e.g. `npm install
 * cdktf-bedrock-guardrails cdktf@0.21.0 ...`) with the package's name replaced by `tarball`, plus
 * {@link TYPESCRIPT}. The project's tsconfig is strict and checks every declaration file
 * (`skipLibCheck: false`) without Node's types, which the README does not install.
 */
export function createConsumer(installLine: string[], packageName: string, tarball: string): Consumer {
  const [npm, install, ...specs] = installLine;
  if (npm !== 'npm' || install !== 'install' || !specs.includes(packageName)) {
    throw new Error(`not an install line of ${packageName}: ${installLine.join(' ')}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-consumer-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'guardrails-consumer', version: '1.0.0', private: true }, null, 2));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node', lib: ['ES2022'], types: [], strict: true,
      skipLibCheck: false, outDir: 'dist', rootDir: '.',
    },
    include: ['*.ts'],
  }, null, 2));
  run('npm', ['install', ...specs.map((s) => (s === packageName ? tarball : s)), TYPESCRIPT, ...NPM_FLAGS], dir);
  return {
    dir,
    compile(files) {
      for (const [name, code] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), code);
      const result = spawnSync(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
      return result.status === 0 ? [] : result.stdout.split('\n').filter((l) => l.trim());
    },
    runCompiled(name) {
      const env = { ...process.env };
      delete env.CDKTF_OUTDIR;
      const cwd = path.join(dir, 'runs', name);
      fs.mkdirSync(cwd, { recursive: true });
      return { result: run(process.execPath, [path.join(dir, 'dist', `${name}.js`)], cwd, env), cwd };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes a README fragment (a block without imports, such as `acknowledgeWarning(enforcement, ...)`)
 * a module that compiles on its own: it imports what it uses from the package, and the names it
 * only passes as arguments (`enforcement`, values an earlier example would hold) are declared as
 * `any`. Any other name it cannot resolve is left for the compiler to report.
 *
 * @param typescript the consumer's own compiler module
 * @param packageName the package the fragment's names come from
 * @param packageExports the names the package exports
 */
export function completeFragment(typescript: typeof TypeScript, code: string, packageName: string, packageExports: ReadonlySet<string>): string {
  if (/^\s*import\s/m.test(code)) return code;
  const source = typescript.createSourceFile('fragment.ts', code, typescript.ScriptTarget.ES2022, true);
  const used = new Set<string>();
  const declared = new Set<string>();
  const argumentOnly = new Map<string, boolean>();
  const visit = (node: TypeScript.Node) => {
    if (typescript.isVariableDeclaration(node) && typescript.isIdentifier(node.name)) declared.add(node.name.text);
    if (typescript.isIdentifier(node) && !(typescript.isPropertyAccessExpression(node.parent) && node.parent.name === node)
      && !(typescript.isPropertyAssignment(node.parent) && node.parent.name === node)) {
      used.add(node.text);
      const asArgument = typescript.isCallExpression(node.parent) && node.parent.arguments.includes(node as TypeScript.Expression);
      argumentOnly.set(node.text, (argumentOnly.get(node.text) ?? true) && asArgument);
    }
    typescript.forEachChild(node, visit);
  };
  visit(source);
  const imports = [...used].filter((n) => packageExports.has(n) && !declared.has(n)).sort();
  const context = [...used].filter((n) => !packageExports.has(n) && !declared.has(n) && argumentOnly.get(n)).sort();
  return [
    imports.length ? `import { ${imports.join(', ')} } from '${packageName}';` : '',
    ...context.map((n) => `declare const ${n}: any;`),
    code,
    // A module, so the fragments' declarations do not meet in the global scope.
    'export {};',
  ].join('\n');
}

/** The names a package exports, read by the consumer's compiler from the installed declarations. */
export function packageExports(typescript: typeof TypeScript, consumerDir: string, packageName: string): Set<string> {
  const probe = path.join(consumerDir, '__exports.ts');
  fs.writeFileSync(probe, `import * as lib from '${packageName}';\nexport { lib };\n`);
  try {
    const program = typescript.createProgram([probe], { module: typescript.ModuleKind.CommonJS, moduleResolution: typescript.ModuleResolutionKind.Node10, types: [] });
    const checker = program.getTypeChecker();
    const file = program.getSourceFile(probe)!;
    const decl = file.statements.find(typescript.isImportDeclaration)!;
    const symbol = checker.getSymbolAtLocation(decl.moduleSpecifier);
    if (!symbol) throw new Error(`${packageName} cannot be resolved from ${consumerDir}`);
    return new Set(checker.getExportsOfModule(symbol).map((s) => s.name));
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/**
 * One entry of a zip file (stored or deflated), read through the zip's central directory: what
 * Lambda would unpack from the shim archive.
 */
export function readZipEntry(file: string, name: string): Buffer {
  const zip = fs.readFileSync(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`${file}: ${name} uses compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${file} has no entry ${name}`);
}
