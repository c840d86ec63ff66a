/**
 * The `verify` command as one file: `cli.ts` and the AWS SDK clients it uses bundled with esbuild
 * into `<dir of this file>/cli-bundle/index.js` (`lib/src/verify/cli-bundle/index.js` in the
 * published package), which the package's `bin` launcher loads. The SDK clients are then not
 * runtime dependencies of the package, and starting the command reads one file.
 *
 * Write it after `tsc` with `node lib/src/verify/bundle.js` (the `build` script does). The
 * TypeScript sources are bundled when they exist (a source checkout), else the compiled `cli.js`.
 *
 * verify reads synthesized files and AWS, never constructs: it imports the identifier patterns of
 * src/model/identifiers.ts, the constants of src/model/shim-contract.ts and the shim handler's AWS
 * helpers, none of which imports cdktf, so the bundle holds no CDK for Terraform code and serves
 * both flavors of the package.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_OPTIONS } from '../shim/bundle';

/** Name of the directory, next to the compiled `bundle.js`, that holds the bundle. */
export const CLI_BUNDLE_DIR = 'cli-bundle';

/**
 * The esbuild options of the bundle: the shim handler's, for the Node versions the package
 * supports (20 and later, its engines field) instead of the Lambda runtime's. Nothing is left
 * external: every package the CLI imports is inside.
 */
export const CLI_BUILD_OPTIONS = { ...BUILD_OPTIONS, target: 'node20' } as const;

/** A written bundle. */
export interface CliBundle {
  /** Path of `index.js`. */
  readonly file: string;
  /** Hex SHA-256 of it. */
  readonly sha256: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The files esbuild put in it (its metafile's inputs), relative to the entry's directory. */
  readonly inputs: string[];
}

/** The CLI's entry: TypeScript next to this file or in the checkout this compiled file came from, else the compiled one. */
function cliEntry(): string {
  const candidates = [
    path.join(__dirname, 'cli.ts'),
    path.resolve(__dirname, '..', '..', '..', 'src', 'verify', 'cli.ts'),
    path.join(__dirname, 'cli.js'),
  ];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`cdktf-bedrock-guardrails: no verify CLI source found (looked for ${candidates.join(', ')}).`);
  return found;
}

/**
 * Bundles the CLI into `outDir/index.js` (default: `cli-bundle` next to this file), replacing
 * what was there in one rename so a concurrent reader never sees half a file.
 */
export function writeCliBundle(outDir: string = path.join(__dirname, CLI_BUNDLE_DIR)): CliBundle {
  let esbuild: typeof import('esbuild');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild = require('esbuild');
  } catch {
    throw new Error('cdktf-bedrock-guardrails: bundling the verify CLI needs esbuild (a devDependency of this package).');
  }
  const entry = cliEntry();
  const result = esbuild.buildSync({
    ...CLI_BUILD_OPTIONS,
    mainFields: [...CLI_BUILD_OPTIONS.mainFields],
    entryPoints: [entry],
    absWorkingDir: path.dirname(entry),
    write: false,
    metafile: true,
  });
  const content = Buffer.from(result.outputFiles[0].contents);
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'index.js');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
  return { file, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length, inputs: Object.keys(result.metafile.inputs).sort() };
}

if (require.main === module) {
  console.log(JSON.stringify(writeCliBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined)));
}
