#!/usr/bin/env python3
"""Reference numbers for the strategy exposures of test/real/backtest.test.ts, from numpy least squares.

Input (a JSON file named on the command line): dates, netReturns (the backtest's, per date), window,
and checks: a list of {date, weights: {ticker: w}} (the book after a rebalance).
- regression: for each date i >= window, OLS with a constant of netReturns - rf on mkt_rf, smb, hml over
  the `window` backtest rows ending at i (rows with every value present);
- holdings: on each check date, sum_i w_i beta_i, beta_i the OLS slopes of ticker i's simple return
  (pct_change, missing when either price is) minus rf over the same rows of the price calendar.
Factors: ff/F-F_Research_Data_Factors_daily.CSV (percent -> decimal). Prints JSON.
"""
import json
import sys

import numpy as np

from refdata import clean, ken_french, sp500_closes

data, spec = sys.argv[1], json.load(open(sys.argv[2]))
fac = ken_french(f"{data}/ff/F-F_Research_Data_Factors_daily.CSV")
fac.columns = ["mkt_rf", "smb", "hml", "rf"]
names = ["mkt_rf", "smb", "hml"]
window = spec["window"]


def ols(y, X):
    ok = np.isfinite(y) & np.isfinite(X).all(axis=1)
    if ok.sum() < X.shape[1] + 2:
        return None
    A = np.column_stack([np.ones(ok.sum()), X[ok]])
    coef, *_ = np.linalg.lstsq(A, y[ok], rcond=None)
    return coef


import pandas as pd  # noqa: E402

dates = pd.to_datetime(spec["dates"])
f = fac.reindex(dates)
y = np.asarray(spec["netReturns"], dtype=float) - f["rf"].to_numpy()
y[0] = np.nan  # the first row's return is the first trade's cost only
X = f[names].to_numpy()
regression = {}
for i in range(window, len(dates)):
    c = ols(y[i - window + 1:i + 1], X[i - window + 1:i + 1])
    if c is not None:
        regression[spec["dates"][i]] = list(c[1:])

closes = sp500_closes(data)
rets = closes.pct_change(fill_method=None).sub(fac["rf"].reindex(closes.index), axis=0)
fx = fac[names].reindex(closes.index).to_numpy()
holdings = {}
for chk in spec["checks"]:
    t = closes.index.get_loc(pd.Timestamp(chk["date"]))
    first = closes.index.get_loc(dates[0])
    lo = max(first, t - window + 1)
    total = np.zeros(len(names))
    for tic, w in chk["weights"].items():
        c = ols(rets[tic].to_numpy()[lo:t + 1], fx[lo:t + 1])
        if c is not None:
            total += w * c[1:]
    holdings[chk["date"]] = list(total)
print(json.dumps(clean({"regression": regression, "holdings": holdings})))
