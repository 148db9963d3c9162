"""Reference numbers for test/real/quantiles.test.ts, with alphalens' conventions in plain pandas:
pd.qcut per date (labels=False) + 1, groupby means, the mean of per-date means and its standard
error, the top-minus-bottom spread, demeaned means, factor-weighted long-short returns
(alphalens factor_returns(demeaned=True)), quantile turnover (alphalens quantile_turnover) and
factor rank autocorrelation (alphalens factor_rank_autocorrelation). Prints JSON on stdout.

Usage:
  quantiles_reference.py <long csv> <horizon,...> <quantiles> <lag> [<wide prices csv>]
The long csv (written by the test) has columns date,asset,factor,group,entry,fwd<h>...: the
clean factor data. With a wide prices file, forward returns are recomputed from it
(close.shift(-h) / close - 1 at the entry date) as an independent check of the data preparation.
Run with Debian's /usr/bin/python3 (apt-get install python3-pandas python3-scipy).
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd

from refdata import clean

warnings.filterwarnings("ignore")


def qcut(x, q):
    return pd.qcut(x, q, labels=False) + 1


def main():
    path, horizons, q, lag = sys.argv[1], [int(h) for h in sys.argv[2].split(",")], int(sys.argv[3]), int(sys.argv[4])
    df = pd.read_csv(path, dtype={"asset": str, "group": str})
    out = {}
    if len(sys.argv) > 5:
        px = pd.read_csv(sys.argv[5], index_col=0)
        px.index = px.index.astype(str)
        px.columns = px.columns.astype(str)
        check = {}
        for h in horizons:
            fwd = px.shift(-h) / px - 1
            stacked = fwd.stack()
            got = np.array([stacked.get((d, a), np.nan) for d, a in zip(df["entry"], df["asset"])])
            check[str(h)] = float(np.nanmax(np.abs(got - df[f"fwd{h}"].to_numpy())))
        out["forwardCheck"] = check
    df["q"] = df.groupby("date")["factor"].transform(lambda x: qcut(x, q))
    df["qg"] = df.groupby(["date", "group"])["factor"].transform(lambda x: qcut(x, q) if x.nunique() > 1 else np.nan)
    out["labels"] = df["q"].tolist()
    out["groupLabels"] = df["qg"].tolist()
    dates = sorted(df["date"].unique())
    out["dates"] = dates
    for h in horizons:
        col = f"fwd{h}"
        per = df.groupby(["q", "date"])[col].mean().unstack("date").reindex(columns=dates)
        stats = per.T.agg(["mean", "std", "count"])
        dm = df[col] - df.groupby("date")[col].transform("mean")
        per_dm = dm.groupby([df["q"], df["date"]]).mean().unstack("date").reindex(columns=dates)
        spread = per.loc[q] - per.loc[1]
        # alphalens factor_weights(demeaned=True) and factor_returns
        demf = df["factor"] - df.groupby("date")["factor"].transform("mean")
        w = demf / demf.abs().groupby(df["date"]).transform("sum")
        ls = (w * df[col]).groupby(df["date"]).sum().reindex(dates)
        out[str(h)] = {
            "meanReturn": per.to_numpy().tolist(),
            "meanOverDates": stats.loc["mean"].tolist(),
            "stdError": (stats.loc["std"] / np.sqrt(stats.loc["count"])).tolist(),
            "demeaned": per_dm.T.mean().tolist(),
            "spread": spread.tolist(),
            "spreadMean": float(spread.mean()),
            "spreadStd": float(spread.std()),
            "factorWeighted": ls.tolist(),
        }
    # alphalens quantile_turnover(quantile_factor, quantile, period=lag)
    turnover = []
    for k in range(1, q + 1):
        names = df[df["q"] == k].groupby("date")["asset"].apply(set)
        shifted = names.shift(lag)
        new = (names - shifted).dropna()
        tv = (new.apply(len) / names.apply(len)).reindex(dates)
        turnover.append(tv.tolist())
    out["turnover"] = turnover
    # alphalens factor_rank_autocorrelation(period=lag)
    ranks = df.groupby("date")["factor"].rank()
    piv = pd.DataFrame({"date": df["date"], "asset": df["asset"], "r": ranks}).pivot(index="date", columns="asset", values="r")
    out["rankAutocorrelation"] = piv.corrwith(piv.shift(lag), axis=1).reindex(dates).tolist()
    print(json.dumps(clean(out)))


if __name__ == "__main__":
    main()
