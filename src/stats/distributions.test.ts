import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stdlibNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import stdlibTCdf from '@stdlib/stats-base-dists-t-cdf';
import stdlibTQuantile from '@stdlib/stats-base-dists-t-quantile';
import { normalCdf, normalTwoSidedPValue, tCdf, tQuantile, tTwoSidedPValue } from './distributions.js';

/** |a − b| / |b| (0 when equal). */
function rel(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.abs(b);
}

/** [t, ν, scipy.stats.t.sf(t, ν)] — scipy 1.10.1 (Debian python3-scipy). */
const SCIPY_T_SF: [number, number, number][] = [
  [1e-10, 1, 0.499999999968169],
  [1, 1, 0.24999999999999978],
  [2.5, 1, 0.12111894159084335],
  [10, 1, 0.03172551743055356],
  [10000, 1, 0.00003183098851227576],
  [1e100, 1, 3.1830988618379063e-101],
  [1e-10, 1.5, 0.4999999999659265],
  [1, 1.5, 0.22556768363835528],
  [2.5, 1.5, 0.08490325130734801],
  [10, 1.5, 0.01182967755681078],
  [10000, 1.5, 3.770852401714754e-7],
  [1e100, 1.5, 3.7708524320162467e-151],
  [1e-10, 2, 0.49999999996464467],
  [1, 2, 0.21132486540518713],
  [2.5, 2, 0.0648058601107554],
  [10, 2, 0.004926228511662846],
  [10000, 2, 4.9999999250000005e-9],
  [1e100, 2, 5e-201],
  [1e-10, 3, 0.49999999996324473],
  [1, 3, 0.19550110947788527],
  [2.5, 3, 0.04385332350403277],
  [10, 3, 0.0010641995292070747],
  [10000, 3, 1.1026577511479063e-12],
  [1e100, 3, 1.1026577908435688e-300],
  [1e-10, 5, 0.49999999996203937],
  [1, 5, 0.18160873382456127],
  [2.5, 5, 0.027245049671188102],
  [10, 5, 0.00008547378787148179],
  [10000, 5, 9.490166228758776e-20],
  [0.01, 10, 0.4961089874954857],
  [1.7, 10, 0.05998467295451019],
  [3, 10, 0.006671827511284783],
  [37, 10, 2.4749454826985553e-12],
  [10000000000, 10, 1.230468750000001e-96],
  [0.5, 30, 0.31036150244256366],
  [2, 30, 0.02731252248149155],
  [5, 30, 0.000011648342733503893],
  [100, 30, 9.923058983635087e-40],
  [10000000000, 30, 1.0364534652561783e-279],
  [1e-10, 100, 0.4999999999602054],
  [1, 100, 0.1598620778920618],
  [2.5, 100, 0.007022894562038583],
  [10, 100, 4.950844492297047e-17],
  [100, 100, 2.431497222269674e-102],
  [1e-10, 1000, 0.49999999996011574],
  [1, 1000, 0.1587762090423363],
  [2.5, 1000, 0.006289283900545397],
  [10, 1000, 8.335351479300032e-23],
  [37, 1000, 8.650394404956897e-190],
  [0.01, 10000, 0.4960107434246779],
  [1.7, 10000, 0.04458101136385253],
  [3, 10000, 0.0013532240949988318],
  [37, 10000, 2.8113156176397006e-281],
  [0.5, 100000, 0.308538088827209],
  [2, 100000, 0.022751481728753218],
  [5, 100000, 2.871350839320823e-7],
  [37, 100000, 5.987314121712064e-298],
  [1e-10, 1000000, 0.4999999999601058],
  [1, 1000000, 0.15865537491678905],
  [2.5, 1000000, 0.006209744751081614],
  [10, 1000000, 7.639305384089058e-24],
  [37, 1000000, 9.149865430900403e-300],
  [0.01, 10000000, 0.49601064378510895],
  [1.7, 10000000, 0.044565478307206724],
  [3, 10000000, 0.0013499013555185806],
  [37, 10000000, 6.000606161318176e-300],
];

/** [x, scipy.stats.norm.cdf(x)]. */
const SCIPY_NORM_CDF: [number, number][] = [
  [-37, 5.7255712225239266e-300],
  [-30, 4.906713927147908e-198],
  [-20, 2.7536241186061556e-89],
  [-10, 7.61985302416047e-24],
  [-5, 2.866515718791933e-7],
  [-3, 0.0013498980316300933],
  [-1.96, 0.024997895148220435],
  [-1, 0.15865525393145707],
  [-0.5, 0.3085375387259869],
  [-0.00001, 0.49999601057719606],
  [0, 0.5],
  [1e-8, 0.5000000039894228],
  [0.3, 0.6179114221889526],
  [0.66, 0.7453730853286639],
  [0.7, 0.758036347776927],
  [1, 0.8413447460685429],
  [2, 0.9772498680518208],
  [5, 0.9999997133484281],
  [5.7, 0.9999999940096286],
  [8.2, 0.9999999999999999],
  [10, 1],
];

/**
 * [p, ν, scipy.stats.t.ppf(p, ν)] where scipy agrees with a 40-digit mpmath inversion of the
 * incomplete beta to 1e-13 (scipy's own ppf is off by up to 1e-9 elsewhere, and clamps at −1e100).
 */
const SCIPY_T_PPF: [number, number, number][] = [
  [1e-50, 1, -3.1830988618379055e49],
  [1e-10, 1, -3183098861.837907],
  [0.001, 1, -318.3088389855422],
  [0.49, 1, -0.031426266043351345],
  [1e-50, 1.5, -1.1245005997832195e33],
  [1e-10, 1.5, -2422663.1011343612],
  [0.001, 1.5, -52.184430008992805],
  [0.2, 1.5, -1.1533643782955623],
  [0.4, 1.5, -0.30074539256979615],
  [1e-10, 2, -70710.67810804815],
  [0.2, 2, -1.060660171779822],
  [1e-10, 3, -2225.769284683086],
  [0.49, 5, -0.026346712342272538],
  [0.001, 10, -4.143700494046624],
  [0.2, 10, -0.8790578285505837],
  [0.4, 10, -0.26018482949208005],
  [0.49, 10, -0.025702893008090318],
  [1e-50, 30, -232.8459167986421],
  [0.025, 30, -2.042272456301238],
  [0.001, 1000, -3.098402163912876],
  [0.025, 1000, -1.9623390808264078],
  [0.2, 1000, -0.8419808221624286],
  [0.4, 1000, -0.25341451583949864],
  [0.49, 1000, -0.025075180209466485],
  [1e-10, 10000, -6.367941351482802],
  [0.001, 10000, -3.0910475160306126],
  [0.025, 10000, -1.9602012398906263],
  [0.2, 10000, -0.8416571791416531],
  [0.4, 10000, -0.2533538434457268],
  [0.49, 10000, -0.025069535383140874],
  [1e-10, 10000000, -6.361347496998616],
  [0.001, 10000000, -3.0902331211809115],
  [0.025, 10000000, -1.9599642217672055],
  [0.2, 10000000, -0.8416212695170081],
  [0.4, 10000000, -0.25334710987600295],
  [0.49, 10000000, -0.02506890888582768],
];

/** [p, ν, quantile] in the deep tail from mpmath (40 digits: findroot on betainc), where scipy clamps. */
const MPMATH_T_PPF: [number, number, number][] = [
  [1e-300, 1, -3.1830988618379066e299],
  [1e-200, 1, -3.183098861837907e199],
  [1e-300, 1.5, -5.219469427344636e199],
  [1e-200, 1.5, -1.1245005997832135e133],
  [1e-300, 2, -7.071067811865475e149],
  [1e-200, 2, -7.071067811865475e99],
  [1e-300, 3, -1.033110836044653e100],
  [1e-200, 3, -4.795275720469223e66],
  [1e-300, 5, -1.5683925590993378e60],
  [1e-200, 5, -1.568392559099338e40],
  [1e-300, 10, -2.564525718948198e30],
  [1e-200, 10, -256452571894819780000],
  [1e-300, 30, -50178575360.50508],
  [1e-200, 30, -23290831.507991146],
  [1e-300, 100, -9682.734287069563],
  [1e-200, 100, -968.2228066818791],
  [1e-300, 1000, -54.291388553051746],
  [1e-200, 1000, -38.61719445322675],
];

const NUS = [1, 1.5, 2, 3, 4.5, 5, 7, 10, 17, 30, 50, 99, 100, 250, 1000, 2500, 1e4, 1e5, 1e6, 1e7];

describe('distributions vs scipy (hard-coded)', () => {
  it('t cdf, two-sided p-value and normal cdf match scipy to 1e-12 relative', () => {
    let worst = 0;
    for (const [t, nu, sf] of SCIPY_T_SF) {
      worst = Math.max(worst, rel(tCdf(-t, nu), sf), rel(tTwoSidedPValue(t, nu), 2 * sf), rel(tTwoSidedPValue(-t, nu), 2 * sf));
      if (sf > 1e-4) expect(rel(1 - tCdf(t, nu), sf)).toBeLessThan(1e-12);
    }
    for (const [x, v] of SCIPY_NORM_CDF) worst = Math.max(worst, rel(normalCdf(x), v));
    expect(worst).toBeLessThan(1e-12);
  });

  it('t quantile matches scipy / mpmath to 1e-12 relative', () => {
    for (const [p, nu, q] of [...SCIPY_T_PPF, ...MPMATH_T_PPF]) {
      expect(rel(tQuantile(p, nu), q)).toBeLessThan(1e-12);
      if (p >= 1e-16) expect(rel(tQuantile(1 - p, nu), -q)).toBeLessThan(1e-12 + rel(1 - (1 - p), p) * 10);
    }
    // scipy.stats.norm.ppf
    expect(rel(tQuantile(0.975, Infinity), 1.959963984540054)).toBeLessThan(1e-14);
    expect(rel(tQuantile(1e-300, Infinity), -37.0470962993612)).toBeLessThan(1e-13);
  });

  it('closed forms: Cauchy (ν = 1) and ν = 2', () => {
    for (const t of [1.5708487747898547e-12, 1e-8, 0.3, 1, 7, 1e6]) {
      expect(rel(tCdf(-t, 1), Math.atan(1 / t) / Math.PI)).toBeLessThan(1e-14);
      // ½·(1 − t/√(2+t²)) without cancellation
      const r = Math.sqrt(2 + t * t);
      expect(rel(tCdf(-t, 2), 1 / (r * (r + t)))).toBeLessThan(1e-13);
    }
    for (const p of [1e-300, 1e-20, 0.01, 0.3, 0.4999999]) {
      const cauchy = p < 0.25 ? -1 / Math.tan(Math.PI * p) : -Math.tan(Math.PI * (0.5 - p));
      expect(rel(tQuantile(p, 1), cauchy)).toBeLessThan(1e-13);
      expect(rel(tQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-13);
    }
  });
});

describe('distributions vs @stdlib (the former implementation, now a test oracle)', () => {
  it('t cdf and p-value over a dense grid: relative error <= 1e-12 where p > 1e-300', () => {
    let worst = 0;
    for (const nu of NUS) {
      for (let k = -1200; k <= 1200; k++) {
        const t = k === 0 ? 0 : Math.sign(k) * Math.pow(10, (Math.abs(k) / 1200) * 6 - 3);
        const ref = stdlibTCdf(t, nu);
        if (!(ref > 1e-300)) continue;
        worst = Math.max(worst, rel(tCdf(t, nu), ref));
        if (t < 0) worst = Math.max(worst, rel(tTwoSidedPValue(t, nu), 2 * ref));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('normal cdf over a dense grid, deep tails included', () => {
    let worst = 0;
    for (let x = -37.5; x <= 9; x += 0.0025) worst = Math.max(worst, rel(normalCdf(x), stdlibNormalCdf(x, 0, 1)));
    expect(worst).toBeLessThan(1e-12);
  });

  it('t cdf on random inputs (fast-check)', () => {
    // |t| < 1e-4 is left to the closed-form property below: there @stdlib loses digits near ½ (it
    // gives tCdf(−1.57e-12, 1) = 0.5, not 0.5 − 5e-13, and tCdf(−1.7955e-6, 1) off by 1.8e-11
    // relative from the Cauchy closed form ½ + atan(t)/π, which ours matches).
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1, max: 1e7, noNaN: true }), (t, nu) => {
        if (Math.abs(t) < 1e-4) return;
        const ref = stdlibTCdf(t, nu);
        if (!(ref > 1e-300)) return;
        expect(rel(tCdf(t, nu), ref)).toBeLessThan(1e-12);
        const lower = stdlibTCdf(-Math.abs(t), nu);
        if (lower > 1e-300) expect(rel(tTwoSidedPValue(t, nu), 2 * lower)).toBeLessThan(1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('t cdf near and away from 0 equals the closed forms for ν = 1 and ν = 2 (fast-check)', () => {
    // ν = 1 (Cauchy): F(t) = ½ + atan(t)/π = atan2(1, −t)/π; ν = 2: F(t) = ½ + t / (2√(2 + t²)),
    // which for t < 0 is 1 / (s (s + |t|)) with s = √(2 + t²) — forms without cancellation in the
    // lower tail, so the relative error of the reference stays at a few ulps.
    const cauchy = (t: number): number => Math.atan2(1, -t) / Math.PI;
    const nu2 = (t: number): number => {
      const s = Math.sqrt(2 + t * t);
      return t < 0 ? 1 / (s * (s - t)) : 0.5 + t / (2 * s);
    };
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), (t) => {
        expect(rel(tCdf(t, 1), cauchy(t))).toBeLessThan(1e-13);
        expect(rel(tCdf(t, 2), nu2(t))).toBeLessThan(1e-13);
      }),
      { numRuns: 2000 },
    );
  });

  it('t quantile agrees with @stdlib away from p = ½ (where @stdlib returns 0)', () => {
    let worst = 0;
    for (const nu of NUS) {
      for (let k = 1; k <= 150; k++) {
        for (const p of [Math.pow(10, -2 * k), 0.45 - Math.pow(10, -k / 10)]) {
          const ref = stdlibTQuantile(p, nu);
          if (!(p >= 1e-300) || !Number.isFinite(ref)) continue;
          worst = Math.max(worst, rel(tQuantile(p, nu), ref));
        }
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('distributions: properties', () => {
  it('quantile round-trip: tCdf(tQuantile(p)) = p to 1e-12 relative on the small side, p in [1e-300, 1 − 1e-16]', () => {
    const pArb = fc.oneof(
      fc.double({ min: 1e-300, max: 0.5, noNaN: true }),
      fc.integer({ min: 1, max: 300 }).map((k) => Math.pow(10, -k)),
      fc.double({ min: 0.5, max: 1 - 1e-16, noNaN: true }),
    );
    const nuArb = fc.oneof(fc.double({ min: 1, max: 1e7, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.constant(Infinity));
    fc.assert(
      fc.property(pArb, nuArb, (p, nu) => {
        const q = tQuantile(p, nu);
        const back = tCdf(q, nu);
        if (p <= 0.5) expect(rel(back, p)).toBeLessThan(1e-12);
        else expect(rel(1 - back, 1 - p)).toBeLessThan(1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('quantile keeps relative precision next to p = ½: tQuantile(½ − d) ≈ −d/f(0)', () => {
    // f(0) for ν = 3: Γ(2)/(√(3π) Γ(3/2)) = 2/(π√3); normal: 1/√(2π)
    for (const d of [1e-16, 1e-12, 1e-9]) {
      expect(rel(tQuantile(0.5 - d, 3), -(0.5 - (0.5 - d)) / (2 / (Math.PI * Math.sqrt(3))))).toBeLessThan(1e-12);
      expect(rel(tQuantile(0.5 - d, Infinity), -(0.5 - (0.5 - d)) * Math.sqrt(2 * Math.PI))).toBeLessThan(1e-12);
    }
  });

  it('symmetry: F(−t) = 1 − F(t), p(t) = p(−t), Q(1 − p) = −Q(p), monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }), (t, nu) => {
        expect(tCdf(-t, nu) + tCdf(t, nu)).toBeCloseTo(1, 15);
        expect(tTwoSidedPValue(t, nu)).toBe(tTwoSidedPValue(-t, nu));
        expect(normalCdf(-t) + normalCdf(t)).toBeCloseTo(1, 15);
        expect(tCdf(t + 1e-3, nu)).toBeGreaterThanOrEqual(tCdf(t, nu));
        // Q(F(s)) = s, inverted in the lower tail (s = −|t|), where F(s) keeps its relative
        // precision: near 1 the rounding of F (1.1e-16 absolute) moves Q by 1.1e-16 / density, e.g.
        // 5e-7 at t = 47.9, ν = 6.57, which is the conditioning, not an error of Q.
        const s = -Math.abs(t),
          p = tCdf(s, nu);
        if (p > 1e-300 && s < -1e-8) expect(rel(tQuantile(p, nu), s)).toBeLessThan(1e-8);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 0.5, noNaN: true }), fc.double({ min: 1, max: 1e7, noNaN: true }), (p, nu) => {
        const upper = 1 - p; // Q(upper) must be −Q(1 − upper) exactly (1 − upper is exact)
        expect(tQuantile(upper, nu) + tQuantile(1 - upper, nu)).toBe(0);
      }),
    );
  });

  it('t tends to the normal as ν grows', () => {
    for (const t of [0.5, 1.96, 4]) {
      // relative gap O((t⁴ + 2t²... )/(4ν)): below 1e-5 at ν = 1e7 for t ≤ 4, and shrinking with ν
      expect(rel(tCdf(-t, 1e7), normalCdf(-t))).toBeLessThan(1e-5);
      expect(rel(tCdf(-t, 1e7), normalCdf(-t))).toBeLessThan(rel(tCdf(-t, 1e5), normalCdf(-t)) / 50);
      expect(tCdf(t, Infinity)).toBe(normalCdf(t));
      expect(tTwoSidedPValue(t, Infinity)).toBe(normalTwoSidedPValue(t));
    }
  });

  it('handles edge cases', () => {
    expect(tTwoSidedPValue(0, 3)).toBe(1);
    expect(tTwoSidedPValue(NaN, 3)).toBeNaN();
    expect(tTwoSidedPValue(1, 0)).toBeNaN();
    expect(tTwoSidedPValue(Infinity, 3)).toBe(0);
    expect(tCdf(-Infinity, 3)).toBe(0);
    expect(tCdf(Infinity, 3)).toBe(1);
    expect(tCdf(0, 3)).toBe(0.5);
    expect(tCdf(NaN, 3)).toBeNaN();
    expect(tCdf(1, -1)).toBeNaN();
    expect(tQuantile(1.2, 5)).toBeNaN();
    expect(tQuantile(0, 5)).toBe(-Infinity);
    expect(tQuantile(1, 5)).toBe(Infinity);
    expect(tQuantile(0.5, 5)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalCdf(0)).toBe(0.5);
    expect(normalTwoSidedPValue(0)).toBe(1);
    expect(normalTwoSidedPValue(NaN)).toBeNaN();
    // hand-computed: 2·Φ(−1.96) with scipy.stats.norm.cdf(1.96) = 0.9750021048517795
    expect(rel(normalTwoSidedPValue(1.96), 2 * (1 - 0.9750021048517795))).toBeLessThan(1e-13);
    // tCdf(1, 1) = 3/4 exactly (Cauchy)
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 15);
  });
});
