import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alphaBeta,
  annualReturn,
  annualVolatility,
  calmarRatio,
  captureRatio,
  conditionalValueAtRisk,
  downCapture,
  downsideDeviation,
  drawdownSeries,
  hitRate,
  informationRatio,
  maxDrawdown,
  omegaRatio,
  performance,
  sharpeRatio,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
  trackingError,
  upCapture,
  valueAtRisk,
} from './performance.js';
import { InputError } from '../core/errors.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

// empyrical's test_stats.py fixtures (published expected values, recomputed here; 8 decimals there).
// mixed_returns = [nan, 1, 10, -4, 2, 3, 2, 1, -10] / 100 on a daily index. empyrical skips the NaN
// in means and standard deviations (8 periods) but counts it as a 0 return in annual_return's
// number of years (9 periods), so the 0 goes in for those two.
const mixed = [1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100);
const mixedWithZero = [0, ...mixed];
const weekly = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100);
const negative = [0, -6, -7, -1, -9, -2, -6, -8, -5].map((x) => x / 100);
const positive = [1, 2, 1, 1, 1, 1, 1, 1, 1].map((x) => x / 100);

describe('statistics against empyrical test_stats.py', () => {
  it('annual return (compounded), daily / weekly / monthly', () => {
    close(annualReturn(mixedWithZero, 252), 1.9135925373194231, 1e-10);
    close(annualReturn(weekly, 52), 0.24690830513998208, 1e-10);
    close(annualReturn(weekly, 12), 0.052242061386048144, 1e-10);
  });
  it('annual volatility (ddof 1)', () => {
    close(annualVolatility(mixed, 252), 0.9136465399704637, 1e-10);
    close(annualVolatility(weekly, 52), 0.38851569394870583, 1e-10);
    close(annualVolatility(weekly, 12), 0.18663690238892558, 1e-10);
  });
  it('Sharpe', () => {
    close(sharpeRatio(mixed, 252), 1.7238613961706866, 1e-10);
    close(sharpeRatio(positive, 252), 52.915026221291804, 1e-10);
    close(sharpeRatio(negative, 252), -24.406808633910085, 1e-10);
  });
  it('downside deviation over all periods, and Sortino', () => {
    close(downsideDeviation(mixed, 252), 0.60448325038829653, 1e-10);
    close(downsideDeviation(mixed, 252, 0.1), 1.7161730681956295, 1e-10);
    close(downsideDeviation(weekly, 52), 0.25888650451930134, 1e-10);
    close(downsideDeviation(weekly, 12, 0.1), 0.37148351242013422, 1e-10);
    close(sortinoRatio(mixed, 252), 2.605531251673693, 1e-10);
    close(sortinoRatio(negative, 252), -13.532743075043401, 1e-10);
    close(sortinoRatio(weekly, 52), 1.1158901056866439, 1e-10);
    close(sortinoRatio(weekly, 12), 0.53605626741889756, 1e-10);
    expect(sortinoRatio(positive, 252)).toBe(Infinity);
    // the flat-line MAR case: mixed against a required return of 1% a period
    close(sortinoRatio(mixed, 252, 0.01), -1.3934779588919977, 1e-10);
  });
  it('max drawdown, Calmar', () => {
    expect(maxDrawdown(mixed).maxDrawdown).toBeCloseTo(-0.1, 14);
    close(maxDrawdown(negative).maxDrawdown, totalReturn(negative));
    expect(maxDrawdown([0.1, -0.1, 0.1]).maxDrawdown).toBeCloseTo(-0.1, 14);
    expect(maxDrawdown(positive).maxDrawdown).toBe(0);
    close(calmarRatio(mixedWithZero, 252), 19.135925373194233, 1e-10);
    close(calmarRatio(weekly, 52), 2.4690830513998208, 1e-10);
    close(calmarRatio(weekly, 12), 0.52242061386048144, 1e-10);
  });
  it('excess Sharpe (unannualised IR) and alpha / beta', () => {
    close(informationRatio(mixed, new Array(8).fill(0), 1), 0.10859306069076737, 1e-10);
    close(informationRatio(mixed, new Array(8).fill(0.01), 1), -0.06515583641446039, 1e-10);
    // mixed against negative_returns[1:], aligned on dates (the NaN date drops out)
    const ab = alphaBeta(mixed, negative.slice(1), 252);
    close(ab.beta, -0.71296296296296313, 1e-10);
    // empyrical >= 0.5 compounds alpha: (1 + mean)^252 - 1; older versions printed mean * 252 = -8.3067
    close(ab.alpha, -0.9997853834885004, 1e-9);
    const simple = alphaBeta(mixed, negative.slice(1), 1).alpha * 252;
    close(simple, -8.306666666666668, 1e-10);
    const self = alphaBeta(mixed, mixed, 252);
    close(self.beta, 1);
    close(self.alpha, 0, 1e-12);
    close(
      alphaBeta(
        mixed,
        mixed.map((x) => -x),
        252,
      ).beta,
      -1,
    );
  });
});

// vectorbt tests/test_returns.py: prices b = 5,4,3,2,1 and c = 1,2,3,2,1 (daily), year_freq 252 days;
// `stats()` with risk_free 0.01 / required_return 0.1 (b) and 0.02 / 0.2 (c).
describe('statistics against vectorbt test_returns.py', () => {
  const pct = (p: number[]) => p.slice(1).map((x, i) => x / p[i] - 1);
  const b = pct([5, 4, 3, 2, 1]),
    c = pct([1, 2, 3, 2, 1]);
  it('column b', () => {
    close(totalReturn(b) * 100, -80, 1e-12);
    close(annualVolatility(b, 252) * 100, 208.74625745148103, 1e-10);
    close(sharpeRatio(b, 252, 0.01), -39.93844058228336, 1e-10);
    close(maxDrawdown(b).maxDrawdown * 100, -80, 1e-12);
    close(sortinoRatio(b, 252, 0.1), -15.323368643952458, 1e-10);
    // vectorbt counts the first (NaN) row as a period: 5 periods; Calmar -1.25 = -100% / 80%
    close(calmarRatio([0, ...b], 252), -1.25, 1e-10);
  });
  it('column c', () => {
    close(totalReturn(c), 0, 1e-15);
    // c's row of stats() uses levy_alpha 3: std · 252^(1/3) instead of std · √252
    close((annualVolatility(c, 252) / Math.sqrt(252)) * Math.cbrt(252) * 100, 446.63407039155584, 1e-10);
    close(sharpeRatio(c, 252, 0.02), 3.292658500361067, 1e-10);
    close(maxDrawdown(c).maxDrawdown * 100, -66.66666666666667, 1e-12);
    close(sortinoRatio(c, 252, 0.2), -1.2025797235076259, 1e-10);
  });
  it('drawdown series', () => {
    const dd = drawdownSeries(b);
    [-0.2, -0.4, -0.6, -0.8].forEach((v, i) => close(dd[i], v, 1e-12));
  });
});

describe('hand-computed cases', () => {
  it('max drawdown dates and duration', () => {
    // NAV: 1.1, 0.99, 0.891, 1.0692 (recovered? peak 1.1 -> no), 1.17612 (recovered at row 4)
    const r = [0.1, -0.1, -0.1, 0.2, 0.1];
    const d = maxDrawdown(r);
    close(d.maxDrawdown, 0.891 / 1.1 - 1);
    expect(d).toMatchObject({ peakRow: 0, troughRow: 2, recoveryRow: 4, durationRows: 4 });
    // first-period loss counts (peak is the start, row -1), never recovered
    expect(maxDrawdown([-0.5, 0.1])).toMatchObject({ maxDrawdown: -0.5, peakRow: -1, troughRow: 0, recoveryRow: -1, durationRows: 2 });
  });
  it('hit rate, tracking error, IR', () => {
    expect(hitRate([0.1, 0, -0.1, 0.2])).toBe(0.5);
    // active = [0.01, -0.01, 0.03]: mean 0.01, sd 0.02
    const r = [0.02, 0, 0.05],
      bm = [0.01, 0.01, 0.02];
    close(trackingError(r, bm, 4), 0.02 * 2);
    close(informationRatio(r, bm, 4), (0.01 / 0.02) * 2);
  });
  it('performance() states periods per year and fills the benchmark block', () => {
    const p = performance(mixed, { periodsPerYear: 252, benchmark: negative.slice(1) });
    expect(p.periodsPerYear).toBe(252);
    expect(p.periods).toBe(8);
    close(p.sharpe, 1.7238613961706866, 1e-10);
    close(p.benchmark?.beta ?? NaN, -0.71296296296296313, 1e-10);
    expect(() => performance(mixed, { periodsPerYear: 0 })).toThrow(/periodsPerYear/);
  });
});

describe('invariances (fast-check)', () => {
  const returns = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 3, maxLength: 40 });
  it('Sharpe is unchanged by scaling returns and risk-free together; annual return is monotone in every return', () => {
    fc.assert(
      fc.property(returns, fc.double({ min: 0.1, max: 5, noNaN: true }), (r, k) => {
        const s1 = sharpeRatio(r, 252, 0.001),
          s2 = sharpeRatio(
            r.map((x) => x * k),
            252,
            0.001 * k,
          );
        if (Number.isFinite(s1) && Math.abs(s1) < 1e6) expect(Math.abs(s1 - s2)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(s1)));
        const up = r.map((x, i) => (i === 0 ? x + 0.01 : x));
        expect(annualReturn(up, 252)).toBeGreaterThanOrEqual(annualReturn(r, 252));
      }),
    );
  });
  it('max drawdown is in [-1, 0] and equals the minimum of the drawdown series', () => {
    fc.assert(
      fc.property(returns, (r) => {
        const d = maxDrawdown(r).maxDrawdown;
        expect(d).toBeLessThanOrEqual(0);
        expect(d).toBeGreaterThanOrEqual(-1);
        expect(d).toBe(Math.min(0, ...drawdownSeries(r)));
      }),
    );
  });
  it('beta of a + k·b against b is k; the IR against itself is NaN', () => {
    fc.assert(
      fc.property(returns, fc.double({ min: -3, max: 3, noNaN: true }), (bm, k) => {
        const sd = annualVolatility(bm, 1);
        fc.pre(sd > 1e-6);
        const r = bm.map((x) => 0.001 + k * x);
        expect(Math.abs(alphaBeta(r, bm, 252).beta - k)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(k)));
        expect(informationRatio(bm, bm, 252)).toBeNaN();
      }),
    );
  });
});

// empyrical tests/test_stats.py (published values, recomputed here): omega, stability, tail ratio,
// value at risk and conditional VaR. Series as there, the NaN of mixed_returns dropped (the
// statistics here take no NaN; empyrical drops it too).
describe('omega, stability, tail ratio, VaR and CVaR against empyrical test_stats.py', () => {
  const pct = (xs: number[]): number[] => xs.map((x) => x / 100);
  const mixed = pct([1, 10, -4, 2, 3, 2, 1, -10]);
  const positive = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
  const negative = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
  const flat = pct([1, 1, 1, 1, 1, 1, 1, 1, 1]);

  it('omega_ratio: the published rows', () => {
    expect(omegaRatio([])).toBeNaN();
    expect(omegaRatio([0.01])).toBeNaN();
    expect(omegaRatio(mixed, { requiredReturn: 10 })).toBeCloseTo(0.83354263497557934, 12);
    expect(omegaRatio(mixed, { requiredReturn: -10 })).toBeNaN();
    // a risk-free series: mixed_returns against flat_line_1 (its first, NaN, period dropped on both)
    expect(omegaRatio(mixed, { riskFree: flat.slice(1) })).toBeCloseTo(0.8125, 12);
    expect(omegaRatio(positive, { riskFree: 0.01 })).toBeNaN();
    expect(omegaRatio(positive, { riskFree: 0.011 })).toBeCloseTo(1.125, 12);
    expect(omegaRatio(positive, { riskFree: 0.02 })).toBe(0);
    expect(omegaRatio(negative, { riskFree: 0.01 })).toBe(0);
    // a higher required return lowers omega (test_omega_returns)
    expect(omegaRatio(mixed, { requiredReturn: 0 })).toBeGreaterThan(omegaRatio(mixed, { requiredReturn: 0.001 }));
  });

  it('stability_of_timeseries: mixed 0.1529973665111273, a flat line 1, fewer than two periods NaN', () => {
    expect(stability(mixed)).toBeCloseTo(0.1529973665111273, 12);
    expect(stability(flat)).toBeCloseTo(1, 12);
    expect(stability([0.01])).toBeNaN();
  });

  it('tail_ratio: one return 1; mixed 0.9556962025316452 (numpy 1.24; empyrical publishes 0.947 at one decimal)', () => {
    expect(tailRatio([])).toBeNaN();
    expect(tailRatio([0.01])).toBe(1);
    expect(tailRatio(mixed)).toBeCloseTo(0.9556962025316452, 12);
    expect(tailRatio(mixed)).toBeCloseTo(0.9473684210526313, 1);
  });

  it('value_at_risk: the published cutoffs, and numpy.percentile on 21 normal draws', () => {
    expect(valueAtRisk([1, 2], 0)).toBe(1);
    expect(valueAtRisk([1, 2], 0.3)).toBeCloseTo(1.3, 12);
    expect(valueAtRisk([1, 2], 1)).toBe(2);
    expect(valueAtRisk([1, 81, 82, 83, 84, 85], 0.1)).toBeCloseTo(41, 12);
    expect(valueAtRisk([1, 81, 82, 83, 84, 85], 0.2)).toBeCloseTo(81, 12);
    expect(valueAtRisk([1, 81, 82, 83, 84, 85], 0.3)).toBeCloseTo(81.5, 12);
    // numpy.random.default_rng(5).normal(0, 0.02, 21), percentile and the CVaR rule, in numpy 1.24
    const r = [
      -0.016038628505068948, -0.0264871799125629, -0.004967232441904971, 0.00840890476131043, 0.022720930649792855, 0.002194127986436164,
      -0.01105294641072465, -0.015695607106885567, 0.014974915414691823, 0.03269566085917155, 0.005455375516894435, -0.024666573280615434,
      -0.019165304108721776, 0.03200038177998223, 0.004057648810172168, -0.0346426968487917, -0.0016739238563405162, -0.023264519468894972,
      -0.01258576188123109, -0.009760116465537148, -0.014266267432644872,
    ];
    const want: [number, number, number][] = [
      [0, -0.0346426968487917, -0.0346426968487917],
      [0.0499, -0.026503490946435358, -0.0346426968487917],
      [0.05, -0.0264871799125629, -0.0305649383806773],
      [0.2, -0.019165304108721776, -0.025645254723917356],
      [0.999, 0.032681755277587765, -0.006222723640032221],
      [1, 0.03269566085917155, -0.004369467235308233],
    ];
    for (const [c, v, cv] of want) {
      expect(valueAtRisk(r, c)).toBeCloseTo(v, 15);
      expect(conditionalValueAtRisk(r, c)).toBeCloseTo(cv, 15);
    }
    // a single value is its own CVaR at any cutoff
    expect(conditionalValueAtRisk([-0.01], 0)).toBe(-0.01);
    expect(conditionalValueAtRisk([-0.01], 1)).toBe(-0.01);
  });
});

// empyrical tests/test_stats.py: test_capture_ratio, test_up_capture, test_down_capture (daily,
// 252). mixed_returns' first period is NaN there and falls out of every up or down filter; here
// both series start at its second period.
describe('capture ratios against empyrical test_stats.py', () => {
  const pct = (xs: number[]): number[] => xs.map((x) => x / 100);
  const mixed = pct([1, 10, -4, 2, 3, 2, 1, -10]);
  const positive = pct([2, 1, 1, 1, 1, 1, 1, 1]); // positive_returns without its first period
  const allNegative = pct([-6, -7, -1, -9, -2, -6, -8, -5]); // all_negative_returns likewise

  it('capture: a series against itself 1, empty NaN', () => {
    expect(captureRatio(mixed, mixed, 252)).toBeCloseTo(1, 12);
    expect(captureRatio([], [], 252)).toBeNaN();
    expect(captureRatio([0.01], [0.01], 252)).toBeCloseTo(1, 12);
  });
  it('up_capture: positive vs mixed 0.0076167762, all negative vs mixed -0.0004336328', () => {
    expect(upCapture(mixed, mixed, 252)).toBeCloseTo(1, 12);
    expect(upCapture(positive, mixed, 252)).toBeCloseTo(0.0076167762, 9);
    expect(upCapture(allNegative, mixed, 252)).toBeCloseTo(-0.0004336328, 9);
  });
  it('down_capture: all negative vs mixed 0.99956025703798634, positive vs mixed -11.27400221', () => {
    expect(downCapture(mixed, mixed, 252)).toBeCloseTo(1, 12);
    expect(downCapture(allNegative, mixed, 252)).toBeCloseTo(0.99956025703798634, 12);
    expect(downCapture(positive, mixed, 252)).toBeCloseTo(-11.27400221, 7);
    expect(downCapture([0.01], [0.01], 252)).toBeNaN();
  });
});

describe('bad input: an InputError naming the argument, never a number', () => {
  const r = [0.01, -0.02, 0.015, 0.003, -0.007, 0.02];

  it('periods per year that are not a finite number > 0 (0, negative, NaN, missing, a string)', () => {
    for (const P of [0, -12, NaN, Infinity, undefined, '252'] as unknown as number[]) {
      for (const f of [sharpeRatio, sortinoRatio, annualReturn, annualVolatility, calmarRatio, downsideDeviation])
        expect(() => f(r, P)).toThrow(/periodsPerYear must be a finite number > 0/);
      expect(() => performance(r, { periodsPerYear: P })).toThrow(InputError);
    }
  });

  it('a NaN or infinite return names its index (before: maxDrawdown of [0.1, NaN, -0.2] was 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom(NaN, Infinity, -Infinity),
        (xs, at, bad) => {
          const i = at % xs.length;
          const x = xs.slice();
          x[i] = bad;
          for (const f of [
            (y: number[]) => maxDrawdown(y),
            (y: number[]) => sharpeRatio(y, 252),
            (y: number[]) => totalReturn(y),
            (y: number[]) => drawdownSeries(y),
          ])
            expect(() => f(x)).toThrow(`returns[${i}] is ${bad}`);
        },
      ),
    );
    expect(() => trackingError(r, [0, 0, NaN, 0, 0, 0], 252)).toThrow('benchmark[2] is NaN');
  });

  it('a constant series has no volatility: Sharpe and IR are ±Infinity (empyrical flat line), beta NaN, never 1e17 from the rounding of the mean', () => {
    const c = new Array<number>(7).fill(0.1);
    expect(sharpeRatio(c, 252)).toBe(Infinity); // was 1.06e17: 0.1 over the std of the mean's rounding
    expect(sharpeRatio(c, 252, 0.1)).toBeNaN();
    expect(annualVolatility(c, 252)).toBe(0);
    const b = r.map((x) => x - 0.001);
    expect(informationRatio(r, b, 252)).toBe(Infinity); // was 2.2e16
    expect(alphaBeta(r, new Array<number>(6).fill(0.1), 252).beta).toBeNaN();
  });

  it('risk-free rate, MAR and VaR cutoff', () => {
    expect(() => sharpeRatio(r, 252, NaN)).toThrow('riskFree must be a finite number, got NaN');
    expect(() => sharpeRatio(r, 252, '0.01' as unknown as number)).toThrow('got "0.01" (a string)');
    expect(() => sortinoRatio(r, 252, NaN)).toThrow('mar must be a finite number');
    expect(() => valueAtRisk(r, 2)).toThrow('cutoff must be a number in [0, 1], got 2');
    expect(() => conditionalValueAtRisk(r, -0.1)).toThrow(InputError);
    expect(() => omegaRatio(r, { requiredReturn: NaN })).toThrow('requiredReturn must be a finite number');
    expect(() => omegaRatio(r, { riskFree: [0, 0] })).toThrow('riskFree has 2 values, expected 6');
  });
});
