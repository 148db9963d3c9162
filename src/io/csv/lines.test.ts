import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Declined } from './decline.js';
import { forEachRow } from './lines.js';

async function* chunksOf(text: string, cuts: number[]): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  let p = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < b.length)].sort((x, y) => x - y)) {
    yield b.subarray(p, c);
    p = c;
  }
  yield b.subarray(p);
}

/** The same chunks, each copied into one buffer that the next chunk overwrites (as fileChunks does). */
async function* reused(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const buf = Buffer.alloc(1024);
  for await (const c of chunks) {
    buf.fill(0x7e);
    c.copy(buf);
    yield buf.subarray(0, c.length);
  }
}

async function rows(text: string, cuts: number[] = [], reuse = false): Promise<[number, string][]> {
  const out: [number, string][] = [];
  const chunks = reuse ? reused(chunksOf(text, cuts)) : chunksOf(text, cuts);
  await forEachRow(chunks, (b, s, e, line) => {
    out.push([line, b.toString('utf8', s, e)]);
  });
  return out;
}

/** The reference: split on \n, drop a trailing \r, skip the header and empty lines. */
function naive(text: string): [number, string][] {
  const ls = text.split('\n');
  if (ls.at(-1) === '') ls.pop();
  return ls.map((l, i): [number, string] => [i + 1, l.endsWith('\r') ? l.slice(0, -1) : l]).filter(([n, l]) => n > 1 && l !== '');
}

describe('forEachRow', () => {
  it('skips the header, keeps physical line numbers across blank lines, strips CRLF, reads a last line without newline', async () => {
    expect(await rows('h\r\na,1\r\n\r\n\nb,2\nc,3')).toEqual([
      [2, 'a,1'],
      [5, 'b,2'],
      [6, 'c,3'],
    ]);
  });

  it('property: any chunking (fresh or reused chunk buffers) gives the same lines as a naive split', async () => {
    const line = fc.stringMatching(/^[a-z0-9,.-]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }),
        fc.boolean(),
        async (ls, crlf, finalNewline, cuts, reuse) => {
          const text = ['head,er', ...ls].join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : '');
          expect(await rows(text, cuts, reuse)).toEqual(naive(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a quote after the header declines with its line; quotes in the header are fine', async () => {
    expect(await rows('"date","A"\n2024-01-01,1\n')).toEqual([[2, '2024-01-01,1']]);
    const e = await rows('date,A\n2024-01-01,1\n2024-01-02,"1"\n', [9]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Declined);
    expect((e as Declined).line).toBe(3);
  });
});
