/**
 * The bytes of a CSV or gzip-compressed CSV file as a stream of Buffers, and a check that a gzip
 * stream is complete.
 *
 * Plain files are read in {@link CHUNK} byte pieces into two reused buffers (the next piece is read
 * while the consumer parses this one). Gzip files are inflated by `node:zlib` on
 * the libuv thread pool, so inflating overlaps with parsing on the main thread. A gzip stream
 * that ends early (`head -c N file.csv.gz`), fails its CRC or has a damaged header is an
 * InputError; without this check a cut-off file reads as fewer rows and a cut-off last value.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../core/errors.js';

export const CHUNK = 1 << 20;

/** Bytes `[start, end)` of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The InputError for a gzip stream that zlib rejects. */
export function gzipError(file: string, e: unknown): InputError {
  const code = (e as { code?: string }).code;
  const what = code === 'Z_BUF_ERROR' ? 'the compressed stream ends early' : e instanceof Error ? e.message : String(e);
  return new InputError(`the gzip file is truncated or corrupt: ${what}`, {
    file,
    hint: 're-download or re-compress it (a .gz file must be a complete gzip stream)',
    cause: e,
  });
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * The file's bytes (inflated for gzip) in chunks; a bad gzip stream throws {@link gzipError}.
 * A plain file is read into two reused buffers: each chunk is valid only until the consumer asks
 * for the next (the line splitter copies the partial line it keeps), so reading makes no garbage.
 */
export async function* fileChunks(file: string, gzip: boolean, range?: ByteRange): AsyncGenerator<Buffer> {
  if (!gzip) {
    const fh = await open(file, 'r');
    // Two buffers: the next chunk is read (on the thread pool) while the consumer parses this one.
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let pending: Promise<{ bytesRead: number }> | undefined;
    // A range is read from its start to its end; the whole file from the start to EOF.
    let at = range?.start ?? 0;
    const end = range?.end ?? Infinity;
    // Each read starts when the one before has ended (below), so `at` is where it left off.
    const readAt = async (buf: Buffer): Promise<{ bytesRead: number }> => {
      const want = Math.min(CHUNK, end - at);
      if (want <= 0) return { bytesRead: 0 };
      const r = await fh.read(buf, 0, want, at);
      at += r.bytesRead;
      return r;
    };
    try {
      let k = 0;
      pending = readAt(bufs[0]);
      for (;;) {
        const { bytesRead } = await pending;
        pending = undefined;
        if (bytesRead === 0) return;
        const buf = bufs[k];
        k ^= 1;
        pending = readAt(bufs[k]);
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      // A read still in flight (the consumer stopped early) must end before the file is closed.
      if (pending !== undefined) await pending.catch(() => undefined);
      await fh.close();
    }
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  const stream = raw.pipe(createGunzip({ chunkSize: 256 * 1024 }));
  raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    if (isZlibError(e)) throw gzipError(file, e);
    throw e;
  } finally {
    raw.destroy();
    stream.destroy();
  }
}

/** Inflates the whole gzip file and discards the output: throws {@link gzipError} unless it ends cleanly. */
export async function verifyGzip(file: string): Promise<void> {
  for await (const chunk of fileChunks(file, true)) void chunk;
}

/**
 * Size of the text: the file size, or for gzip the ISIZE trailer (uncompressed size mod 2^32 of
 * the last member; a hint only, for sizing buffers).
 */
export async function textSize(file: string, gzip: boolean): Promise<number> {
  const size = (await stat(file)).size;
  if (!gzip || size < 18) return size;
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return Math.max(b.readUInt32LE(0), size);
  } finally {
    await fh.close();
  }
}
