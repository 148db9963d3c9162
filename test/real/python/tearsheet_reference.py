"""Reference for the tear sheet's extra numbers, written the alphalens way with pandas.

Usage: tearsheet_reference.py LONG.csv PRICES.csv BEFORE AFTER
  LONG.csv:   date,asset,label,group,entry,fwd  (labelled cells of the clean factor data)
  PRICES.csv: wide price panel (date + one column per asset, blank = missing)

Prints JSON:
  byGroup:       {group: [mean over dates of the per-date mean fwd of (quantile, group)] by quantile}
  byGroupDates:  {group: [dates with a value] by quantile}
  groupDemeaned: [mean over dates of the per-date mean of fwd - date x group mean] by quantile
  event / eventDemeaned: {"mean": [[q][offset]], "std": ..., "n": ...}: alphalens
     common_start_returns(cumulative=True, mean_by_date=True, demean_by=...) per quantile, then
     mean / std over dates (pandas skipna), with day zero the entry date.
"""
import json
import sys

import numpy as np
import pandas as pd

long_file, prices_file, before, after = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
d = pd.read_csv(long_file, parse_dates=["date", "entry"])
prices = pd.read_csv(prices_file, parse_dates=["date"], index_col="date")
Q = int(d["label"].max())

# mean_return_by_quantile(by_group=True): mean by (date, quantile, group), then over dates
x = d.dropna(subset=["fwd"])
per = x.groupby(["date", "label", "group"])["fwd"].mean()
by = per.groupby(level=["label", "group"]).agg(["mean", "count"])
groups = sorted(x["group"].unique())
byGroup = {g: [None if (q, g) not in by.index else float(by.loc[(q, g), "mean"]) for q in range(1, Q + 1)] for g in groups}
byGroupDates = {g: [0 if (q, g) not in by.index else int(by.loc[(q, g), "count"]) for q in range(1, Q + 1)] for g in groups}

# group-adjusted (demeaned by date and group), then mean_return_by_quantile
y = x.copy()
y["adj"] = y["fwd"] - y.groupby(["date", "group"])["fwd"].transform("mean")
gd = y.groupby(["date", "label"])["adj"].mean().groupby(level="label").mean()
groupDemeaned = [float(gd.get(q, np.nan)) for q in range(1, Q + 1)]


def common_start_returns(fq, demean):
    """alphalens.performance.common_start_returns(cumulative=True, mean_by_date=True), entry as day zero."""
    out = []
    for (date, entry), df in fq.groupby(["date", "entry"]):
        equities = df["asset"].tolist()
        day_zero = prices.index.get_loc(entry)
        start = max(day_zero - before, 0)
        end = min(day_zero + after + 1, len(prices.index))
        all_assets = d.loc[d["date"] == date, "asset"].tolist()
        cols = sorted(set(equities) | (set(all_assets) if demean else set()))
        series = prices.iloc[start:end][cols].copy()
        series.index = range(start - day_zero, end - day_zero)
        series = series / series.loc[0, :] - 1
        if demean:
            mean = series.loc[:, all_assets].mean(axis=1)
            series = series.loc[:, equities].sub(mean, axis=0)
        else:
            series = series.loc[:, equities]
        out.append(series.mean(axis=1))
    return pd.concat(out, axis=1).reindex(range(-before, after + 1))


def event(demean):
    res = {"mean": [], "std": [], "n": []}
    for q in range(1, Q + 1):
        r = common_start_returns(d[d["label"] == q], demean).replace([np.inf, -np.inf], np.nan)
        res["mean"].append([None if np.isnan(v) else float(v) for v in r.mean(axis=1, skipna=True)])
        res["std"].append([None if np.isnan(v) else float(v) for v in r.std(axis=1, skipna=True)])
        res["n"].append([int(v) for v in r.count(axis=1)])
    return res


print(json.dumps({"byGroup": byGroup, "byGroupDates": byGroupDates, "groupDemeaned": groupDemeaned,
                  "event": event(False), "eventDemeaned": event(True)}))
