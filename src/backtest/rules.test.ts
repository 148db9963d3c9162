import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import {
  denseWeights,
  industryNeutral,
  inverseVolatility,
  isKeepAndBuy,
  quantileLongShort,
  signalProportional,
  topkDropout,
  topN,
  topQuantile,
  type RuleContext,
} from './rules.js';
import { qcutLabels, rankedCandidates } from './select.js';

const names = (k: number) => Array.from({ length: k }, (_, j) => `S${j}`);
function ctx(signal: number[], opts: { tradable?: number[]; current?: number[]; history?: Panel } = {}): RuleContext {
  const m = signal.length;
  return {
    row: opts.history === undefined ? 0 : opts.history.nDates - 1,
    date: 0,
    assets: names(m),
    signal: Float64Array.from(signal),
    tradable: Uint8Array.from(opts.tradable ?? signal.map(() => 1)),
    current: Float64Array.from(opts.current ?? signal.map(() => 0)),
    history: () => opts.history ?? new Panel(new Int32Array(0), names(m)),
  };
}
const weights = (t: ReturnType<ReturnType<typeof topN>>, m = 8) => {
  if (isKeepAndBuy(t)) throw new Error('weights expected');
  return Array.from(denseWeights(t, m));
};

describe('selection', () => {
  it('ranks by signal descending, ties in asset order, skipping untradable and missing', () => {
    expect(rankedCandidates([1, 3, NaN, 3, 2], [1, 1, 1, 1, 0])).toEqual([1, 3, 0]);
  });
  it('qcut labels equal pandas.qcut(x, q, labels=False) + 1', () => {
    // pd.qcut([1, 5, 2, 8, 3, 9, 4, 7], 4, labels=False) + 1 -> [1, 3, 1, 4, 2, 4, 2, 3]
    const x = [1, 5, 2, 8, 3, 9, 4, 7];
    expect(
      Array.from(
        qcutLabels(
          x,
          x.map((_, i) => i),
          4,
        ),
      ),
    ).toEqual([1, 3, 1, 4, 2, 4, 2, 3]);
    // pd.qcut(range(8), 7) leaves bin 5 empty (numpy's edge rounding): labels 1 2 3 4 6 6 7 7? -> [1,1,2,3,4,6,6,7]
    expect(Array.from(qcutLabels([0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7], 7))).toEqual([1, 1, 2, 3, 4, 6, 6, 7]);
    // ties: [1,1,1,1,2] in 5 -> [1,1,1,1,5]; one distinct value -> no labels
    expect(Array.from(qcutLabels([1, 1, 1, 1, 2], [0, 1, 2, 3, 4], 5))).toEqual([1, 1, 1, 1, 5]);
    expect(Array.from(qcutLabels([2, 2], [0, 1], 2))).toEqual([0, 0]);
  });
});

/**
 * qlib TopkDropoutStrategy.generate_trade_decision (method_sell 'bottom', method_buy 'top'):
 * last = holdings by score desc; today = the n_drop + topk - len(last) best non-held; comb =
 * last + today by score desc; sell = holdings among comb's last n_drop; buy = today's first
 * len(sell) + topk - len(last).
 */
function qlibSelection(s: number[], current: number[], topk: number, nDrop: number): { sell: number[]; buy: number[] } {
  const byScore = (a: number, b: number) => s[b] - s[a];
  const last = s
    .map((_, j) => j)
    .filter((j) => current[j] !== 0)
    .sort(byScore);
  const today = s
    .map((_, j) => j)
    .filter((j) => current[j] === 0)
    .sort(byScore)
    .slice(0, Math.max(0, nDrop + topk - last.length));
  const comb = [...last, ...today].sort(byScore);
  const bottom = new Set(nDrop === 0 ? [] : comb.slice(-nDrop));
  const sell = last.filter((j) => bottom.has(j));
  return { sell, buy: today.slice(0, Math.max(0, sell.length + topk - last.length)) };
}

describe('rules', () => {
  it('top N equal weight (fully invested in fewer when fewer have a signal)', () => {
    expect(weights(topN(2)(ctx([0.1, 0.5, 0.3, NaN])), 4)).toEqual([0, 0.5, 0.5, 0]);
    expect(weights(topN(3)(ctx([0.1, NaN, NaN, 0.2])), 4)).toEqual([0.5, 0, 0, 0.5]);
    expect(weights(topN(2)(ctx([0.1, 0.5, 0.3, 0.9], { tradable: [1, 1, 1, 0] })), 4)).toEqual([0, 0.5, 0.5, 0]);
  });
  it('top quantile and long-short', () => {
    const s = [1, 5, 2, 8, 3, 9, 4, 7];
    expect(weights(topQuantile(4)(ctx(s)))).toEqual([0, 0, 0, 0.5, 0, 0.5, 0, 0]);
    expect(weights(topQuantile(4, 1)(ctx(s)))).toEqual([0.5, 0, 0.5, 0, 0, 0, 0, 0]);
    expect(weights(quantileLongShort(4)(ctx(s)))).toEqual([-0.5, 0, -0.5, 0.5, 0, 0.5, 0, 0]);
  });
  it('signal-proportional: s / sum |s|', () => {
    expect(weights(signalProportional()(ctx([1, 3, -4, NaN])))).toEqual([0.125, 0.375, -0.5, 0]);
  });
  it('inverse volatility over the lookback ending at the signal row', () => {
    // A: returns +10%, -10% (sd .1414...), B: +5%, -5% -> B gets twice A's weight
    const h = Panel.fromColumns(calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03']), [
      ['A', [100, 110, 99]],
      ['B', [100, 105, 99.75]],
      ['C', [100, NaN, 1]],
    ]);
    const c = { ...ctx([1, 1, 1], { history: h }), assets: ['A', 'B', 'C'] };
    const w = weights(inverseVolatility(2)(c));
    expect(w[0]).toBeCloseTo(1 / 3, 14);
    expect(w[1]).toBeCloseTo(2 / 3, 14);
    expect(w[2]).toBe(0);
    // top 1 by signal first, then inverse vol among the picks
    expect(weights(inverseVolatility(2, 1)({ ...c, signal: Float64Array.from([0, 1, 2]) }))).toEqual([0, 1, 0]);
  });
  it('industry-neutral quantiles: equal within industry, industries at benchmark weights', () => {
    // industries: 0 = S0..S3, 1 = S4..S5; top half in each
    const groups = Int32Array.from([0, 0, 0, 0, 1, 1]);
    const s = [1, 2, 3, 4, 10, 20];
    const w = weights(industryNeutral({ quantiles: 2, groups, industryWeights: Float64Array.from([0.25, 0.75]) })(ctx(s)));
    expect(w).toEqual([0, 0, 0.125, 0.125, 0, 0.75]);
    // default benchmark: the industry's share of names (4/6 and 2/6)
    const d = weights(industryNeutral({ quantiles: 2, groups })(ctx(s)));
    d.forEach((x, j) => expect(x).toBeCloseTo([0, 0, 1 / 3, 1 / 3, 0, 1 / 3][j], 15));
  });
  it('TopkDropout: hand case', () => {
    // held S0 (score 10), S1 (1), S2 (0.5); topk 3, n_drop 2; candidates S3 (2), S4 (0.1)
    const t = topkDropout(3, 2)(ctx([10, 1, 0.5, 2, 0.1], { current: [0.3, 0.3, 0.4, 0, 0] }));
    if (!isKeepAndBuy(t)) throw new Error('keep/buy expected');
    expect(Array.from(t.keep)).toEqual([1, 1, 0, 0, 0]);
    expect(Array.from(t.buy)).toEqual([0, 0, 0, 1, 0]);
  });
  it('TopkDropout invariants (fast-check): <= topk held, <= max(n_drop, excess) sold, no sale to buy a lower score', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        (s, topk, nDrop, bits) => {
          // a book may hold more than topk: a name dropped on a day without a price could not be sold
          const current = s.map((_, j) => (((bits >> j) & 1) === 1 ? 1 : 0));
          const heldCount = current.filter((x) => x !== 0).length;
          const excess = Math.max(0, heldCount - topk);
          const t = topkDropout(topk, nDrop)(ctx(s, { current }));
          if (!isKeepAndBuy(t)) throw new Error('keep/buy expected');
          const kept = [...t.keep.keys()].filter((j) => t.keep[j] === 1);
          // names bought that were not held (a trim without a new buy spreads its weight over the kept names)
          const bought = [...t.buy.keys()].filter((j) => t.buy[j] > 0 && current[j] === 0);
          const topUps = [...t.buy.keys()].filter((j) => t.buy[j] > 0 && current[j] !== 0);
          if (topUps.length > 0) {
            expect(excess).toBeGreaterThan(0);
            expect(bought).toEqual([]);
            expect(topUps.every((j) => t.keep[j] === 1)).toBe(true);
          }
          const sold = current.map((x, j) => (x !== 0 && t.keep[j] === 0 ? j : -1)).filter((j) => j >= 0);
          expect(kept.length + bought.length).toBeLessThanOrEqual(topk);
          expect(sold.length).toBeLessThanOrEqual(Math.max(nDrop, excess));
          if (sold.length > 0 && bought.length > 0)
            expect(Math.min(...bought.map((j) => s[j]))).toBeGreaterThanOrEqual(Math.max(...sold.map((j) => s[j])));
          // a book above topk comes back to topk, selling its worst names
          if (excess > 0) {
            expect(kept.length).toBe(topk - bought.length);
            const worstKept = Math.min(...kept.map((j) => s[j]));
            for (const j of sold) expect(s[j]).toBeLessThanOrEqual(worstKept);
          }
          // with enough names it fills up to topk (qlib's rule: with fewer than topk + n_drop names, a
          // sold name may have no replacement)
          if (s.length >= topk + nDrop) expect(kept.length + bought.length).toBe(topk);
          // qlib's selection, in its own terms, on distinct signals with enough names (and, for a
          // book above topk, n_drop covering the excess: qlib's own count of names to buy)
          if (new Set(s).size === s.length && s.length >= topk + nDrop && nDrop >= excess) {
            const q = qlibSelection(s, current, topk, nDrop);
            expect(sold.sort()).toEqual(q.sell.sort());
            expect(bought.sort()).toEqual(q.buy.sort());
          }
        },
      ),
    );
  });
  it('TopkDropout: a book of 6 with topk 5 (a dropped name could not be sold) sells its worst; the others share its weight', () => {
    // held S0..S5 (scores 6..1), candidates S6 (0.5), S7 (10): n_drop 1 trims S5, no swap left, so
    // the five kept names take what S5 frees (a buy of names already held), not cash
    const t = topkDropout(5, 1)(ctx([6, 5, 4, 3, 2, 1, 0.5, 10], { current: [1, 1, 1, 1, 1, 1, 0, 0].map((x) => x / 6) }));
    if (!isKeepAndBuy(t)) throw new Error('keep/buy expected');
    expect(Array.from(t.keep)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(t.buy)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    // n_drop 2: the trim, then one swap (S7 for S4)
    const u = topkDropout(5, 2)(ctx([6, 5, 4, 3, 2, 1, 0.5, 10], { current: [1, 1, 1, 1, 1, 1, 0, 0].map((x) => x / 6) }));
    if (!isKeepAndBuy(u)) throw new Error('keep/buy expected');
    expect(Array.from(u.keep)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(u.buy)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('rule builders: bad arguments', () => {
  /** The InputError `f` throws (it fails the test when f throws anything else, or nothing). */
  const inputError = (f: () => unknown): InputError => {
    let e: unknown;
    try {
      f();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  };
  it('n, quantiles, quantile, lookback, topk and nDrop are InputErrors naming the argument, the value and what is expected (they were RangeErrors: exit 1, "a fault in factorlab")', () => {
    const cases: [() => unknown, string][] = [
      [() => topN(0), 'n must be a whole number of names >= 1, got 0'],
      [() => topN(2.5), 'n must be a whole number of names >= 1, got 2.5'],
      [() => topN('5' as never), 'n must be a whole number of names >= 1, got "5" (a string)'],
      // 'quantiles - 1 must be a whole number >= 1, got 0' named an expression, not the argument
      [() => topQuantile(1), 'quantiles must be a whole number >= 2, got 1'],
      // "5" - 1 passed as 4, then the default quantile "5" was refused as 'quantile must be 1..5, got 5'
      [() => topQuantile('5' as never), 'quantiles must be a whole number >= 2, got "5" (a string)'],
      [() => topQuantile(5, 6), 'quantile must be a whole number in 1..5 (the quantiles), got 6'],
      [() => topQuantile(5, 0), 'quantile must be a whole number in 1..5 (the quantiles), got 0'],
      [() => quantileLongShort(1), 'quantiles must be a whole number >= 2, got 1'],
      [() => quantileLongShort(NaN), 'quantiles must be a whole number >= 2, got NaN'],
      [() => inverseVolatility(1), 'lookback must be a whole number of rows >= 2 (a standard deviation needs two returns), got 1'],
      [() => inverseVolatility(20, 0), 'n must be a whole number of names >= 1, or undefined for every tradable name, got 0'],
      [() => industryNeutral({ quantiles: 1, groups: new Int32Array(3) }), 'quantiles must be a whole number >= 2, got 1'],
      [
        () => industryNeutral({ quantiles: 5, quantile: 7, groups: new Int32Array(3) }),
        'quantile must be a whole number in 1..5 (the quantiles), got 7',
      ],
      [() => topkDropout(0, 1), 'topk must be a whole number of names >= 1, got 0'],
      [() => topkDropout(5, -1), 'nDrop must be a whole number of names >= 0 (the most replaced each rebalance), got -1'],
      [() => topkDropout(5, 1.5), 'nDrop must be a whole number of names >= 0 (the most replaced each rebalance), got 1.5'],
    ];
    for (const [f, message] of cases) expect(inputError(f).message).toBe(message);
    // the options name the argument (the CLI prints its flag for it: --quantiles)
    expect(inputError(() => topQuantile(1)).options).toEqual(['quantiles']);
  });

  it('industryNeutral: groups of the wrong type or length and NaN or negative industry weights are refused (the names past the end sat in no industry, the industry was dropped)', () => {
    const s = [1, 2, 3, 4, 10, 20];
    const short = industryNeutral({ quantiles: 2, groups: Int32Array.from([0, 0, 0, 0, 1]) });
    expect(inputError(() => short(ctx(s))).message).toBe('groups has 5 industry codes, expected one per asset (6)');
    expect(inputError(() => industryNeutral({ quantiles: 2, groups: [0, 0, 1] as never })).message).toBe(
      'groups must be an Int32Array of industry codes (-1 = none), one per asset, got an array of 3',
    );
    const groups = Int32Array.from([0, 0, 0, 0, 1, 1]);
    expect(inputError(() => industryNeutral({ quantiles: 2, groups, industryWeights: Float64Array.from([0.5, NaN]) })).message).toBe(
      'industryWeights[1] is NaN, expected a finite weight >= 0 (0: the industry is not held)',
    );
    expect(inputError(() => industryNeutral({ quantiles: 2, groups, industryWeights: Float64Array.from([-0.5, 1]) })).message).toBe(
      'industryWeights[0] is -0.5, expected a finite weight >= 0 (0: the industry is not held)',
    );
  });

  it('a signal rule run without a signal is an InputError naming the rule (a RangeError before)', () => {
    const none = { ...ctx([1, 2, 3]), signal: undefined };
    for (const [rule, name] of [
      [topN(2), 'top-n'],
      [topQuantile(2), 'top-quantile'],
      [quantileLongShort(2), 'long-short'],
      [signalProportional(), 'proportional'],
      [industryNeutral({ quantiles: 2, groups: new Int32Array(3) }), 'industry-neutral'],
      [topkDropout(2, 1), 'topk-dropout'],
    ] as const)
      expect(inputError(() => rule(none)).message).toContain(`the ${name} rule needs a signal, and the backtest has none`);
  });
});

describe('selection without a sort (fast-check)', () => {
  it('selectKth is the k-th of the sorted values; qcutMembers is the set labelled q by qcutLabels', async () => {
    const { selectKth, qcutMembers } = await import('./select.js');
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -20, max: 20 }).map((x) => x / 4),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 100 }),
        (x, Q, r) => {
          const sorted = [...x].sort((a, b) => a - b);
          const k = r % x.length;
          expect(selectKth(Float64Array.from(x), x.length, k)).toBe(sorted[k]);
          const idx = x.map((_, i) => i);
          const labels = qcutLabels(x, idx, Q);
          const q = 1 + (r % Q);
          const cands = { count: x.length, assets: Int32Array.from(idx), values: Float64Array.from(x) };
          const members = Array.from(qcutMembers(cands, Q, q, new Float64Array(x.length)));
          expect(members).toEqual(idx.filter((i) => labels[i] === q));
        },
      ),
    );
  });
});
