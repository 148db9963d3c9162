/**
 * Data files of bench/wholepath.mjs (not a bench itself: run.mjs skips files starting with `_`).
 *
 * A seeded synthetic market per size (src/synthetic/market.ts: late listings, delistings, 1% of
 * prices missing at random, six factors, a planted signal), written once into
 * bench/out/data/<m>x<n>/ and reused while the files are there (a `done` marker is written last):
 *   prices_wide.csv[.gz]   date,A0001,A0002,...      NaN written as an empty field
 *   prices_long.csv[.gz]   date,asset,value          present prices only (what a long file holds)
 *   factors.csv            date,mkt_rf,smb,hml,rmw,cma,mom,rf   daily decimals (rf = risk-free)
 *   signal_long.csv        date,asset,value          the planted signal, present cells only
 * Numbers are written with JavaScript's shortest round-trip form (String(v)), so every reader that
 * parses correctly rounded gets the generator's doubles back.
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { formatIsoDate } from '../dist/core/dates.js';
import { syntheticMarket } from '../dist/synthetic/index.js';

/** Writes lines produced by `gen(push)` to `file` (gzipped when it ends in .gz), in ~1 MB chunks. */
async function writeLines(file, gen) {
  const out = createWriteStream(file);
  const sink = file.endsWith('.gz') ? createGzip({ level: 6 }) : out;
  if (sink !== out) sink.pipe(out);
  let buf = [];
  let size = 0;
  const flush = async () => {
    if (buf.length === 0) return;
    if (!sink.write(buf.join(''))) await once(sink, 'drain');
    buf = [];
    size = 0;
  };
  const push = async (line) => {
    buf.push(line, '\n');
    size += line.length;
    if (size > 1 << 20) await flush();
  };
  await gen(push);
  await flush();
  sink.end();
  await once(out, 'close');
}

const num = (v) => (v === v ? String(v) : '');

/** The directory of size m x n, generating its files first when they are not there. */
export async function ensureMarketFiles(root, m, n, log = () => {}) {
  const dir = join(root, `${m}x${n}`);
  if (existsSync(join(dir, 'done'))) return dir;
  mkdirSync(dir, { recursive: true });
  log(`wholepath: generating ${m} x ${n} into ${dir}`);
  const mk = syntheticMarket({ seed: 20261202 + m, nAssets: m, nDates: n });
  const iso = Array.from(mk.dates, (d) => formatIsoDate(d));
  const { assets } = mk;
  const pv = mk.prices.values,
    sv = mk.signal.values;
  for (const gz of ['', '.gz']) {
    await writeLines(join(dir, `prices_wide.csv${gz}`), async (push) => {
      await push(['date', ...assets].join(','));
      for (let t = 0; t < n; t++) {
        const row = new Array(m + 1);
        row[0] = iso[t];
        for (let j = 0; j < m; j++) row[j + 1] = num(pv[t * m + j]);
        await push(row.join(','));
      }
    });
    await writeLines(join(dir, `prices_long.csv${gz}`), async (push) => {
      await push('date,asset,value');
      for (let t = 0; t < n; t++)
        for (let j = 0; j < m; j++) {
          const v = pv[t * m + j];
          if (v === v) await push(`${iso[t]},${assets[j]},${v}`);
        }
    });
  }
  const fcols = mk.factorReturns.columns;
  await writeLines(join(dir, 'factors.csv'), async (push) => {
    await push(['date', ...fcols, 'rf'].join(','));
    for (let t = 0; t < n; t++) await push([iso[t], ...fcols.map((_, c) => num(mk.factorReturns.series[c][t])), num(mk.rf[t])].join(','));
  });
  await writeLines(join(dir, 'signal_long.csv'), async (push) => {
    await push('date,asset,value');
    for (let t = 0; t < n; t++)
      for (let j = 0; j < m; j++) {
        const v = sv[t * m + j];
        if (v === v) await push(`${iso[t]},${assets[j]},${v}`);
      }
  });
  writeFileSync(join(dir, 'done'), `${new Date().toISOString()}\n`);
  return dir;
}
