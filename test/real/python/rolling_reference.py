#!/usr/bin/env python3
"""Reference numbers for test/real/rolling.test.ts: statsmodels RollingOLS of daily excess returns
of a few S&P 500 stocks on the Fama-French 5 factors plus momentum, from the same files.

Usage: rolling_reference.py DATA_DIR TICKERS WINDOW MIN_NOBS
Returns: simple returns of the adjusted close (pct_change(fill_method=None): missing when either
price is), minus the Fama-French daily rf, on the price calendar; factors in decimal (percent / 100).
RollingOLS(y, add_constant(X), window, min_nobs, missing='drop'): each window uses its rows with y
and every factor present. Prints JSON: dates, and per ticker params (7 columns, null for NaN),
rsquared, sqrt(mse_resid), nobs.
"""
import io
import json
import math
import sys

import numpy as np
import pandas as pd

try:
    import statsmodels.api as sm
    from statsmodels.regression.rolling import RollingOLS
except ImportError as e:  # the test turns this into its apt-get message
    print(json.dumps({"error": f"missing module: {e}"}))
    sys.exit(3)

data, tickers, window, min_nobs = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])

px = pd.read_csv(f"{data}/us/us_sp500_adj_ohlcv_2005_2017.csv.gz", usecols=["date", "ticker", "close"], parse_dates=["date"])
wide = px.pivot(index="date", columns="ticker", values="close").sort_index()
rets = wide[tickers].pct_change(fill_method=None)


def ken_french(path):
    lines = open(path, encoding="latin-1").read().splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith(",") and l.strip(", ") != "")
    body = []
    for l in lines[head + 1:]:
        cell = l.split(",")[0].strip()
        if not (len(cell) == 8 and cell.isdigit()):
            break
        body.append(l)
    cols = [c.strip() for c in lines[head].split(",")]
    df = pd.read_csv(io.StringIO("\n".join(body)), header=None)
    df = df.iloc[:, :len(cols)]
    df.columns = ["date"] + cols[1:]
    df = df.loc[:, [c for c in df.columns if c != ""]]
    df["date"] = pd.to_datetime(df["date"].astype(str), format="%Y%m%d")
    df = df.set_index("date").astype(float)
    return df.where((df != -99.99) & (df != -999)) / 100.0


ff5 = ken_french(f"{data}/ff/F-F_Research_Data_5_Factors_2x3_daily.CSV")
mom = ken_french(f"{data}/ff/F-F_Momentum_Factor_daily.CSV")
fac = ff5.join(mom, how="inner")
fac.columns = ["mkt_rf", "smb", "hml", "rmw", "cma", "rf", "mom"]
names = ["mkt_rf", "smb", "hml", "rmw", "cma", "mom"]
fx = fac.reindex(rets.index)


def nums(a):
    return [float(v) if math.isfinite(v) else None for v in np.asarray(a, dtype=float).ravel()]


out = {"dates": [d.strftime("%Y-%m-%d") for d in rets.index], "factors": names, "tickers": {}}
X = sm.add_constant(fx[names].to_numpy(), has_constant="add")
for tk in tickers:
    y = (rets[tk] - fx["rf"]).to_numpy()
    res = RollingOLS(y, X, window=window, min_nobs=min_nobs, missing="drop").fit()
    out["tickers"][tk] = {
        "params": nums(res.params),
        "rsquared": nums(res.rsquared),
        "sd": nums(np.sqrt(res.mse_resid)),
        "nobs": nums(res.nobs),
    }
print(json.dumps(out))
