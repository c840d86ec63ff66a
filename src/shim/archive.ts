/**
 * The shim handler as a Lambda deployment package: a deterministic zip written once per process
 * (and reused across processes), instead of cdktf archiving the bundle directory again, in a child
 * process, for every stack.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { HandlerBundle } from './bundle';

/** The handler zip written for a bundle, and the asset hash cdktf gives the bundle's directory. */
export interface HandlerArchive {
  readonly file: string;
  readonly assetHash: string;
}

const archives = new Map<string, HandlerArchive>();

/**
 * The bundle directory as a zip (what an ARCHIVE asset of the directory holds), named
 * `archive.zip` so the asset's path in the Terraform JSON is the one an ARCHIVE asset would have.
 * Entries carry a fixed timestamp, so the zip depends on the code only; it is written once under
 * the OS temp directory, in a directory named after the code's hashes, and reused by later
 * processes (it is renamed into place whole, so one that exists is complete).
 */
export function handlerArchive(bundle: HandlerBundle): HandlerArchive {
  const key = `${bundle.dir}\0${bundle.sha256}`;
  const cached = archives.get(key);
  if (cached && fs.existsSync(cached.file)) return cached;
  const assetHash = directoryAssetHash(bundle.dir);
  const dir = path.join(os.tmpdir(), 'cdktf-bedrock-guardrails', `shim-archive-v1-${bundle.sha256.slice(0, 16)}-${assetHash.slice(0, 16)}`);
  const file = path.join(dir, 'archive.zip');
  if (!isFile(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, zipOf(filesUnder(bundle.dir).map((rel) => ({ name: rel, data: fs.readFileSync(path.join(bundle.dir, rel)) }))));
    try {
      fs.renameSync(tmp, file);
    } catch (e) {
      // Another process put the same zip there first (and may be reading it).
      fs.rmSync(tmp, { force: true });
      if (!isFile(file)) throw e;
    }
  }
  const archive = { file, assetHash };
  archives.set(key, archive);
  return archive;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Regular files under `dir`, as `/`-separated relative paths, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/** The hash cdktf gives a directory asset: MD5 over its files' contents in directory order, 32 hex digits upper case. */
function directoryAssetHash(dir: string): string {
  const hash = createHash('md5');
  const visit = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isFile()) hash.update(fs.readFileSync(p));
    else if (stat.isDirectory()) fs.readdirSync(p).forEach((name) => visit(path.resolve(p, name)));
  };
  visit(dir);
  return hash.digest('hex').slice(0, 32).toUpperCase();
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 (IEEE 802.3) of `data`, as a zip entry records it. */
export function crc32(data: Buffer): number {
  const native = (zlib as { crc32?: (data: Buffer) => number }).crc32;
  if (native) return native(data) >>> 0;
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip of `entries` (deflated, 1980-01-01 timestamps, mode 0644), as Lambda reads it. */
export function zipOf(entries: { name: string; data: Buffer }[]): Buffer {
  const DOS_DATE = (0 << 9) | (1 << 5) | 1;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(((0o100644 << 16) >>> 0), 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
