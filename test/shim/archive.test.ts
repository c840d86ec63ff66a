import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { crc32, handlerArchive, zipOf } from '../../src/shim/archive';
import { handlerBundle } from '../../src/shim/bundle';

describe('the handler archive', () => {
  test('is a zip that unzip reads back byte for byte, with index.js at its root', () => {
    const bundle = handlerBundle();
    const archive = handlerArchive(bundle);
    const listing = execFileSync('unzip', ['-Z1', archive.file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['index.js']);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-archive-'));
    try {
      execFileSync('unzip', ['-q', archive.file, '-d', out]);
      expect(fs.readFileSync(path.join(out, 'index.js')).equals(fs.readFileSync(path.join(bundle.dir, 'index.js')))).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('is deterministic: same code, same bytes, same path across calls', () => {
    const bundle = handlerBundle();
    const a = handlerArchive(bundle);
    expect(handlerArchive(bundle)).toEqual(a);
    const entries = [{ name: 'index.js', data: Buffer.from('exports.handler = async () => 1;\n') }];
    expect(zipOf(entries).equals(zipOf(entries))).toBe(true);
  });

  test('entries carry the CRC-32 of their data and inflate to it', () => {
    const data = Buffer.from('a'.repeat(1000) + 'b');
    const zip = zipOf([{ name: 'x.txt', data }]);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt32LE(14)).toBe(crc32(data));
    const compressedSize = zip.readUInt32LE(18);
    const nameLength = zip.readUInt16LE(26);
    expect(zlib.inflateRawSync(zip.subarray(30 + nameLength, 30 + nameLength + compressedSize)).equals(data)).toBe(true);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
