"""The pandas/numpy peer of bench/backtest.mjs: the same rule on the same files, as a competent
engineer would write it.

- daily rebalancing (schedule 'daily', lag 1): fully vectorised over dates and assets. With a
  trade every row the weights after each close are the executed targets A_t (zero where not
  tradable), so R_t = sum_j A_{t-1,j} r_{t,j} (r = 0 where the price is missing), the drifted
  weights before the trade are D_t = A_{t-1}(1 + r_t)/(1 + R_t), turnover_t = sum|A_t - D_t|.
  Top decile: label Q iff x > numpy-quantile edge (Q-1)/Q of the row's candidates.
- other schedules (weights drift for weeks; names leave mid-period): the row loop of
  test/real/python/backtest_reference.py, vectorised over assets.

Prints JSON: dates, navNet, and CPU / wall seconds of the read and the backtest.
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "real", "python"))
import backtest_reference as ref  # noqa: E402


def daily_vectorised(spec, P, S, member):
    n, m = P.shape
    q = spec["quantiles"]
    T = member & ~np.isnan(P)
    C = T & np.isfinite(S)
    X = np.where(C, S, np.nan)
    valid = C.sum(axis=1) > 0
    edge = np.full(n, np.nan)
    lo, hi = np.nanmin(np.where(valid[:, None], X, 0), axis=1), np.nanmax(np.where(valid[:, None], X, 0), axis=1)
    ok = valid & (lo < hi)
    edge[ok] = np.nanquantile(X[ok], (q - 1) / q, axis=1)
    top = C & ok[:, None] & (X > edge[:, None])
    k = top.sum(axis=1)
    W = np.where(top, 1.0 / np.maximum(k, 1)[:, None], 0.0)  # decided at row t
    A = np.zeros_like(W)
    A[1:] = W[:-1]
    A[~T] = 0.0  # executed at t + 1 where tradable
    first = 1
    r = np.where(np.isnan(P[1:]), 0.0, P[1:] / P[:-1] - 1.0)
    r = np.nan_to_num(r, nan=0.0, posinf=0.0, neginf=0.0)
    R = np.zeros(n)
    R[first + 1:] = np.einsum("ij,ij->i", A[first:-1], r[first:])
    D = np.zeros_like(A)
    D[first + 1:] = A[first:-1] * (1.0 + r[first:]) / (1.0 + R[first + 1:])[:, None]
    turnover = np.abs(A - D).sum(axis=1)
    c = spec.get("bps", 0.0) / 1e4 * turnover
    net = np.cumprod((1.0 + R[first:]) * (1.0 - c[first:]))
    return first, net


def main():
    spec = json.loads(sys.argv[1])
    w0, c0 = time.perf_counter(), time.process_time()
    prices = ref.read_prices(spec)
    w1, c1 = time.perf_counter(), time.process_time()
    factor = ref.read_factor(spec, prices)
    member = ref.membership(spec, prices)
    lo = 0 if not spec.get("start") else int(np.searchsorted(prices.index.values, np.datetime64(spec["start"]), side="left"))
    hi = len(prices) if not spec.get("end") else int(np.searchsorted(prices.index.values, np.datetime64(spec["end"]), side="right"))
    prices, member, factor = prices.iloc[lo:hi], member[lo:hi], factor.iloc[lo:hi]
    P, S = prices.to_numpy(), factor.to_numpy()
    if spec["schedule"] == "daily" and spec.get("lag", 1) == 1 and spec["rule"] == "top-quantile":
        first, net = daily_vectorised(spec, P, S, member)
    else:
        spec["_dates"] = prices.index
        first, _, net, _ = ref.run(spec, P, S, member)
    w2, c2 = time.perf_counter(), time.process_time()
    json.dump({
        "dates": [d.strftime("%Y-%m-%d") for d in prices.index[first:]],
        "navNet": np.asarray(net).tolist(),
        "wall": {"read": w1 - w0, "backtest": w2 - w1},
        "cpu": {"read": c1 - c0, "backtest": c2 - c1},
    }, sys.stdout)


if __name__ == "__main__":
    main()
