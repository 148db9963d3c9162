"""Independent route for the exposures zoo: each portfolio's return series and its OLS on the factors.

stdin: {"dir": folder, "portfolios": [file, ...], "maxAge": rows}. Prices wide (date,A,B,...),
factors wide (date,f1,f2,...), weights long (date,asset,weight). Simple returns p(t)/p(t-1) - 1;
weights carried forward at most maxAge rows; r_p(t) = sum_i w_i(t-1) r_i(t) over assets with a
return; statsmodels OLS of r_p on a constant and the factors over the dates where all are finite.
stdout: {file: {"series": {date: r_p}, "params": {...}, "t": {...}, "r2": x, "nobs": n}}.
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm

cfg = json.load(sys.stdin)
d = cfg["dir"]
prices = pd.read_csv(f"{d}/prices.csv", index_col=0, parse_dates=True)
returns = prices / prices.shift(1) - 1
factors = pd.read_csv(f"{d}/factors.csv", index_col=0, parse_dates=True)
out = {}
for f in cfg["portfolios"]:
    w = pd.read_csv(f"{d}/{f}", parse_dates=["date"]).pivot(index="date", columns="asset", values="weight")
    w = w.reindex(columns=returns.columns).reindex(returns.index).ffill(limit=cfg["maxAge"])
    held = w.shift(1)  # the weights of the previous price date
    rp = (held * returns).sum(axis=1, min_count=1)
    rp[held.abs().sum(axis=1, min_count=1).isna()] = np.nan
    data = pd.concat([rp.rename("y"), factors], axis=1, join="inner").dropna()
    x = sm.add_constant(data[factors.columns])
    fit = sm.OLS(data["y"], x).fit()
    out[f] = {
        "series": {k.strftime("%Y-%m-%d"): (None if np.isnan(v) else float(v)) for k, v in rp.items()},
        "params": {("const" if k == "const" else k): float(v) for k, v in fit.params.items()},
        "t": {("const" if k == "const" else k): float(v) for k, v in fit.tvalues.items()},
        "r2": float(fit.rsquared),
        "nobs": int(fit.nobs),
    }
json.dump(out, sys.stdout)
