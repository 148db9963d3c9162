/**
 * The tear sheet's extra numbers on real data against a pandas implementation of alphalens'
 * conventions (test/real/python/tearsheet_reference.py): mean return by quantile within each
 * GICS sector, group-demeaned quantile means, and the event view (common_start_returns with
 * cumulative returns from day zero, by quantile, raw and demeaned), to 1e-9.
 *
 * S&P 500 prices 2005-2017 (bad ticks cleaned), 12-1 momentum on month-end rows, horizon 21 price
 * rows, quintiles, 5 rows before and 21 after the formation date.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIsoDate, monthIndex } from '../../src/core/dates.js';
import { Panel } from '../../src/core/panel.js';
import { checkQuality, cleanBadTicks } from '../../src/core/quality.js';
import { readPanel } from '../../src/io/readPanel.js';
import { eventReturns } from '../../src/signals/eventReturns.js';
import { prepareFactorData } from '../../src/signals/factorData.js';
import { momentum } from '../../src/signals/momentum.js';
import { quantileByGroup } from '../../src/signals/quantileByGroup.js';
import { quantileLabels } from '../../src/signals/quantiles.js';
import { dataFile } from './data.js';

const SCRIPT = join(__dirname, 'python', 'tearsheet_reference.py');
const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'factorlab-tearsheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface EventRef {
  mean: (number | null)[][];
  std: (number | null)[][];
  n: number[][];
}
interface Ref {
  byGroup: Record<string, (number | null)[]>;
  byGroupDates: Record<string, number[]>;
  groupDemeaned: number[];
  event: EventRef;
  eventDemeaned: EventRef;
}

function close(a: number, b: number | null, what: string, tol = 1e-9): void {
  if (b === null) {
    expect(a, what).toBeNaN();
    return;
  }
  if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) expect.fail(`${what}: ${a} vs reference ${b}`);
}

describe('S&P 500 12-1 momentum with GICS sectors: tear sheet extras vs pandas (alphalens conventions)', () => {
  it('quantile x group means, group-demeaned means and the event view', async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3-pandas`);
    const raw = (
      await readPanel(dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz'), { assetCol: 'ticker', valueCol: 'close', kind: 'prices' })
    ).panel;
    const prices = cleanBadTicks(raw, checkQuality(raw, { maxFindingsPerKind: 1000 }));
    const mom = momentum(prices);
    const rows: number[] = [];
    for (let t = 0; t + 1 < prices.nDates; t++) if (monthIndex(prices.dates[t + 1]) !== monthIndex(prices.dates[t])) rows.push(t);
    const m = prices.nAssets;
    const fv = new Float64Array(rows.length * m);
    rows.forEach((t, i) => fv.set(mom.values.subarray(t * m, (t + 1) * m), i * m));
    const factor = new Panel(
      Int32Array.from(rows, (t) => prices.dates[t]),
      prices.assets,
      fv,
    );
    const sectors: Record<string, string> = {};
    for (const line of readFileSync(dataFile('us/nyse_securities_gics_2017.csv'), 'utf8').split('\n').slice(1)) {
      if (line.trim() === '') continue;
      const f = line.slice(1, -1).split('","');
      sectors[f[0]] = f[3];
    }
    const fd = prepareFactorData({ factor, prices, horizons: [21], groups: sectors });
    const labels = quantileLabels(fd.factor, { binning: 5 });
    const fwd = fd.forward.get(21) as Panel;
    const groups = fd.groups!;
    const ma = fd.assets.length;
    const lines = ['date,asset,label,group,entry,fwd'];
    for (let t = 0; t < fd.dates.length; t++) {
      for (let j = 0; j < ma; j++) {
        const q = labels.labels[t * ma + j];
        if (q < 1) continue;
        lines.push(
          `${formatIsoDate(fd.dates[t])},${fd.assets[j]},${q},"${groups.names[groups.codes[t * ma + j]]}",${formatIsoDate(fd.priceDates[fd.entryRows[t]])},${fwd.at(t, j)}`,
        );
      }
    }
    expect(lines.length).toBeGreaterThan(50_000);
    writeFileSync(join(dir, 'long.csv'), `${lines.join('\n')}\n`);
    const iso = prices.isoDates();
    const pl = [`date,${prices.assets.join(',')}`];
    for (let t = 0; t < prices.nDates; t++) pl.push(`${iso[t]},${Array.from(prices.row(t), (v) => (v === v ? String(v) : '')).join(',')}`);
    writeFileSync(join(dir, 'prices.csv'), `${pl.join('\n')}\n`);

    const res = spawnSync(PYTHON, [SCRIPT, join(dir, 'long.csv'), join(dir, 'prices.csv'), '5', '21'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (res.status !== 0) throw new Error(`${SCRIPT} failed:\n${res.stderr}`);
    const ref = JSON.parse(res.stdout) as Ref;

    const qg = quantileByGroup(labels, fwd, groups);
    expect(Object.keys(ref.byGroup).sort()).toEqual([...qg.groups].sort());
    qg.groups.forEach((g, gi) => {
      for (let q = 0; q < 5; q++) {
        close(qg.meanOverDates[gi][q], ref.byGroup[g][q], `${g} Q${q + 1}`);
        expect(qg.dates[gi][q], `${g} Q${q + 1} dates`).toBe(ref.byGroupDates[g][q]);
      }
    });
    for (let q = 0; q < 5; q++) close(qg.groupDemeaned.meanOverDates[q], ref.groupDemeaned[q], `group-demeaned Q${q + 1}`);

    for (const demeaned of [false, true]) {
      const ev = eventReturns({ prices, entryRows: fd.entryRows, labels }, { before: 5, after: 21, demeaned });
      const r = demeaned ? ref.eventDemeaned : ref.event;
      for (let q = 0; q < 5; q++) {
        for (let k = 0; k < ev.offsets.length; k++) {
          const what = `event${demeaned ? ' demeaned' : ''} Q${q + 1} offset ${ev.offsets[k]}`;
          close(ev.mean[q][k], r.mean[q][k], `${what} mean`);
          close(ev.std[q][k], r.std[q][k], `${what} std`);
          expect(ev.n[q][k], `${what} dates`).toBe(r.n[q][k]);
        }
      }
    }
  });
});
