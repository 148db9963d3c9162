import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { panelData, panelOf, sharedInputsData, sharedInputsOf } from './threads.js';
import type { SharedInputs } from './factorRun.js';

const panel = (values: number[], nDates: number, shared = false): Panel => {
  const assets = Array.from({ length: values.length / nDates }, (_, j) => `A${j}`);
  const v = shared ? new Float64Array(new SharedArrayBuffer(values.length * 8)) : new Float64Array(values.length);
  v.set(values);
  return new Panel(
    Int32Array.from({ length: nDates }, (_, t) => 19000 + t),
    assets,
    v,
  );
};

describe('panelData', () => {
  it('puts the arrays on shared memory, copying only when they are not there yet', () => {
    const p = panel([1, 2, 3, 4, 5, 6], 3);
    const d = panelData(p);
    expect(d.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(d.dates.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(d.values)).toEqual([1, 2, 3, 4, 5, 6]);
    const s = panel([1, 2, 3, 4], 2, true);
    expect(panelData(s).values).toBe(s.values); // no copy
  });

  it('property: a panel survives the trip through a message (structured clone) value for value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constant(NaN)), { minLength: 30, maxLength: 30 }),
        (n, m, xs) => {
          const p = panel(xs.slice(0, n * m), n);
          const back = panelOf(structuredClone(panelData(p)));
          expect(back).toBeInstanceOf(Panel);
          expect(back.nDates).toBe(n);
          expect(back.assets).toEqual(p.assets);
          expect(Array.from(back.values)).toEqual(Array.from(p.values));
        },
      ),
    );
  });
});

describe('sharedInputsData', () => {
  it('the shared inputs a thread rebuilds hold the same panels, on the same shared memory', () => {
    const prices = panel([10, 20, 11, 19, 12, 21, 13, 22], 4);
    const loaded = {
      panel: prices,
      file: 'p.csv',
      layout: 'wide' as const,
      rows: 4,
      columns: ['date', 'A0', 'A1'],
      dateCol: 'date',
      format: 'csv' as const,
    };
    const inputs = {
      prices: { loaded, panel: prices, quality: { findings: [], counts: {}, truncated: false }, cleaned: 0, notes: ['a note'] },
      forwardReturns: forwardReturns(prices, [1, 2]),
    } as unknown as SharedInputs;
    const data = structuredClone(sharedInputsData(inputs));
    const back = sharedInputsOf(data);
    expect(Array.from(back.prices.panel.values)).toEqual(Array.from(prices.values));
    expect(back.prices.loaded.layout).toBe('wide');
    expect(back.prices.loaded.panel).toBe(back.prices.panel);
    expect(back.prices.notes).toEqual(['a note']);
    expect([...(back.forwardReturns ?? new Map()).keys()]).toEqual([1, 2]);
    expect(Array.from(back.forwardReturns?.get(2)?.values ?? [])).toEqual(Array.from(inputs.forwardReturns?.get(2)?.values ?? []));
    expect(back.forwardReturns?.get(1)?.values.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
