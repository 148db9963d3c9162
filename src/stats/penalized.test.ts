import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, solve } from 'ml-matrix';
import { ols } from './ols.js';
import { centredMoments, elasticNet, elasticNetBatch, elasticNetGram, featureSign, lasso, polishKkt, ridge } from './penalized.js';

// Fixed sample (numpy default_rng(3)), 40 x 4; reference values from scikit-learn 1.2.1.
const X = [
  2.0409191213851825, -7.666995093942545, 5.418098846725779, -0.5677696061279298, -0.45264929211044586, -0.6467914892692976,
  2.980013870852749, -0.23193237764418947, -0.8652130762749417, 9.968998549934648, 5.225786613227922, -0.3526307943415954,
  -0.2812874181513504, -2.0041390383268505, 3.9448494487948786, -0.39080097723465473, 0.48194538850678587, -0.7156608197201001,
  5.957758702959764, -0.19980212906658, 0.024259565076664623, 4.637462553638436, 5.545105522687645, -0.505228735614018, -0.1828389745977349,
  1.6215753952644063, 6.935088034098853, -0.2696203273419135, -0.24355867907910456, 3.0069408038270735, 4.113540056839413,
  -0.291720232439864, 0.8825389674564839, 1.7410500485726974, 5.091516703282352, 0.6701043548284794, -2.8281623068437627,
  3.0639204525002395, 4.040355240191858, -1.6686198426559695, 0.27644575952099965, 2.1016346560481702, 4.5552325443172155,
  -1.0764058401008076, 0.026124833534033623, -0.15824192472863782, 6.405598166018093, 0.7474079874793504, 0.19381564626462,
  3.3348996156719766, 4.794476950094207, -0.9258995736483681, 0.584058311025248, 1.7476152559670703, 4.7851710888731445,
  -0.7828085779639662, 0.22915390521326254, -7.481682835373972, 5.690124770162812, 0.4913682607449912, -1.6388571438904884,
  0.18406052951451476, 4.035900336458759, 0.7572210447581504, -2.034167273443428, -2.743483613983766, 5.709579987742067, 1.156401048432157,
  -2.158005380126208, -1.49411953425391, 5.328020092542577, -0.6092161379498706, 1.5906402313231438, -3.5736800448533423, 5.354531946286926,
  -1.0484055185445111, 1.4059629431348852, -0.0649536871666751, 4.627749435999384, -1.7181849497326165, 1.6818255450666806,
  2.258335778092163, 5.753563837509362, 1.1378812589177814, 0.3492265781230293, -1.9177398317292635, 4.199758772969898, -0.800199979361005,
  1.3700723413337117, -4.3811436035862386, 4.403630488229211, -0.32124391928619556, 0.22461902534909414, 1.7260481655234268,
  3.750902990904457, -1.730013451272522, -0.004414232621967487, 3.6406914758582447, 5.757058059296524, 0.21565078369996044,
  -0.3171556440173552, 0.8797010874006739, 4.756664914257824, 0.817206580492595, -0.7944473388868819, 0.4027198412590165, 4.889219863888406,
  0.5433593895301524, 0.22463852364937692, 7.650103908923718, 6.498654758135483, 1.4967371655185107, -2.0395038375946424,
  -1.020949874107132, 4.39138938408707, 0.5327215998890392, -2.279026489055327, 3.523496037027563, 6.066983310895314, -1.3020708582457947,
  -0.9785485286214127, -2.403516032343545, 5.043295900283145, 0.6409710646894711, 2.0478860553573326, -0.5923362896630129, 5.76750255890362,
  0.15541781005943467, 1.7599262839082537, 2.2264735836347063, 6.36855045087448, -1.0776751897834627, -0.19224071152595104,
  -2.4413172655261213, 6.504947404008307, 0.6576399038177728, -0.3051444257775161, -1.3574036612112041, 5.484664878206702,
  -0.7014955301795535, -0.9305888762121555, 1.4438234768145968, 7.463132032105226, -0.24613355406481327, -0.5558657807935545,
  -3.513470502076629, 3.6649890424406175, 0.524983234564226, 0.8508030327785525, 0.0275241626474706, 5.332575988676209, 0.11591657750710396,
  0.13865484604722084, -4.578477157748543, 4.541881726950779, 0.11147930758994773, -0.7831667805636854, -1.4292892315794523,
  4.180879819672265, -0.3334966741984413,
];
const Y = [
  6.557194060843212, -0.605413611424652, -6.109372269741849, 1.4172601672797964, 1.4246053738037783, -0.7508327734671254, -3.1649978485611,
  -0.9776862062014947, -0.2692388371544032, -4.726016667072792, -0.2595739356342638, 1.4127213478335023, -0.7120533433570431,
  -0.36948519926922435, 5.72706848414206, -1.7866953224364372, -0.4564870649926846, -0.794359265490128, 2.511586190205998,
  3.0838905604996847, 1.9132285990505555, 3.2436118227997532, 3.437681780185193, -1.5404976430556832, -1.593016733274176,
  0.22273228903627706, -1.420227129531356, -2.771690534184482, -1.386016699495199, -2.815714004466403, -0.24720100534366451,
  3.4368413149353882, -0.32047660038414694, 0.26507569927501906, -0.5471906816014033, -2.9165265426811446, 1.50471480068048,
  1.903076720785613, 2.6256520957332747, 0.455753945151384,
];
const N = 40,
  K = 4;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** KKT conditions of the DESIGN.md objective at (b, c) on centred data: returns the worst violation. */
function kktViolation(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  n: number,
  k: number,
  b: ArrayLike<number>,
  c: number,
  l1: number,
  l2: number,
): number {
  let worst = 0;
  for (let f = 0; f < k; f++) {
    let g = 0;
    for (let t = 0; t < n; t++) {
      let e = y[t] - c;
      for (let h = 0; h < k; h++) e -= x[t * k + h] * b[h];
      g += x[t * k + f] * e;
    }
    const grad = g / n - l2 * b[f]; // must lie in l1·∂|b_f|
    if (b[f] === 0) worst = Math.max(worst, Math.abs(grad) - l1);
    else worst = Math.max(worst, Math.abs(grad - l1 * Math.sign(b[f])));
  }
  return worst;
}

/** Independent solver: proximal gradient (ISTA) on the centred problem, many iterations. */
function ista(y: number[], x: number[], n: number, k: number, l1: number, l2: number): Float64Array {
  const ym = y.reduce((s, v) => s + v, 0) / n;
  const xm = Array.from({ length: k }, (_, f) => x.filter((_, i) => i % k === f).reduce((s, v) => s + v, 0) / n);
  const xc = x.map((v, i) => v - xm[i % k]);
  const yc = y.map((v) => v - ym);
  let lip = 0;
  for (let f = 0; f < k; f++) for (let t = 0; t < n; t++) lip += xc[t * k + f] ** 2 / n;
  lip += l2;
  const b = new Float64Array(k);
  for (let it = 0; it < 60000; it++) {
    const grad = new Float64Array(k);
    for (let t = 0; t < n; t++) {
      let e = yc[t];
      for (let f = 0; f < k; f++) e -= xc[t * k + f] * b[f];
      for (let f = 0; f < k; f++) grad[f] -= (xc[t * k + f] * e) / n;
    }
    for (let f = 0; f < k; f++) {
      const z = b[f] - (grad[f] + l2 * b[f]) / lip;
      b[f] = Math.sign(z) * Math.max(Math.abs(z) - l1 / lip, 0);
    }
  }
  return b;
}

describe('penalized regression', () => {
  it('elastic net matches sklearn ElasticNet(alpha = l1 + l2, l1_ratio = l1/(l1 + l2))', () => {
    const r = elasticNet(Y, X, K, { l1: 0.2, l2: 0.1, tol: 1e-14, maxIter: 100000 });
    [0.909152100966247, -0.4999141501014768, 0, 0.0].forEach((v, i) => expect(r.coef[i]).toBeCloseTo(v, 9));
    expect(r.intercept).toBeCloseTo(0.2566848015217439, 9);
    expect(r.converged).toBe(true);
    expect(r.coef[2]).toBe(0);
    expect(kktViolation(Y, X, N, K, r.coef, r.intercept, 0.2, 0.1)).toBeLessThan(1e-9);
  });

  it('lasso matches sklearn Lasso(alpha = l1)', () => {
    const r = lasso(Y, X, K, { l1: 0.1, tol: 1e-14, maxIter: 100000 });
    [1.045605350900594, -0.5033051473894236, -0.02306240732481838, 0.0].forEach((v, i) => expect(r.coef[i]).toBeCloseTo(v, 9));
    expect(r.intercept).toBeCloseTo(0.38738644802266475, 9);
  });

  it('ridge matches sklearn Ridge(alpha = n·l2) and the closed form with ml-matrix', () => {
    const r = ridge(Y, X, K, { l2: 0.5 });
    [0.8319683014356715, -0.49989731282619077, -0.06935689466180084, 0.0686927831665273].forEach((v, i) =>
      expect(r.coef[i]).toBeCloseTo(v, 11),
    );
    expect(r.intercept).toBeCloseTo(0.6169958912322392, 11);
    // closed form on the augmented system [1, X] with the intercept unpenalised
    const z = new Matrix(Array.from({ length: N }, (_, t) => [1, ...X.slice(t * K, t * K + K)]));
    const a = z.transpose().mmul(z);
    for (let f = 1; f <= K; f++) a.set(f, f, a.get(f, f) + N * 0.5);
    const sol = solve(a, z.transpose().mmul(Matrix.columnVector(Y))).getColumn(0);
    expect(r.intercept).toBeCloseTo(sol[0], 11);
    for (let f = 0; f < K; f++) expect(r.coef[f]).toBeCloseTo(sol[f + 1], 11);
    // l1 = 0 in elasticNet is the same closed form
    expect(Array.from(elasticNet(Y, X, K, { l2: 0.5 }).coef)).toEqual(Array.from(r.coef));
  });

  it('normalize: standardise (ddof = 0), fit, map back to original units', () => {
    const r = elasticNet(Y, X, K, { l1: 0.2, l2: 0.1, normalize: true, tol: 1e-14, maxIter: 100000 });
    [0.8967506062040156, -0.4215683773144946, 0, 0.0].forEach((v, i) => expect(r.coef[i]).toBeCloseTo(v, 9));
    expect(r.intercept).toBeCloseTo(0.24580894093360517, 9);
    // ridge with normalize equals ridge on standardised columns, mapped back
    const sd = Array.from({ length: K }, (_, f) => {
      const col = Array.from({ length: N }, (_, t) => X[t * K + f]);
      const m = col.reduce((s, v) => s + v, 0) / N;
      return Math.sqrt(col.reduce((s, v) => s + (v - m) ** 2, 0) / N);
    });
    const xs = X.map((v, i) => v / sd[i % K]);
    const a = ridge(Y, X, K, { l2: 0.3, normalize: true });
    const b = ridge(Y, xs, K, { l2: 0.3 });
    for (let f = 0; f < K; f++) expect(a.coef[f]).toBeCloseTo(b.coef[f] / sd[f], 12);
    expect(a.intercept).toBeCloseTo(b.intercept, 12);
  });

  it('default settings: polished to the exact optimum, duality gap at rounding level, sweeps counted', () => {
    const r = elasticNet(Y, X, K, { l1: 0.2, l2: 0.1 });
    expect(r.converged).toBe(true);
    expect(r.polished).toBe(true);
    expect(r.nIter).toBeLessThan(20);
    const ym = Y.reduce((s, v) => s + v, 0) / N;
    const yvar = Y.reduce((s, v) => s + (v - ym) ** 2, 0) / N;
    expect(Math.abs(r.dualGap)).toBeLessThan(1e-14 * yvar);
    [0.909152100966247, -0.4999141501014768, 0, 0.0].forEach((v, i) => expect(Math.abs(r.coef[i] - v)).toBeLessThan(1e-13));
    // without the polish, two sweeps at an unreachable tolerance do not converge
    const few = elasticNet(Y, X, K, { l1: 0.01, l2: 0, tol: 1e-15, maxIter: 2, polish: false });
    expect(few.converged).toBe(false);
    expect(few.polished).toBe(false);
    expect(few.nIter).toBe(2);
    expect(few.dualGap).toBeGreaterThan(0);
    // with it, the active set of those two sweeps is already right: the polish makes them exact
    const fewPolished = elasticNet(Y, X, K, { l1: 0.01, l2: 0, tol: 1e-15, maxIter: 2 });
    const exact = elasticNet(Y, X, K, { l1: 0.01, l2: 0 });
    expect(fewPolished.polished).toBe(true);
    expect(fewPolished.converged).toBe(true);
    for (let f = 0; f < K; f++) expect(Math.abs(fewPolished.coef[f] - exact.coef[f])).toBeLessThan(1e-13);
    // warm start from the solution: one sweep, then the polish
    const ws = elasticNet(Y, X, K, { l1: 0.2, l2: 0.1, warmStart: r.coef });
    expect(ws.nIter).toBe(1);
    expect(ws.polished).toBe(true);
    // a loose tolerance without the polish is sklearn's default behaviour: close, not exact
    const loose = elasticNet(Y, X, K, { l1: 0.2, l2: 0.1, tol: 1e-4, polish: false });
    expect(loose.converged).toBe(true);
    expect(loose.dualGap).toBeLessThan(1e-4 * yvar);
  });

  it('tiny case: one regressor has the soft-threshold closed form', () => {
    // x centred = (−1, 0, 1), y centred = (−2, 0, 2)+1: x'y/n = 4/3, x'x/n = 2/3
    const r = elasticNet([-1, 1, 3], [-1, 0, 1], 1, { l1: 0.5, l2: 0.25, tol: 1e-14 });
    expect(r.coef[0]).toBeCloseTo((4 / 3 - 0.5) / (2 / 3 + 0.25), 13);
    expect(r.intercept).toBeCloseTo(1, 13);
    // l1 beyond |x'y/n| zeroes the slope
    expect(elasticNet([-1, 1, 3], [-1, 0, 1], 1, { l1: 2 }).coef[0]).toBe(0);
  });

  it('constant columns and NaN rows', () => {
    const x = [1, 5, 2, 5, 3, 5, 4, 5, NaN, 5];
    const y = [1, 2, 2.5, 4.2, 100];
    const r = elasticNet(y, x, 2, { l1: 0.01, normalize: true, tol: 1e-12 });
    expect(r.constant).toEqual([1]);
    expect(r.coef[1]).toBe(0);
    expect(r.nobs).toBe(4);
    expect(r.residuals[4]).toBeNaN();
  });

  it('property: KKT holds and ISTA agrees on random small problems', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (seed, k, l1, l2) => {
          const n = 12;
          const r = lcg(seed);
          const x = Array.from({ length: n * k }, () => r());
          const y = Array.from({ length: n }, (_, t) => x[t * k] - 0.5 * (k > 1 ? x[t * k + 1] : 0) + 0.3 * r());
          const fit = elasticNet(y, x, k, { l1, l2, tol: 1e-13, maxIter: 100000 });
          expect(fit.converged).toBe(true);
          expect(kktViolation(y, x, n, k, fit.coef, fit.intercept, l1, l2)).toBeLessThan(1e-7);
          const ref = ista(y, x, n, k, l1, l2);
          for (let f = 0; f < k; f++) expect(Math.abs(fit.coef[f] - ref[f])).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('batched fit equals per-series fits on each series sample (NaN patterns, normalize, ridge)', () => {
    const n = 50,
      k = 3,
      m = 6;
    const r = lcg(99);
    const x = Array.from({ length: n * k }, () => r());
    x[4 * k] = NaN;
    const y = Array.from({ length: n * m }, (_, i) => {
      const t = Math.floor(i / m);
      return x[t * k] * (1 + (i % m)) - x[t * k + 2] + 0.2 * r();
    });
    for (let i = 0; i < y.length; i++) if (r() < -0.35 && i % m > 1) y[i] = NaN;
    for (let t = 0; t < n; t++) if (t > 3) y[t * m + 5] = NaN; // too few observations
    for (const opts of [
      { l1: 0.01, l2: 0.02, normalize: true },
      { l1: 0.02 },
      { l2: 0.1, normalize: true },
      { l1: 0.01, intercept: false },
    ]) {
      const full = { ...opts, tol: 1e-13, maxIter: 100000 };
      const batch = elasticNetBatch(y, n, m, x, k, full);
      expect(batch.skipped).toEqual([5]);
      expect(batch.coef[5 * k]).toBeNaN();
      for (let j = 0; j < 5; j++) {
        const yj = Array.from({ length: n }, (_, t) => y[t * m + j]);
        const one = elasticNet(yj, x, k, full);
        expect(batch.nobs[j]).toBe(one.nobs);
        for (let f = 0; f < k; f++) expect(batch.coef[j * k + f]).toBeCloseTo(one.coef[f], 9);
        expect(batch.intercept[j]).toBeCloseTo(one.intercept, 9);
        expect(batch.converged[j]).toBe(1);
        for (let t = 0; t < n; t++) {
          if (Number.isNaN(one.residuals[t])) expect(batch.residuals![t * m + j]).toBeNaN();
          else expect(batch.residuals![t * m + j]).toBeCloseTo(one.residuals[t], 9);
        }
      }
    }
  });
});

/** The DESIGN.md objective (1/(2n))·||y − X·b − c||² + l1·||b||₁ + (l2/2)·||b||² on the complete rows. */
function objective(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  n: number,
  k: number,
  b: ArrayLike<number>,
  c: number,
  l1: number,
  l2: number,
): number {
  let ss = 0,
    a1 = 0,
    a2 = 0;
  for (let t = 0; t < n; t++) {
    let e = y[t] - c;
    for (let f = 0; f < k; f++) e -= x[t * k + f] * b[f];
    ss += e * e;
  }
  for (let f = 0; f < k; f++) {
    a1 += Math.abs(b[f]);
    a2 += b[f] * b[f];
  }
  return ss / (2 * n) + l1 * a1 + 0.5 * l2 * a2;
}

/** Columns 1..k of the n×n Sylvester-Hadamard matrix (n a power of 2): ±1, mean 0, mutually orthogonal. */
function hadamardColumns(n: number, k: number): number[] {
  const h = (t: number, f: number): number => {
    let v = t & f,
      p = 0;
    while (v) {
      p ^= v & 1;
      v >>= 1;
    }
    return p ? -1 : 1;
  };
  return Array.from({ length: n * k }, (_, i) => h(Math.floor(i / k), (i % k) + 1));
}

describe('penalized regression: exact optimum (polish)', () => {
  it('orthogonal design: b_f = soft(x_fᵀỹ/n, l1) / (x_fᵀx_f/n + l2), c = ȳ − x̄ᵀb, to 1e-12', () => {
    // hand-checkable: 4 rows, columns h1 = (1,−1,1,−1), h2 = (1,1,−1,−1); y = (3, 1, 0, −2)
    // h1ᵀy/4 = (3 − 1 + 0 + 2)/4 = 1, h2ᵀy/4 = (3 + 1 − 0 + 2)/4 = 1.5, ȳ = 0.5
    // l1 = 0.25, l2 = 0.5: b1 = 0.75/1.5 = 0.5, b2 = 1.25/1.5 = 5/6; l1 = 1.2 zeroes b1 only
    const x4 = [1, 1, -1, 1, 1, -1, -1, -1],
      y4 = [3, 1, 0, -2];
    const r = elasticNet(y4, x4, 2, { l1: 0.25, l2: 0.5 });
    expect(Math.abs(r.coef[0] - 0.5)).toBeLessThan(1e-15);
    expect(Math.abs(r.coef[1] - 5 / 6)).toBeLessThan(1e-15);
    expect(Math.abs(r.intercept - 0.5)).toBeLessThan(1e-15);
    expect(r.polished).toBe(true);
    const z = lasso(y4, x4, 2, { l1: 1.2 });
    expect(z.coef[0]).toBe(0);
    expect(Math.abs(z.coef[1] - 0.3)).toBeLessThan(1e-15);

    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0, 0.05, 0.3, 2),
        fc.boolean(),
        (seed, logN, kWant, u, l2, normalize) => {
          const n = 2 ** (logN + 1),
            k = Math.min(kWant, n - 1);
          const r = lcg(seed);
          const d = Array.from({ length: k }, () => (r() < 0 ? -1 : 1) * (0.2 + 3 * (r() + 0.5))); // column scales (signed)
          const mu = Array.from({ length: k }, () => 4 * r()); // column means
          const h = hadamardColumns(n, k);
          const x = h.map((v, i) => mu[i % k] + d[i % k] * v);
          const y = Array.from({ length: n }, () => 2 * r());
          const ybar = y.reduce((s, v) => s + v, 0) / n;
          const hy = Array.from({ length: k }, (_, f) => {
            let s = 0;
            for (let t = 0; t < n; t++) s += h[t * k + f] * (y[t] - ybar);
            return s / n;
          });
          const zMax = Math.max(...hy.map((v, f) => Math.abs(v * (normalize ? 1 : d[f]))));
          const l1 = u * 1.2 * zMax; // includes 0 (ridge) and l1 > every |x_fᵀỹ/n| (all zero)
          const fit = elasticNet(y, x, k, { l1, l2, normalize });
          let c = ybar;
          for (let f = 0; f < k; f++) {
            // centred column: d_f·h_f (raw) or sign(d_f)·h_f (standardised, sd = |d_f|)
            const s = normalize ? Math.sign(d[f]) : d[f];
            const zf = s * hy[f];
            const soft = Math.sign(zf) * Math.max(Math.abs(zf) - l1, 0);
            const bt = soft / (s * s + l2);
            const bf = normalize ? bt / Math.abs(d[f]) : bt;
            expect(Math.abs(fit.coef[f] - bf)).toBeLessThan(1e-12 * Math.max(1, Math.abs(bf)));
            if (soft === 0 && l1 > 0) expect(fit.coef[f]).toBe(0);
            c -= mu[f] * bf;
          }
          expect(Math.abs(fit.intercept - c)).toBeLessThan(1e-12 * Math.max(1, Math.abs(c)));
          expect(fit.polished).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: random designs satisfy the KKT conditions to 1e-10 and no objective beats the result', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 1, max: 8 }),
        fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1.1, noNaN: true })),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.boolean(),
        (seed, n, k, u, l2, rho, normalize) => {
          const r = lcg(seed);
          // correlated regressors (common component of weight rho), unequal scales and means
          const scale = Array.from({ length: k }, () => 0.1 + 4 * (r() + 0.5));
          const x: number[] = [];
          for (let t = 0; t < n; t++) {
            const common = r();
            for (let f = 0; f < k; f++) x.push(f + scale[f] * (rho * common + Math.sqrt(1 - rho * rho) * r()));
          }
          const beta = Array.from({ length: k }, () => (r() < -0.2 ? 0 : 2 * r()));
          const y = Array.from({ length: n }, (_, t) => 0.7 + beta.reduce((s, b, f) => s + b * x[t * k + f], 0) + 0.5 * r());
          const m = centredMoments(y, x, k, true, normalize);
          const l1 = u * Math.max(...Array.from(m.xty, (v) => Math.abs(v) / n)); // 0 (ridge) up to past the all-zero point
          if (l1 === 0 && l2 === 0) return; // OLS: not a penalised fit
          const fit = elasticNet(y, x, k, { l1, l2, normalize });
          expect(fit.converged).toBe(true);
          expect(fit.polished).toBe(true);
          // KKT of the problem actually solved (standardised columns when normalize), from the raw rows
          const xs = x.map((v, i) => (normalize ? v / m.scale[i % k] : v));
          const bs = Array.from(fit.coef, (v, f) => (normalize ? v * m.scale[f] : v));
          expect(kktViolation(y, xs, n, k, bs, fit.intercept, l1, l2)).toBeLessThan(1e-10);
          const best = objective(y, xs, n, k, bs, fit.intercept, l1, l2);
          // not above coordinate descent alone run as far as it goes, nor any nearby point
          const cd = elasticNet(y, x, k, { l1, l2, normalize, polish: false, tol: 1e-15, maxIter: 100_000 });
          const bcd = Array.from(cd.coef, (v, f) => (normalize ? v * m.scale[f] : v));
          expect(best).toBeLessThanOrEqual(objective(y, xs, n, k, bcd, cd.intercept, l1, l2) + 1e-13 * best);
          for (let f = 0; f < k; f++) {
            for (const eps of [1e-6, -1e-6]) {
              const b2 = bs.slice();
              b2[f] += eps;
              expect(best).toBeLessThanOrEqual(objective(y, xs, n, k, b2, fit.intercept, l1, l2) + 1e-13 * best);
            }
          }
          expect(Math.abs(fit.dualGap)).toBeLessThan(1e-13 * (m.yty / n));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('l1 at the rounding level: polished at once (no run to maxIter on a gap that cannot close)', () => {
    for (const l2 of [0, 0.1]) {
      const r = elasticNet(Y, X, K, { l1: 1e-300, l2 });
      expect(r.polished).toBe(true);
      expect(r.nIter).toBeLessThan(100);
      const ref = ridge(Y, X, K, { l2: l2 === 0 ? 0 : l2 }); // l1 → 0: ridge (OLS for l2 = 0)
      for (let f = 0; f < K; f++) expect(Math.abs(r.coef[f] - ref.coef[f])).toBeLessThan(1e-12);
    }
  });

  it('property: feature-sign search from any start ends at the verified optimum, also on nearly collinear regressors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.01, max: 1.1, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
        fc.constantFrom(0, 0.9, 0.999, 0.99999),
        fc.constantFrom('zero', 'random', 'cd'),
        (seed, n, k, u, l2, rho, from) => {
          const r = lcg(seed);
          const x: number[] = [];
          for (let t = 0; t < n; t++) {
            const c = r();
            for (let f = 0; f < k; f++) x.push(rho * c + Math.sqrt(1 - rho * rho) * r());
          }
          const y = Array.from({ length: n }, (_, t) => x[t * k] - 0.5 * x[t * k + k - 1] + 0.3 * r());
          const m = centredMoments(y, x, k, true, true);
          const l1 = u * Math.max(...Array.from(m.xty, (v) => Math.abs(v) / n));
          const alpha = l1 * n,
            beta = l2 * n;
          const start =
            from === 'zero'
              ? new Float64Array(k)
              : from === 'random'
                ? Float64Array.from({ length: k }, () => (r() < -0.2 ? 0 : 4 * r()))
                : elasticNetGram(m.gram, m.xty, m.yty, n, k, l1, l2, 1e-4, 3, undefined, false).coef; // 3 sweeps of CD
          const b = featureSign(m.gram, m.xty, k, alpha, beta, start);
          expect(b).not.toBeNull();
          const p = polishKkt(m.gram, m.xty, k, alpha, beta, b!);
          expect(p).not.toBeNull();
          const fit = elasticNet(y, x, k, { l1, l2, normalize: true });
          expect(fit.polished).toBe(true);
          expect(fit.nIter).toBeLessThanOrEqual(64); // the every-64-sweeps check bounds CD's crawl
          const size = Math.max(1e-300, ...Array.from(p!, Math.abs));
          for (let f = 0; f < k; f++) {
            expect(Math.abs(p![f] - fit.coef[f] * m.scale[f])).toBeLessThan(1e-9 * size);
            expect(Math.sign(p![f])).toBe(Math.sign(fit.coef[f]));
          }
          const xs = x.map((v, i) => v / m.scale[i % k]);
          expect(
            kktViolation(
              y,
              xs,
              n,
              k,
              Array.from(fit.coef, (v, f) => v * m.scale[f]),
              fit.intercept,
              l1,
              l2,
            ),
          ).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('polishKkt rejects a wrong active set, a wrong sign and a singular system', () => {
    const m = centredMoments(Y, X, K, true, true);
    const l1 = 0.2,
      l2 = 0.1,
      alpha = l1 * N,
      beta = l2 * N;
    const exact = elasticNet(Y, X, K, { l1, l2, normalize: true });
    const w = Array.from(exact.coef, (v, f) => v * m.scale[f]); // standardised units: active {0, 1}
    const p = polishKkt(m.gram, m.xty, K, alpha, beta, w)!;
    for (let f = 0; f < K; f++) expect(Math.abs(p[f] - w[f])).toBeLessThan(1e-14);
    expect(polishKkt(m.gram, m.xty, K, alpha, beta, [w[0], 0, 0, 0])).toBeNull(); // x1 should be active
    expect(polishKkt(m.gram, m.xty, K, alpha, beta, [w[0], w[1], 1, 0])).toBeNull(); // x2 should not
    expect(polishKkt(m.gram, m.xty, K, alpha, beta, [w[0], -w[1], 0, 0])).toBeNull(); // wrong sign
    // two identical columns, both active, no ridge term: singular
    const xd = Array.from({ length: N * 2 }, (_, i) => X[Math.floor(i / 2) * K]);
    const md = centredMoments(Y, xd, 2, true, false);
    expect(polishKkt(md.gram, md.xty, 2, 0.01 * N, 0, [0.5, 0.5])).toBeNull();
    // coordinate descent then keeps its own (non-unique) optimum, certified by the gap alone
    const g = elasticNetGram(md.gram, md.xty, md.yty, N, 2, 0.01, 0, 1e-12, 10_000, [0.5, 0.5]);
    expect(g.polished).toBe(false);
    expect(g.converged).toBe(true);
    expect(g.dualGap).toBeLessThan((1e-12 * md.yty) / N);
    expect(g.coef[0]).toBeGreaterThan(0);
    expect(g.coef[1]).toBeGreaterThan(0);
  });

  it('batched fits are polished too, with the same gap as the single-series route', () => {
    const n = 60,
      k = 5,
      m = 4;
    const r = lcg(7);
    const x = Array.from({ length: n * k }, () => r());
    const y = Array.from({ length: n * m }, (_, i) => {
      const t = Math.floor(i / m);
      return x[t * k] * (1 + (i % m)) - 0.4 * x[t * k + 3] + 0.3 * r();
    });
    const batch = elasticNetBatch(y, n, m, x, k, { l1: 0.01, l2: 0.02, normalize: true });
    for (let j = 0; j < m; j++) {
      const one = elasticNet(
        Array.from({ length: n }, (_, t) => y[t * m + j]),
        x,
        k,
        { l1: 0.01, l2: 0.02, normalize: true },
      );
      expect(batch.polished[j]).toBe(1);
      expect(one.polished).toBe(true);
      for (let f = 0; f < k; f++) expect(Math.abs(batch.coef[j * k + f] - one.coef[f])).toBeLessThan(1e-13);
      expect(Math.abs(batch.dualGap[j])).toBeLessThan(1e-15);
    }
    const rb = elasticNetBatch(y, n, m, x, k, { l2: 0.02 });
    expect(Array.from(rb.polished)).toEqual([1, 1, 1, 1]);
    expect(Array.from(rb.dualGap)).toEqual([0, 0, 0, 0]);
  });
});

describe('ridge with l2 = 0 is OLS: a rank-deficient design is flagged as ols flags it', () => {
  // 4 observations, 5 regressors: an interpolating fit was returned with no flag
  const y = [1, 2, 0.5, 3];
  const x = [1, 2, 3, 0, 1, 1, 2, 2, 5, 1, 0, 3, 4, 4, 1, 2, 1, 1, 2, 2];

  it('fewer observations than regressors: the unidentified columns are NaN and listed (the ones ols names)', () => {
    const r = ridge(y, x, 5, { l2: 0 });
    expect(r.collinear).toEqual([1, 4]);
    expect(ols(y, x, 5, { minObs: 1 }).issue?.collinear).toEqual([1, 4]); // ols fits none: df = 0
    expect(Array.from(r.coef, Number.isNaN)).toEqual([false, true, false, false, true]);
    for (const e of r.residuals) expect(Math.abs(e)).toBeLessThan(1e-9); // the rest interpolates y
    expect(elasticNet(y, x, 5, { l1: 0, l2: 0 }).collinear).toEqual([1, 4]);
    expect(ridge(y, x, 5, { l2: 0.01 }).collinear).toEqual([]);
  });

  it('a collinear regressor: the same coefficients as ols, NaN where ols has NaN', () => {
    const n = 12,
      xs = new Float64Array(n * 3),
      ys = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const a = Math.sin(t + 1),
        b = Math.cos(2 * t);
      xs.set([a, b, a - 2 * b], t * 3);
      ys[t] = 0.3 + a - 0.5 * b + 0.1 * Math.sin(7 * t);
    }
    const r = ridge(ys, xs, 3, { l2: 0 });
    const o = ols(ys, xs, 3);
    expect(r.collinear).toEqual([2]);
    expect(o.issue?.collinear).toEqual([2]);
    expect(r.coef[2]).toBeNaN();
    for (let f = 0; f < 2; f++) expect(r.coef[f]).toBeCloseTo(o.coef[f + 1], 9);
    expect(r.intercept).toBeCloseTo(o.coef[0], 9);
  });

  it('the batch lists them per series', () => {
    const b = elasticNetBatch({ y, n: 4, m: 1, x, k: 5 }, { l1: 0, l2: 0, minObs: 1 });
    const r = ridge(y, x, 5, { l2: 0 });
    expect(b.collinear).toEqual([{ series: 0, columns: r.collinear }]);
    for (let f = 0; f < 5; f++) {
      if (r.collinear.includes(f)) expect(b.coef[f]).toBeNaN();
      else expect(b.coef[f]).toBeCloseTo(r.coef[f], 9);
    }
    expect(b.residuals![0]).toBeCloseTo(r.residuals[0], 9);
  });
});
