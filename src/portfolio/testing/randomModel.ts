/**
 * Seeded random risk models and benchmarks for tests and benchmarks (not part of the public API):
 * exposures ~ N(0, 1) (the first factor, "market", ~ N(1, 0.3²)), a factor covariance with
 * daily-return magnitudes, specific variances of 1–3% daily volatility, sectors round-robin, and a
 * benchmark with random positive weights summing to one.
 */
import { Rng } from '../../synthetic/random.js';
import type { RiskModel } from '../riskModel.js';

export interface RandomCase {
  model: RiskModel;
  benchmark: Float64Array;
  sectors: string[];
}

export function randomCase(n: number, k: number, seed: number, nSectors = 10): RandomCase {
  const rng = new Rng(seed);
  const rnd = (): number => rng.next();
  const gauss = (): number => {
    const u = Math.max(rnd(), 1e-12),
      v = rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const exposures = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let f = 0; f < k; f++) exposures[i * k + f] = f === 0 ? 1 + 0.3 * gauss() : gauss();
  // F = G Gᵀ / k + diag, daily scale.
  const g = new Float64Array(k * k);
  for (let p = 0; p < k * k; p++) g[p] = gauss();
  const f = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += g[a * k + c] * g[b * k + c];
      f[a * k + b] = (s / k) * 1e-5 * 0.2 + (a === b ? (a === 0 ? 1e-4 : 2e-5) : 0);
    }
  const specificVariance = new Float64Array(n);
  for (let i = 0; i < n; i++) specificVariance[i] = (0.01 + 0.02 * rnd()) ** 2;
  const benchmark = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    benchmark[i] = 0.2 + rnd() ** 3;
    sum += benchmark[i];
  }
  for (let i = 0; i < n; i++) benchmark[i] /= sum;
  const assets = Array.from({ length: n }, (_, i) => `A${String(i).padStart(4, '0')}`);
  const factors = Array.from({ length: k }, (_, j) => (j === 0 ? 'mkt' : `f${j}`));
  const sectors = assets.map((_, i) => `S${i % nSectors}`);
  return { model: { assets, factors, exposures, factorCovariance: f, specificVariance, periodsPerYear: 252 }, benchmark, sectors };
}
