/**
 * `optimize --views`: the Black–Litterman posterior as the optimiser's alpha. With no effective
 * view the optimum is the market portfolio itself (γ = δ); a certain view is met exactly; δ is the
 * market factor's mean / variance over the fit window; bad views files and flag combinations are
 * refused with the file, line and what to do.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('views');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 300);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
// factors with a market that rises (δ > 0): mkt_rf = 0.0004 + 0.01·sin(k), smb = 0.005·cos(3k)
const mkt = days.map((_, k) => 0.0004 + 0.01 * Math.sin(k));
const factors = t.write(
  'factors.csv',
  `date,mkt_rf,smb,rf\n${days.map((d, k) => `${d},${mkt[k].toFixed(8)},${(0.005 * Math.cos(3 * k)).toFixed(8)},0.0001`).join('\n')}\n`,
);
const caps = t.write('caps.csv', 'asset,cap\nA,50\nB,20\nC,10\nD,10\nE,5\nF,5\n');
const base = ['optimize', '--prices', prices, '--factors', factors, '--stale-after', '0'];

interface View {
  name: string;
  value: number;
  prior: number;
  posterior: number;
  omega: number | null;
  confidence: number | null;
}
interface J {
  holdings: { asset: string; weight: number }[];
  blackLitterman: {
    tau: number;
    delta: number;
    deltaSource: string;
    market: string;
    periodsPerYear: number;
    views: View[];
    returns: { asset: string; marketWeight: number; prior: number; posterior: number }[];
  };
  notes: string[];
}
const run = async (...args: string[]): Promise<J> => {
  const r = await cli(...base, ...args, '--json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as J;
};

describe('optimize --views', () => {
  it('a view of confidence 0 has no effect: the optimum is the market portfolio (γ = δ), δ the market factor’s mean / variance', async () => {
    const views = t.write('none.csv', 'asset,return,confidence\nA,0.3,0\n');
    const j = await run('--views', views, '--market-caps', caps);
    const w = new Map(j.holdings.map((h) => [h.asset, h.weight]));
    const capsOf: Record<string, number> = { A: 0.5, B: 0.2, C: 0.1, D: 0.1, E: 0.05, F: 0.05 };
    for (const a of assets) expect(Math.abs((w.get(a) ?? NaN) - capsOf[a])).toBeLessThan(1e-12);
    for (const r of j.blackLitterman.returns) expect(r.posterior).toBe(r.prior);
    expect(j.blackLitterman.views[0].omega).toBeNull();
    // the fit window is the returns' dates: every price date but the first
    const x = mkt.slice(1).map((v) => Number(v.toFixed(8)));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (x.length - 1);
    expect(j.blackLitterman.delta).toBeCloseTo(mean / variance, 9);
    expect(j.blackLitterman.deltaSource).toMatch(/implied by mkt_rf over 2018-01-02 \.\. /);
    expect(j.notes.join('\n')).toMatch(/views: A at confidence 0 has no effect/);
    // rf 0.0001 a day: the views are excess returns, as the prior, said with rf's size a year
    expect(j.notes.join('\n')).toMatch(
      /views: read as expected returns in excess of the risk-free rate, .*rf subtracted; it averaged 2\.52% a year over the fit window\): for a total return of 10% a year write 0\.0748/,
    );
  });

  it('a certain view is met exactly and tilts the book toward the name; the default uncertainty moves the prior part way', async () => {
    const sure = t.write('sure.csv', 'asset,return,confidence\nF,0.25,1\n');
    const j = await run('--views', sure, '--market-caps', caps, '--market-risk-aversion', '2.5');
    const v = j.blackLitterman.views[0];
    expect(v.posterior).toBeCloseTo(0.25, 12);
    expect(v.omega).toBe(0);
    expect(j.blackLitterman.delta).toBe(2.5);
    expect(j.holdings.find((h) => h.asset === 'F')?.weight ?? 0).toBeGreaterThan(0.05);
    const soft = t.write('soft.csv', 'asset,return\nF,0.25\n');
    const k = (await run('--views', soft, '--market-caps', caps, '--market-risk-aversion', '2.5')).blackLitterman.views[0];
    expect(k.confidence).toBeNull();
    expect(k.posterior).toBeGreaterThan(k.prior);
    expect(k.posterior).toBeLessThan(0.25);
  });

  it('views on portfolios (view,asset,weight,return), the benchmark as the market portfolio, and --max-sharpe on the posterior', async () => {
    const rel = t.write('rel.csv', 'view,asset,weight,return,confidence\ntilt,A,0.5,0.04,1\ntilt,B,0.5,,\ntilt,C,-1,,\n');
    const bench = t.write('bench.csv', 'asset,weight\nA,0.3\nB,0.3\nC,0.1\nD,0.1\nE,0.1\nF,0.1\n');
    const j = await run('--views', rel, '--benchmark', bench, '--market-risk-aversion', '3');
    expect(j.blackLitterman.market).toMatch(/--benchmark/);
    expect(j.blackLitterman.returns.map((r) => r.marketWeight)).toEqual(
      [0.3, 0.3, 0.1, 0.1, 0.1, 0.1].map((x) => expect.closeTo(x, 14) as number),
    );
    const v = j.blackLitterman.views[0];
    expect(v.name).toBe('tilt');
    const post = new Map(j.blackLitterman.returns.map((r) => [r.asset, r.posterior]));
    expect(0.5 * (post.get('A') ?? NaN) + 0.5 * (post.get('B') ?? NaN) - (post.get('C') ?? NaN)).toBeCloseTo(0.04, 12);
    const ms = await cli(...base, '--views', rel, '--market-caps', caps, '--market-risk-aversion', '3', '--max-sharpe');
    expect(ms.code, ms.err).toBe(0);
    expect(ms.out).toMatch(/maximum Sharpe ratio/);
    expect(ms.out).toMatch(/view +stated a year +prior +posterior +confidence\n.*\n +tilt +4%/);
  });

  it('against a benchmark the alpha is active (μ − δΣb): with no view and the market as benchmark the optimum is the benchmark, for any γ', async () => {
    const none = t.write('none2.csv', 'asset,return,confidence\nB,0.3,0\n');
    const bench = t.write('bench2.csv', 'asset,weight\nA,0.5\nB,0.2\nC,0.1\nD,0.1\nE,0.05\nF,0.05\n');
    for (const extra of [[], ['--risk-aversion', '7']]) {
      const j = await run('--views', none, '--benchmark', bench, '--market-risk-aversion', '2.5', ...extra);
      const capsOf: Record<string, number> = { A: 0.5, B: 0.2, C: 0.1, D: 0.1, E: 0.05, F: 0.05 };
      for (const h of j.holdings) expect(Math.abs(h.weight - capsOf[h.asset])).toBeLessThan(1e-12);
      expect(j.notes.join('\n')).toMatch(/\(posterior − δ·Σ·benchmark\) \/ 252 \(the active alpha/);
    }
    // a view moves the book off the benchmark toward the name
    const sure = t.write('sure2.csv', 'asset,return,confidence\nF,0.25,1\n');
    const j = await run('--views', sure, '--benchmark', bench, '--market-risk-aversion', '2.5');
    expect(j.holdings.find((h) => h.asset === 'F')?.weight ?? 0).toBeGreaterThan(0.05 + 1e-3);
  });

  it('a view on several names whose weights sum to neither 0 nor 1 (a sign slipped) is read as stated, and said', async () => {
    const slip = t.write('slip.csv', 'view,asset,weight,return\nrel,A,1,0.02\nrel,B,1,\nok,C,1,0.01\nok,D,-1,\n');
    const j = await run('--views', slip, '--market-caps', caps, '--market-risk-aversion', '2.5');
    const note = j.notes.filter((n) => n.startsWith('views: the weights'));
    expect(note).toEqual([expect.stringMatching(/^views: the weights of view rel \(2\) sum to neither 0 .* nor 1 /)]);
    expect(j.notes.join('\n')).not.toMatch(/a weight above 1 in size/);
    // weights in percent (50, 50, −100) sum to 0 but state a portfolio 100 times as large: said
    const pct = t.write('pctw.csv', 'view,asset,weight,return\ntech,A,50,0.04\ntech,B,50,\ntech,C,-100,\n');
    const k = await run('--views', pct, '--market-caps', caps, '--market-risk-aversion', '2.5');
    expect(k.notes.join('\n')).toMatch(/views: view tech has a weight above 1 in size, read as units of the name .* write 0\.5 for 50%/);
    expect(k.notes.join('\n')).not.toMatch(/sum to neither/);
    const rel = j.blackLitterman.views.find((v) => v.name === 'rel');
    const r = new Map(j.blackLitterman.returns.map((x) => [x.asset, x]));
    expect(rel?.prior).toBeCloseTo((r.get('A')?.prior ?? NaN) + (r.get('B')?.prior ?? NaN), 12);
  });

  it('an implied δ far from the usual (a flat market: 0.2) is said, with the flag that sets it; one in range is not', async () => {
    const v = t.write('one.csv', 'asset,return\nA,0.1\n');
    const flat = t.write(
      'flat.csv',
      `date,mkt_rf,smb,rf\n${days.map((d, k) => `${d},${(k === 0 || k === days.length - 1 ? 0.00002 : 0.00002 + 0.01 * (-1) ** k).toFixed(8)},${(0.005 * Math.cos(3 * k)).toFixed(8)},0.0001`).join('\n')}\n`,
    );
    const r = await cli(
      'optimize',
      '--prices',
      prices,
      '--factors',
      flat,
      '--stale-after',
      '0',
      '--views',
      v,
      '--market-caps',
      caps,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as J;
    expect(j.blackLitterman.delta).toBeLessThan(1);
    expect(j.notes.join('\n')).toMatch(
      /views: the market's risk aversion implied over the fit window, δ 0\.\d+, is outside the usual 1 \.\. 10[\s\S]*many times more[\s\S]*--market-risk-aversion 2\.5/,
    );
    const ok = await run('--views', v, '--market-caps', caps);
    expect(ok.blackLitterman.delta).toBeGreaterThan(1);
    expect(ok.notes.join('\n')).not.toMatch(/outside the usual/);
  });

  it('--min-return with --views is a year, as the views; a view on a name that cannot be traded is noted; the γ note follows the risk aversion given', async () => {
    const sure = t.write('sure3.csv', 'asset,return,confidence\nF,0.25,1\n');
    const j = await run('--views', sure, '--market-caps', caps, '--market-risk-aversion', '2.5', '--min-return', '0.12');
    const post = new Map(j.blackLitterman.returns.map((r) => [r.asset, r.posterior]));
    const mu = j.holdings.reduce((s, h) => s + h.weight * (post.get(h.asset) ?? NaN), 0);
    expect(mu).toBeGreaterThanOrEqual(0.12 - 1e-9);
    expect(mu).toBeLessThan(0.12 + 1e-6); // binding: the least risk wants less
    const given = await run('--views', sure, '--market-caps', caps, '--market-risk-aversion', '2.5', '--risk-aversion', '9');
    expect(given.notes.join('\n')).not.toMatch(/γ = δ/);
    // G has no price in the last 10 dates: in the risk model, not tradable at the window's end
    const lines = pricesCsv(days, [...assets, 'G'])
      .trim()
      .split('\n');
    const cut = lines.map((l, i) => (i > lines.length - 11 ? l.replace(/,[^,]*$/, ',') : l));
    const p2 = t.write('prices_g.csv', `${cut.join('\n')}\n`);
    const g = t.write('g.csv', 'asset,return\nG,0.2\n');
    const r = await cli('optimize', '--prices', p2, '--factors', factors, '--views', g, '--market-caps', caps, '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as J).notes.join('\n')).toMatch(
      /views: G cannot be traded at the window's end \(no recent return\): its view moves the expected returns of the names correlated with it/,
    );
  });

  it('refuses what cannot make a posterior, by name', async () => {
    const ok = t.write('ok.csv', 'asset,return\nA,0.1\n');
    const cases: [string[], RegExp][] = [
      [['--views', ok, '--alpha', caps], /--views and --alpha both give the expected returns/],
      [['--views', ok], /there is no market portfolio[\s\S]*--market-caps FILE/],
      // --max-sharpe refuses --benchmark: the hint says --market-caps there
      [['--views', ok, '--max-sharpe'], /there is no market portfolio[\s\S]*with --max-sharpe, which takes no benchmark, --market-caps/],
      [['--tau', '0.1'], /--tau is for the Black-Litterman prior, and there is no --views/],
      [['--views', ok, '--market-caps', caps, '--tau', '0'], /--tau must be a number in \(0, 1\]/],
      [['--views', ok, '--market-caps', caps, '--hrp'], /--hrp uses no expected returns/],
      [
        ['--views', t.write('pct.csv', 'asset,return\nA,20\n'), '--market-caps', caps],
        /pct\.csv:2, asset A: view A expects a return of 20 a year[\s\S]*taken for percent[\s\S]*0\.2 for 20%/,
      ],
      [
        ['--views', t.write('conf.csv', 'asset,return,confidence\nA,0.1,60\n'), '--market-caps', caps],
        /confidence of view A is 60[\s\S]*0\.6 for 60%/,
      ],
      [
        ['--views', t.write('zz.csv', 'asset,return\nZZ,0.1\n'), '--market-caps', caps],
        /1 asset of the views is not in the risk model[\s\S]*ZZ \(view ZZ\)/,
      ],
      [
        ['--views', t.write('two.csv', 'view,asset,weight,return\nv,A,1,0.1\nv,B,-1,0.2\n'), '--market-caps', caps],
        /view v has two returns: 0\.1 \(line 2\) and 0\.2 \(line 3\)/,
      ],
      [
        ['--views', t.write('dup.csv', 'view,asset,weight,return\nv,A,1,0.1\nv,A,-1,\n'), '--market-caps', caps],
        /view v names A twice \(lines 2 and 3\)/,
      ],
      [['--views', t.write('twice.csv', 'asset,return\nA,0.1\nA,0.2\n'), '--market-caps', caps], /asset A has two views \(lines 2 and 3\)/],
      [['--views', t.write('nocol.csv', 'view,asset,return\nv,A,0.1\n'), '--market-caps', caps], /no weight column/],
      [['--views', ok, '--market-caps', t.write('negcap.csv', 'asset,cap\nA,-1\nB,2\n')], /market cap of A is -1/],
      // caps of 0 are not names missing from the risk model (that message named the wrong cause)
      [
        ['--views', ok, '--market-caps', t.write('zerocap.csv', 'asset,cap\nA,0\nB,0\nZZ,0\n')],
        /every name of --market-caps in the risk model \(2 names\) has a market cap of 0[\s\S]*not 0/,
      ],
      [
        ['--views', t.write('halfw.csv', 'asset,weight,return\nA,0.5,0.05\n'), '--market-caps', caps],
        /halfw\.csv:2, asset A: view A has weight 0\.5/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await cli(...base, ...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(re);
    }
    // no market factor among the factors: δ must be given
    const noMkt = t.write(
      'nomkt.csv',
      `date,smb,rf\n${days.map((d, k) => `${d},${(0.005 * Math.cos(3 * k)).toFixed(8)},0.0001`).join('\n')}\n`,
    );
    const r = await cli('optimize', '--prices', prices, '--factors', noMkt, '--views', ok, '--market-caps', caps);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/none of the factors \(smb\) is the market's excess return[\s\S]*--market-risk-aversion/);
  });
});
