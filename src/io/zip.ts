/**
 * A minimal ZIP reader: the members of a (non-ZIP64) archive, via its central directory.
 *
 * Layout (PKWARE APPNOTE): the End Of Central Directory record (signature 0x06054b50, found by
 * scanning back from the end over at most 65,535 bytes of comment) gives the directory's offset
 * and entry count; each directory entry (0x02014b50) gives the method, sizes, name and the offset
 * of the member's local header (0x04034b50), after which (30 + name + extra bytes) the data
 * starts. Methods 0 (stored) and 8 (deflate, inflated with `zlib.inflateRawSync`) are supported.
 */
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../core/errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** True when the bytes start with a ZIP local-file signature (`PK\x03\x04`) or are an empty archive. */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  );
}

/** The entries of the central directory. */
export function zipEntries(buf: Buffer, file = 'zip'): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new InputError('not a ZIP archive (no end of central directory)', { file });
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new InputError('corrupt ZIP central directory', { file });
    const nameLen = buf.readUInt16LE(p + 28),
      extraLen = buf.readUInt16LE(p + 30),
      commentLen = buf.readUInt16LE(p + 32);
    out.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The uncompressed bytes of one entry. */
export function zipEntryData(buf: Buffer, e: ZipEntry, file = 'zip'): Buffer {
  const h = e.localOffset;
  if (buf.readUInt32LE(h) !== 0x04034b50) throw new InputError(`corrupt ZIP member ${e.name}`, { file });
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(data);
  if (e.method === 8) return inflateRawSync(data);
  throw new InputError(`ZIP member ${e.name} uses compression method ${e.method}; only stored and deflate are supported`, {
    file,
    hint: 'unzip it and pass the CSV file instead',
  });
}

/** Text of the first member whose name ends in `.csv` (any case), with its name. */
export function firstCsvInZip(buf: Buffer, file = 'zip'): { name: string; text: string } {
  const e = zipEntries(buf, file).find((x) => /\.csv$/i.test(x.name) && !x.name.endsWith('/'));
  if (e === undefined) throw new InputError('the ZIP archive holds no .csv file', { file });
  return { name: e.name, text: zipEntryData(buf, e, file).toString('utf8') };
}
