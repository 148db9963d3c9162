"""Rank IC with alphalens' group_adjust on the SSE 50 sample, the pandas way (test/real/groupAdjust.test.ts).

The factor (long date,asset,factor_value), the prices (wide), the industry map (headerless
asset,industry id); forward returns over H rows p[t+H]/p[t] − 1 on the factor's dates; the
complete (factor, forward, industry) rows; forward returns demeaned by (date, industry)
(alphalens utils.demean_forward_returns); per date scipy's spearmanr and pearsonr.
Prints JSON: {dates, n, spearman, pearson}.
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

factor_file, prices_file, groups_file, h = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
f = pd.read_csv(factor_file, dtype={"asset": str})
p = pd.read_csv(prices_file, index_col=0, parse_dates=[0])
p.columns = [str(c) for c in p.columns]
g = pd.read_csv(groups_file, header=None, names=["asset", "group"], dtype={"asset": str})
fwd = (p.shift(-h) / p - 1).stack().rename("fwd").reset_index()
fwd.columns = ["date", "asset", "fwd"]
f["date"] = pd.to_datetime(f["date"])
d = f.merge(fwd, on=["date", "asset"]).merge(g, on="asset").dropna(subset=["factor_value", "fwd", "group"])
d["fwd"] = d["fwd"] - d.groupby(["date", "group"])["fwd"].transform("mean")
out = {"dates": [], "n": [], "spearman": [], "pearson": []}
for date, x in d.groupby("date"):
    if len(x) < 3:
        continue
    out["dates"].append(date.strftime("%Y-%m-%d"))
    out["n"].append(int(len(x)))
    out["spearman"].append(float(stats.spearmanr(x["factor_value"], x["fwd"])[0]))
    out["pearson"].append(float(stats.pearsonr(x["factor_value"], x["fwd"])[0]))
print(json.dumps(out))
