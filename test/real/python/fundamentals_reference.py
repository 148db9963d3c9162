"""Rank IC of a fundamentals factor carried to month ends, the pandas way (test/real/fundamentals.test.ts).

Kaggle's NYSE fundamentals ("Ticker Symbol", "Period Ending", one column per item) against the
all_stocks_5yr closes (date, Name, close): on every month's last price date, each company's latest
value of the item dated on or before it and at most MAX_AGE days old (pandas merge_asof by company
with a tolerance); entry LAG price rows later, forward return over H rows; per date the complete
pairs (a value, an entry price and an exit price), at least 3, and scipy's spearmanr / pearsonr.
Prints JSON: {dates, n, spearman, pearson}.
"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats

fund_file, prices_file, item, lag, h, max_age = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])

f = pd.read_csv(fund_file, index_col=0)
f = f[["Ticker Symbol", "Period Ending", item]].dropna()
f.columns = ["asset", "date", "value"]
f["date"] = pd.to_datetime(f["date"])
# two periods of one company on the same date: the later row of the file wins (factorlab reads a long
# file's duplicate (date, asset) as an error, so the test checks there is none)
assert not f.duplicated(["asset", "date"]).any()

p = pd.read_csv(prices_file, usecols=["date", "Name", "close"], parse_dates=["date"])
close = p.pivot(index="date", columns="Name", values="close").sort_index()
dates = close.index
month_ends = dates[np.r_[dates[1:].to_period("M") != dates[:-1].to_period("M"), True]]

grid = pd.DataFrame([(d, a) for d in month_ends for a in sorted(f["asset"].unique())], columns=["date", "asset"])
carried = pd.merge_asof(
    grid.sort_values("date"), f.sort_values("date"), on="date", by="asset", direction="backward", tolerance=pd.Timedelta(days=max_age)
)
factor = carried.pivot(index="date", columns="asset", values="value")

out = {"dates": [], "n": [], "spearman": [], "pearson": []}
row_of = {d: i for i, d in enumerate(dates)}
values = close.reindex(columns=factor.columns)
for d in factor.index:
    e = row_of[d] + lag
    if e + h >= len(dates):
        continue
    x = factor.loc[d].to_numpy()
    p0 = values.iloc[e].to_numpy()
    p1 = values.iloc[e + h].to_numpy()
    r = p1 / p0 - 1
    ok = np.isfinite(x) & np.isfinite(p0) & np.isfinite(r)
    if ok.sum() < 3:
        continue
    out["dates"].append(d.strftime("%Y-%m-%d"))
    out["n"].append(int(ok.sum()))
    out["spearman"].append(float(stats.spearmanr(x[ok], r[ok])[0]))
    out["pearson"].append(float(stats.pearsonr(x[ok], r[ok])[0]))
print(json.dumps(out))
