"""The statistics `factorlab backtest` prints against its benchmark, computed with pandas from the
definitions (src/backtest/benchmark.ts, performance.ts, results.ts), not from factorlab's code: the
reference of test/real/backtestBenchmark.test.ts.

- the strategy's NAVs, returns and turnover come from backtest_reference.run (the plain pandas
  backtest beside this file);
- the equal-weighted universe: b_t = mean over the names that are members with a price on t-1 and
  have a price on t of p(t)/p(t-1) - 1; the statistics cover the rows from the first rebalance that
  holds something (k), and the benchmark's return on row k is 0: the strategy held cash over that
  period (its own return there is the first trade's cost), as on the run's first row;
- empyrical's definitions: total and annual return, tracking error std(r - b, ddof 1) * sqrt(P),
  information ratio mean(r - b) / std(r - b) * sqrt(P), beta cov(r, b) / var(b), alpha
  (1 + mean(r - beta b))^P - 1, Calmar annual return / |max drawdown|, hit rate share of r > 0;
- mean turnover per rebalance from the first one that holds something (cost / bps); costs in all = sum of c_t.

Usage: python3 backtest_benchmark_reference.py '<json spec>'  ->  JSON on stdout.
"""
import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import backtest_reference as ref  # noqa: E402


def equal_weight(P, member):
    """b_t over rows 1.. (row 0: 0): the mean return of the names tradable on t-1 and priced on t."""
    tradable = member & ~np.isnan(P)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = P[1:] / P[:-1] - 1.0
    ok = tradable[:-1] & ~np.isnan(r)
    s = np.where(ok, r, 0.0).sum(axis=1)
    k = ok.sum(axis=1)
    b = np.full(P.shape[0], np.nan)
    b[0] = 0.0
    b[1:] = np.where(k > 0, s / np.maximum(k, 1), np.nan)
    return b


def stats(r, b, ppy):
    r = pd.Series(r)
    b = pd.Series(b)
    nav = (1 + r).cumprod()
    dd = nav / np.maximum(nav.cummax(), 1.0) - 1
    annual = nav.iloc[-1] ** (ppy / len(r)) - 1
    x = r - b
    beta = np.cov(r, b, ddof=1)[0, 1] / np.var(b, ddof=1)
    bnav = (1 + b).cumprod()
    return {
        "annualReturn": float(annual),
        "calmar": float(annual / abs(dd.min())),
        "hitRate": float((r > 0).mean()),
        "benchmarkTotalReturn": float(bnav.iloc[-1] - 1),
        "benchmarkAnnualReturn": float(bnav.iloc[-1] ** (ppy / len(b)) - 1),
        "trackingError": float(x.std(ddof=1) * np.sqrt(ppy)),
        "informationRatio": float(x.mean() / x.std(ddof=1) * np.sqrt(ppy)),
        "beta": float(beta),
        "alpha": float((1 + (r - beta * b).mean()) ** ppy - 1),
    }


def main():
    spec = json.loads(sys.argv[1])
    prices = ref.read_prices(spec)
    factor = ref.read_factor(spec, prices)
    member = ref.membership(spec, prices)
    spec["_dates"] = prices.index
    P = prices.to_numpy()
    S = factor.to_numpy()
    held = []
    first, nav_g, nav_n, ret_n = ref.run(spec, P, S, member, held)
    k = next((i for i, h in enumerate(held) if h > 0), 0)
    bench = equal_weight(P, member)[first:]
    bench[0] = 0.0  # the run's first row: no period before it inside the run
    b = bench[k:].copy()
    b[0] = 0.0
    r = ret_n[k:]
    ok = ~np.isnan(b)
    ppy = spec.get("ppy", 252)
    out = stats(r[ok], b[ok], ppy)
    # turnover and costs: rebuilt from the net and gross returns (c_t = 1 - (1 + net) / (1 + gross))
    gross = np.concatenate([[nav_g[0] - 1.0], nav_g[1:] / nav_g[:-1] - 1.0])
    cost = 1.0 - (1.0 + ret_n) / (1.0 + gross)
    out["totalCost"] = float(cost.sum())
    # turnover of each execution row = cost / (bps / 1e4); the mean over the rebalances from row k
    lag = spec.get("lag", 1)
    rows = [s + lag - first for s in ref.schedule_rows(spec, spec["_dates"]) if s + lag <= P.shape[0] - 1]
    out["meanTurnover"] = float(np.mean([cost[i] / (spec["bps"] / 1e4) for i in rows if i >= k]))
    out["benchmark"] = [None if np.isnan(x) else float(x) for x in bench]
    out["statisticsRows"] = int(len(r))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
