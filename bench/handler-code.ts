/**
 * The shim handler packaged for the plain program, made before its clock starts: the library's
 * handler bundle, zipped with cdktf's own archiver, and the asset hash cdktf gives its directory
 * (so the Lambda function's `filename` is the same path the library's host emits).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HandlerCode } from './raw';
import { handlerBundle } from '../src/shim/bundle';

// cdktf's asset helpers: the ones an ARCHIVE asset uses (not part of its public API).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfFs = require('cdktf/lib/private/fs') as { archiveSync(src: string, dest: string): void; hashPath(src: string): string };

/** Zips the handler bundle into a fresh temporary directory. */
export function prepareHandlerCode(): HandlerCode {
  const bundle = handlerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-handler-'));
  const zip = path.join(dir, 'archive.zip');
  cdktfFs.archiveSync(bundle.dir, zip);
  return { zip, assetHash: cdktfFs.hashPath(bundle.dir), sha256: bundle.sha256 };
}
