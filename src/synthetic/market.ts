/**
 * A seeded synthetic equity market with planted, known truth: factor exposures, alphas,
 * idiosyncratic vols, listing windows, missing cells, bad ticks and a cross-sectional signal with
 * a known information coefficient (IC). The same options give bit-identical output on the same
 * JavaScript engine (see random.ts for why across engines only to ~1 ulp).
 *
 * ## Model (rows t = 0..n-1 of the calendar, assets i = 0..m-1)
 *
 * - Factor excess returns `f_t ~ N(mu, Sigma)` (factors.ts), drawn for every row.
 * - Risk-free rate: annual `a_t = max(0, 0.02 + x_t)`, `x_t = 0.998 x_{t-1} + 0.0003 eps_t`,
 *   `x_0 = 0` (stationary sd ~0.47%); daily `rf_t = a_t / 252`.
 * - Asset i: sector `g(i)` (balanced: a shuffled round robin over the sectors); alpha
 *   `alpha_i ~ N(0, (0.02/252)^2)` daily; exposures
 *   `beta_{i,mkt} = 1 + tilt_{g,mkt} + 0.25 z` (fixed sector tilts, e.g. Utilities -0.45,
 *   Information Technology +0.2) and `beta_{ik} = tilt_{gk} + 0.4 z` for the other factors with
 *   `tilt_{gk} ~ N(0, 0.2^2)` per sector; idiosyncratic vol `sigma_i ~ U(20%, 40%) / sqrt(252)`;
 *   first price `p0_i ~ U(10, 200)` rounded to cents.
 * - Simple return of asset i on row t >= 1:
 *   `r_it = rf_t + u_it + kappa_t s_{t-1,i}` with `u_it = alpha_i + sum_k beta_ik f_kt + sigma_i e_it`,
 *   `e_it ~ N(0, 1)`. So the excess return is `alpha_i + beta_i' f_t + (sigma_i e_it + kappa_t s_{t-1,i})`:
 *   the planted signal term is part of the idiosyncratic return and independent of the factors.
 * - Prices: `p_{first_i} = p0_i`, `p_t = p_{t-1} (1 + r_t)`; NaN outside the listing window
 *   `[first_i, last_i]`.
 *
 * ## Planted signal and its IC
 *
 * The signal is `s_t,i = z_t,i`, an AR(1) in time, independent across assets:
 * `z_0 = eta_0`, `z_t = rho z_{t-1} + sqrt(1 - rho^2) eta_t`, `eta ~ N(0, 1)` iid, so every
 * cross-section is standard normal and the signal's autocorrelation is `rho`
 * (`signalAutocorrelation`, default 0.95: a half-life of ~13.5 rows, realistic turnover).
 *
 * The loading is `kappa_t = k sqrt(V_t)` where `V_t` is the cross-sectional sample variance
 * (ddof = 1, over all m assets) of the non-signal part `u_t` on row t: the planted component is
 * scaled by the realised dispersion of the rest of the return (`kappa_0 = 0`, and `kappa_t = 0`
 * when m = 1, where no cross-section exists). With horizon h,
 * `B = sum_{j=0}^{h-1} rho^j`, `A = sum_{j,l=0}^{h-1} rho^{|j-l|} = h + 2 sum_{d=1}^{h-1} (h-d) rho^d`
 * and target IC `c`,
 *
 *     k = c sqrt(h / (B^2 - c^2 A)),     which for h = 1 is  k = c / sqrt(1 - c^2).
 *
 * Why: the forward return `fwd_h(t) = p_{t+h}/p_t - 1` is, up to compounding,
 * `sum_{j=1}^{h} (u_{t+j} + kappa_{t+j} z_{t+j-1})` plus terms common to all assets (rf).
 * Across assets, `Cov(z_t, z_{t+j}) = rho^j`, so `Cov(z_t, fwd) = k sqrt(V) B`,
 * `Var(planted) = k^2 V A` and `Var(sum of u) = h V` (V the per-row dispersion), giving
 * `corr = k B / sqrt(k^2 A + h)`, which equals c for the k above.
 *
 * Exactness: for h = 1 the forward return is exactly `r_{t+1}`, and given the realised
 * non-signal cross-section `u_{t+1}` (any distribution) the population correlation over the
 * draw of `z_t` is `kappa / sqrt(kappa^2 + V_{t+1}) = k / sqrt(k^2 + 1) = c` exactly on every row.
 * The expected *sample* Pearson correlation on n assets is then c up to an O(1/n) small-sample
 * term (about `-c (1 - c^2) / (2n)`: -8e-5 for c = 0.05, n = 300), far below the sampling error
 * of a mean IC (about `1 / sqrt(n * rows)`). For h > 1 the formula assumes the dispersion is the
 * same on the h rows and ignores compounding; the error is a small fraction of c.
 * The largest IC a horizon admits is `B / sqrt(A)` (|c| must be below it).
 *
 * ## Data defects
 *
 * - Listing: `round(lateListingShare m)` assets (a random set) list late, first row uniform in
 *   `1..L` with `L = max(1, floor((n-1)/2))`; `min(round(delistingShare m), m - late)` other
 *   assets delist early, last row uniform in `n-1-L..n-2`. Every asset has at least one row.
 * - Missing at random: exactly `round(missingShare * listed cells)` listed price cells (chosen
 *   uniformly without replacement) are NaN; `truth.missing` lists them.
 * - Bad ticks: `badTicks` cells where the observed price is the true price / 10 for one row; each
 *   at a row 1..n-2 whose price and both neighbours are present, at least 2 rows from another bad
 *   tick of the same asset.
 * - Returns are `simpleReturns(prices)` (core): NaN where either price is missing; they include the
 *   bad ticks' -90% / +900% jumps. The model above describes the clean returns.
 *
 * Every part draws from its own stream of the seed (factors, rf, assets, idiosyncratic,
 * signal, listing, missing, bad ticks), so e.g. changing `missingShare` leaves the factor returns
 * unchanged.
 */
import type { Calendar } from '../core/calendar.js';
import { checkOptionNames, describeValue } from '../core/checks.js';
import { formatIsoDate, tryParseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { simpleReturns } from '../core/returns.js';
import { syntheticCalendar } from './calendar.js';
import { DEFAULT_FACTORS, type FactorModel, PERIODS_PER_YEAR, factorModel } from './factors.js';
import { Rng, checkSeed } from './random.js';

/** The eleven GICS sectors, in GICS code order. */
export const GICS_SECTORS: readonly string[] = [
  'Energy',
  'Materials',
  'Industrials',
  'Consumer Discretionary',
  'Consumer Staples',
  'Health Care',
  'Financials',
  'Information Technology',
  'Communication Services',
  'Utilities',
  'Real Estate',
];

/** Fixed market-beta tilt of each GICS sector (added to 1). */
const SECTOR_MARKET_TILT: Readonly<Record<string, number>> = {
  Energy: 0.1,
  Materials: 0.05,
  Industrials: 0.05,
  'Consumer Discretionary': 0.1,
  'Consumer Staples': -0.3,
  'Health Care': -0.1,
  Financials: 0.1,
  'Information Technology': 0.2,
  'Communication Services': 0,
  Utilities: -0.45,
  'Real Estate': -0.1,
};

export interface SyntheticMarketOptions {
  /** Seed (any safe integer). Default 42. */
  seed?: number;
  /** Number of assets. Default 300. */
  nAssets?: number;
  /** Number of rows (trading days), at least 2. Default 756 (~3 years). */
  nDates?: number;
  /** First calendar date (ISO); the first row is the first trading day on or after it. Default '2018-01-02'. */
  start?: string;
  /** Remove New Year's Day, July 4 and Christmas when on a weekday. Default true. */
  holidays?: boolean;
  /** Factor names (columns of `factorReturns`). Default ['mkt_rf','smb','hml','rmw','cma','mom']. */
  factors?: readonly string[];
  /** Number of sectors, 1..11 (the first n GICS sectors). Default 10. */
  nSectors?: number;
  /** Share of listed price cells missing at random, in [0, 1). Default 0.01. */
  missingShare?: number;
  /** Share of assets that list late, in [0, 1]. Default 0.1. */
  lateListingShare?: number;
  /** Share of assets that delist early, in [0, 1]. Default 0.05. */
  delistingShare?: number;
  /** Expected cross-sectional Pearson IC of the signal with the forward return. Default 0.05. */
  signalIC?: number;
  /** Horizon of that forward return, in rows. Default 1. */
  signalHorizon?: number;
  /** Day-to-day autocorrelation of the signal, in [0, 1). Default 0.95. */
  signalAutocorrelation?: number;
  /** Number of one-row bad prices (true price / 10) to plant. Default 0. */
  badTicks?: number;
}

/** What was planted. Per-asset arrays are in `assets` order. */
export interface SyntheticTruth {
  /** Daily alpha of each asset (decimal). */
  alpha: Float64Array;
  /** Exposure of each asset to each factor. */
  exposures: Record<string, Float64Array>;
  /** Daily idiosyncratic sd `sigma_i`, excluding the planted signal term. */
  idioVol: Float64Array;
  signalIC: number;
  signalHorizon: number;
  signalAutocorrelation: number;
  /** `kappa_t` per row (0 on row 0): the planted term on row t is `kappa_t * signal_{t-1}`. */
  signalLoading: Float64Array;
  /** The constant k of `kappa_t = k sqrt(V_t)`. */
  signalScale: number;
  /** First and last listed row of each asset. */
  listing: { first: number[]; last: number[] };
  /** Date-major flat indices `t * nAssets + i` of the price cells removed at random, increasing. */
  missing: Int32Array;
  /** Planted bad prices, by date then asset order. */
  badTicks: { asset: string; date: string }[];
  /** The factor model the returns were drawn from. */
  factorModel: FactorModel;
}

export interface SyntheticMarket {
  dates: Calendar;
  assets: string[];
  /** Daily factor excess returns (decimal), one column per factor. */
  factorReturns: Frame;
  /** Daily risk-free rate (decimal), one per row. */
  rf: Float64Array;
  /** Observed prices (NaN when not listed or missing; bad ticks included). */
  prices: Panel;
  /** `simpleReturns(prices)`. */
  returns: Panel;
  /** Sector name of each asset. */
  sectors: Record<string, string>;
  /** Planted signal, NaN outside each asset's listing window. */
  signal: Panel;
  truth: SyntheticTruth;
}

/** Stream numbers of the seed, one per part of the model. */
const STREAM = { factors: 1, rf: 2, assets: 3, idio: 4, signal: 5, listing: 6, missing: 7, badTicks: 8 } as const;

interface Resolved {
  seed: number;
  nAssets: number;
  nDates: number;
  start: number;
  holidays: boolean;
  factors: readonly string[];
  nSectors: number;
  missingShare: number;
  lateListingShare: number;
  delistingShare: number;
  signalIC: number;
  signalHorizon: number;
  signalAutocorrelation: number;
  badTicks: number;
}

function bad(option: string, value: unknown, what: string): InputError {
  return new InputError(`option ${option} ${what}`, { value: String(value), hint: 'see SyntheticMarketOptions for the allowed values' });
}

// `{ assets, days }` (the CLI's flags) gave the default 300 x 756 market without a word
const OPTION_NAMES: Readonly<Record<keyof SyntheticMarketOptions, true>> = {
  seed: true,
  nAssets: true,
  nDates: true,
  start: true,
  holidays: true,
  factors: true,
  nSectors: true,
  missingShare: true,
  lateListingShare: true,
  delistingShare: true,
  signalIC: true,
  signalHorizon: true,
  signalAutocorrelation: true,
  badTicks: true,
};

function resolve(o: SyntheticMarketOptions): Resolved {
  checkOptionNames<SyntheticMarketOptions>('syntheticMarket options', o, OPTION_NAMES);
  // a number for start was a TypeError ("text.trim"); a string share or IC ('0.05') was coerced by the comparisons
  if (o.start !== undefined && typeof o.start !== 'string') throw bad('start', describeValue(o.start), 'must be an ISO date yyyy-mm-dd');
  for (const name of ['missingShare', 'lateListingShare', 'delistingShare', 'signalIC', 'signalAutocorrelation'] as const)
    if (o[name] !== undefined && typeof o[name] !== 'number') throw bad(name, describeValue(o[name]), 'must be a number');
  const r: Resolved = {
    seed: o.seed ?? 42,
    nAssets: o.nAssets ?? 300,
    nDates: o.nDates ?? 756,
    start: tryParseIsoDate(o.start ?? '2018-01-02'),
    holidays: o.holidays ?? true,
    factors: o.factors ?? DEFAULT_FACTORS,
    nSectors: o.nSectors ?? 10,
    missingShare: o.missingShare ?? 0.01,
    lateListingShare: o.lateListingShare ?? 0.1,
    delistingShare: o.delistingShare ?? 0.05,
    signalIC: o.signalIC ?? 0.05,
    signalHorizon: o.signalHorizon ?? 1,
    signalAutocorrelation: o.signalAutocorrelation ?? 0.95,
    badTicks: o.badTicks ?? 0,
  };
  checkSeed(r.seed);
  if (!Number.isSafeInteger(r.nAssets) || r.nAssets < 1) throw bad('nAssets', r.nAssets, 'must be a positive integer');
  if (!Number.isSafeInteger(r.nDates) || r.nDates < 2) throw bad('nDates', r.nDates, 'must be an integer of at least 2');
  if (Number.isNaN(r.start)) throw bad('start', o.start, 'must be an ISO date yyyy-mm-dd');
  if (!Number.isInteger(r.nSectors) || r.nSectors < 1 || r.nSectors > GICS_SECTORS.length) {
    throw bad('nSectors', r.nSectors, `must be an integer from 1 to ${GICS_SECTORS.length}`);
  }
  const share = (name: string, v: number, maxOpen: boolean): void => {
    if (!(v >= 0 && (maxOpen ? v < 1 : v <= 1))) throw bad(name, v, `must be in [0, 1${maxOpen ? ')' : ']'}`);
  };
  share('missingShare', r.missingShare, true);
  share('lateListingShare', r.lateListingShare, false);
  share('delistingShare', r.delistingShare, false);
  if (r.lateListingShare + r.delistingShare > 1) {
    throw bad('lateListingShare + delistingShare', r.lateListingShare + r.delistingShare, 'must be at most 1');
  }
  if (!(r.signalAutocorrelation >= 0 && r.signalAutocorrelation < 1)) {
    throw bad('signalAutocorrelation', r.signalAutocorrelation, 'must be in [0, 1)');
  }
  if (!Number.isInteger(r.signalHorizon) || r.signalHorizon < 1 || r.signalHorizon >= r.nDates) {
    throw bad('signalHorizon', r.signalHorizon, 'must be a positive integer below nDates');
  }
  const { maxIC } = signalConstants(r.signalHorizon, r.signalAutocorrelation, 0);
  if (!(Math.abs(r.signalIC) < maxIC)) {
    throw bad('signalIC', r.signalIC, `must be a number with |IC| < ${maxIC.toFixed(4)} for this horizon and autocorrelation`);
  }
  if (!Number.isInteger(r.badTicks) || r.badTicks < 0) throw bad('badTicks', r.badTicks, 'must be a non-negative integer');
  if (r.badTicks > 0 && r.nDates < 3) throw bad('badTicks', r.badTicks, 'needs nDates of at least 3');
  return r;
}

/**
 * The constants of the planted signal (see the module comment): `B`, `A`, the scale
 * `k = c sqrt(h / (B^2 - c^2 A))` and the largest admissible IC `B / sqrt(A)`.
 */
export function signalConstants(horizon: number, rho: number, ic: number): { A: number; B: number; k: number; maxIC: number } {
  let B = 0,
    A = horizon;
  for (let j = 0; j < horizon; j++) B += rho ** j;
  for (let d = 1; d < horizon; d++) A += 2 * (horizon - d) * rho ** d;
  const k = ic * Math.sqrt(horizon / (B * B - ic * ic * A));
  return { A, B, k, maxIC: B / Math.sqrt(A) };
}

/** Asset names `A001`, `A002`, ... (at least three digits). */
export function syntheticAssetNames(n: number): string[] {
  const width = Math.max(3, String(n).length);
  return Array.from({ length: n }, (_, i) => `A${String(i + 1).padStart(width, '0')}`);
}

/** Generates the market. See the module comment for the model and the planted truth. */
export function syntheticMarket(options: SyntheticMarketOptions = {}): SyntheticMarket {
  const o = resolve(options);
  const n = o.nDates,
    m = o.nAssets;
  const model = factorModel(o.factors);
  const K = model.names.length;
  const dates = syntheticCalendar(o.start, n, o.holidays);
  const assets = syntheticAssetNames(m);
  const sectorNames = GICS_SECTORS.slice(0, o.nSectors);

  // --- Assets: sectors, alpha, exposures, idiosyncratic vol, first price.
  const ra = new Rng(o.seed, STREAM.assets);
  const sectorOf = new Int32Array(m);
  const order = ra.shuffle(Array.from({ length: m }, (_, i) => i));
  for (let i = 0; i < m; i++) sectorOf[order[i]] = i % o.nSectors;
  const tilt = new Float64Array(o.nSectors * K); // tilt[g * K + k]
  for (let g = 0; g < o.nSectors; g++) {
    for (let k = 0; k < K; k++) {
      tilt[g * K + k] = model.names[k] === 'mkt_rf' ? SECTOR_MARKET_TILT[sectorNames[g]] : ra.normal(0, 0.2);
    }
  }
  const alpha = new Float64Array(m),
    idioVol = new Float64Array(m),
    p0 = new Float64Array(m);
  const beta = new Float64Array(m * K); // beta[i * K + k]
  for (let i = 0; i < m; i++) {
    alpha[i] = ra.normal(0, 0.02 / PERIODS_PER_YEAR);
    for (let k = 0; k < K; k++) {
      const isMarket = model.names[k] === 'mkt_rf';
      beta[i * K + k] = (isMarket ? 1 : 0) + tilt[sectorOf[i] * K + k] + ra.normal(0, isMarket ? 0.25 : 0.4);
    }
    idioVol[i] = ra.uniform(0.2, 0.4) / Math.sqrt(PERIODS_PER_YEAR);
    p0[i] = Math.round(ra.uniform(10, 200) * 100) / 100;
  }

  // --- Listing windows.
  const rl = new Rng(o.seed, STREAM.listing);
  const first = new Array<number>(m).fill(0),
    last = new Array<number>(m).fill(n - 1);
  const nLate = Math.round(o.lateListingShare * m);
  const nDelist = Math.min(Math.round(o.delistingShare * m), m - nLate);
  const L = Math.max(1, Math.floor((n - 1) / 2));
  const listOrder = rl.shuffle(Array.from({ length: m }, (_, i) => i));
  for (let c = 0; c < nLate; c++) first[listOrder[c]] = 1 + rl.int(L);
  for (let c = nLate; c < nLate + nDelist; c++) last[listOrder[c]] = n - 2 - rl.int(L);

  // --- Time loop: factors, rf, returns, prices, signal (date-major).
  const rfac = new Rng(o.seed, STREAM.factors),
    rrf = new Rng(o.seed, STREAM.rf);
  const ridio = new Rng(o.seed, STREAM.idio),
    rsig = new Rng(o.seed, STREAM.signal);
  const { k: signalScale } = signalConstants(o.signalHorizon, o.signalAutocorrelation, o.signalIC);
  const rho = o.signalAutocorrelation,
    innov = Math.sqrt(1 - rho * rho);
  const factorSeries = Array.from({ length: K }, () => new Float64Array(n));
  const rf = new Float64Array(n);
  const prices = new Float64Array(n * m);
  const signal = new Float64Array(n * m);
  const signalLoading = new Float64Array(n);
  const f = new Float64Array(K),
    xi = new Float64Array(K);
  const u = new Float64Array(m),
    z = new Float64Array(m),
    level = new Float64Array(m);
  const chol = model.cholesky;
  const firstRow = Int32Array.from(first),
    lastRow = Int32Array.from(last);
  let x = 0;
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < K; k++) xi[k] = rfac.normal();
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let l = 0; l <= k; l++) s += chol[k * K + l] * xi[l];
      f[k] = model.dailyMean[k] + model.dailySd[k] * s;
      factorSeries[k][t] = f[k];
    }
    if (t > 0) x = 0.998 * x + 0.0003 * rrf.normal();
    const rft = Math.max(0, 0.02 + x) / PERIODS_PER_YEAR;
    rf[t] = rft;

    // Non-signal part u and its cross-sectional variance V_t (two passes).
    let mean = 0;
    for (let i = 0; i < m; i++) {
      let v = alpha[i] + idioVol[i] * ridio.normal();
      const b = i * K;
      for (let k = 0; k < K; k++) v += beta[b + k] * f[k];
      u[i] = v;
      mean += v;
    }
    mean /= m;
    let ss = 0;
    for (let i = 0; i < m; i++) ss += (u[i] - mean) * (u[i] - mean);
    const kappa = t > 0 && m > 1 ? signalScale * Math.sqrt(ss / (m - 1)) : 0;
    signalLoading[t] = kappa;

    const row = t * m;
    for (let i = 0; i < m; i++) {
      // z still holds s_{t-1} here.
      const f0 = firstRow[i];
      if (t === f0) level[i] = p0[i];
      else if (t > f0) level[i] *= 1 + rft + u[i] + kappa * z[i];
      const listed = t >= f0 && t <= lastRow[i];
      prices[row + i] = listed ? level[i] : NaN;
      const eta = rsig.normal();
      z[i] = t === 0 ? eta : rho * z[i] + innov * eta;
      signal[row + i] = listed ? z[i] : NaN;
    }
  }

  // --- Missing at random: exactly round(share * listed cells) listed cells.
  const cum = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) cum[i + 1] = cum[i] + (last[i] - first[i] + 1);
  const listedCells = cum[m];
  const nMissing = Math.round(o.missingShare * listedCells);
  const picked = new Rng(o.seed, STREAM.missing).sampleIndices(listedCells, nMissing);
  const missing = new Int32Array(nMissing);
  let i = 0;
  for (let c = 0; c < nMissing; c++) {
    const cell = picked[c]; // increasing, so the asset pointer only moves forward
    while (cum[i + 1] <= cell) i++;
    missing[c] = (first[i] + (cell - cum[i])) * m + i;
  }
  missing.sort();
  for (let c = 0; c < nMissing; c++) prices[missing[c]] = NaN;

  // --- Bad ticks.
  const badTicks = plantBadTicks(prices, n, m, o.badTicks, new Rng(o.seed, STREAM.badTicks));

  const sectors: Record<string, string> = {};
  for (let j = 0; j < m; j++) sectors[assets[j]] = sectorNames[sectorOf[j]];
  const exposures: Record<string, Float64Array> = {};
  model.names.forEach((name, k) => {
    exposures[name] = Float64Array.from({ length: m }, (_, j) => beta[j * K + k]);
  });

  const pricePanel = new Panel(dates, assets, prices);
  return {
    dates,
    assets,
    factorReturns: new Frame(dates, model.names.slice(), factorSeries),
    rf,
    prices: pricePanel,
    returns: simpleReturns(pricePanel),
    sectors,
    signal: new Panel(dates, assets, signal),
    truth: {
      alpha,
      exposures,
      idioVol,
      signalIC: o.signalIC,
      signalHorizon: o.signalHorizon,
      signalAutocorrelation: o.signalAutocorrelation,
      signalLoading,
      signalScale,
      listing: { first, last },
      missing,
      badTicks: badTicks.map(([t, j]) => ({ asset: assets[j], date: formatIsoDate(dates[t]) })),
      factorModel: model,
    },
  };
}

/**
 * Divides `count` present prices by 10 in place, each at a row 1..n-2 whose neighbours are
 * present and at least 2 rows from another bad tick of the same asset. Returns `[row, asset]`
 * pairs sorted by row then asset. Throws an InputError when the panel has no room for them.
 */
function plantBadTicks(prices: Float64Array, n: number, m: number, count: number, rng: Rng): [number, number][] {
  const taken = new Set<number>();
  const out: [number, number][] = [];
  const maxAttempts = 1000 + 100 * count;
  for (let attempt = 0; out.length < count; attempt++) {
    if (attempt >= maxAttempts) {
      throw new InputError(`could not place ${count} bad ticks in a panel of ${n} dates x ${m} assets (placed ${out.length})`, {
        hint: 'ask for fewer badTicks or a larger panel',
      });
    }
    const j = rng.int(m),
      t = 1 + rng.int(n - 2);
    const c = t * m + j;
    if (taken.has(c) || taken.has(c - m) || taken.has(c + m)) continue;
    if (!(prices[c] === prices[c] && prices[c - m] === prices[c - m] && prices[c + m] === prices[c + m])) continue;
    taken.add(c);
    out.push([t, j]);
  }
  for (const [t, j] of out) prices[t * m + j] /= 10;
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
