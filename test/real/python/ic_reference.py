"""Reference numbers for test/real/ic.test.ts: per-date IC (scipy.stats pearsonr / spearmanr),
summaries (numpy / scipy, Newey-West via statsmodels HAC), and the per-date regression test
(statsmodels OLS params / tvalues / rsquared). Prints JSON on stdout.

Usage:
  ic_reference.py sse <data dir> <horizon,...>    reads cn/sse50_2021q1_{prices,factor,stock_2_idx}.csv itself
  ic_reference.py panel <long csv> <horizon,...>  columns date,asset,factor,fwd<h>... written by the test
Run with Debian's /usr/bin/python3 (apt-get install python3-statsmodels python3-sklearn).
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd

from refdata import clean
from scipy import stats
import statsmodels.api as sm

warnings.filterwarnings("ignore")
MIN_ASSETS = 3
THRESHOLD = 0.03


def summary(x, h):
    x = np.asarray([v for v in x if np.isfinite(v)], dtype=float)
    n = len(x)
    mean = x.mean()
    std = x.std(ddof=1)
    tt = stats.ttest_1samp(x, 0.0)
    hac = sm.OLS(x, np.ones(n)).fit(cov_type="HAC", cov_kwds={"maxlags": h, "use_correction": False}, use_t=True)
    return {
        "n": n, "mean": mean, "std": std, "ir": mean / std,
        "tStat": float(tt.statistic), "pValue": float(tt.pvalue),
        "tStatNW": float(hac.tvalues[0]), "pValueNW": float(hac.pvalues[0]),
        "skew": float(stats.skew(x)), "kurtosis": float(stats.kurtosis(x)),
        "sharePositive": float((x > 0).mean()), "shareAboveThreshold": float((np.abs(x) > THRESHOLD).mean()),
        "meanAbs": float(np.abs(x).mean()),
    }


def analyse(df, horizons, groups=None):
    """df: columns date, asset, factor, fwd<h>; groups: optional asset -> group label."""
    out = {}
    dates = sorted(df["date"].unique())
    for h in horizons:
        col = f"fwd{h}"
        pear, spear, n, fr, tv, r2, frg, tvg = [], [], [], [], [], [], [], []
        for d in dates:
            g = df[df["date"] == d][["asset", "factor", col]].dropna()
            x, y = g["factor"].to_numpy(), g[col].to_numpy()
            n.append(len(g))
            if len(g) < MIN_ASSETS or np.ptp(x) == 0 or np.ptp(y) == 0:
                pear.append(None); spear.append(None)
            else:
                pear.append(float(stats.pearsonr(x, y)[0])); spear.append(float(stats.spearmanr(x, y)[0]))
            if len(g) < MIN_ASSETS or np.ptp(x) == 0:
                fr.append(None); tv.append(None); r2.append(None)
            else:
                res = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit()
                fr.append(float(res.params[1])); tv.append(float(res.tvalues[1])); r2.append(float(res.rsquared))
            if groups is not None:
                gg = g[g["asset"].isin(groups.keys())]
                labels = gg["asset"].map(groups)
                dummies = pd.get_dummies(labels, drop_first=True, dtype=float).to_numpy()
                X = np.column_stack([np.ones(len(gg)), gg["factor"].to_numpy(), dummies])
                if len(gg) > X.shape[1] and np.linalg.matrix_rank(X) == X.shape[1]:
                    res = sm.OLS(gg[col].to_numpy(), X).fit()
                    frg.append(float(res.params[1])); tvg.append(float(res.tvalues[1]))
                else:
                    frg.append(None); tvg.append(None)
        fin = lambda a: [np.nan if v is None else v for v in a]
        ts = np.array(fin(tv))
        ok = ts[np.isfinite(ts)]
        out[str(h)] = {
            "dates": [str(d) for d in dates], "n": n, "pearson": pear, "spearman": spear,
            "summary": {"pearson": summary(fin(pear), h), "spearman": summary(fin(spear), h)},
            "regression": {
                "factorReturn": fr, "t": tv, "r2": r2,
                "summary": {**summary(fin(fr), h), "meanAbsT": float(np.abs(ok).mean()),
                            "shareAbsTAbove2": float((np.abs(ok) > 2).mean()),
                            "meanR2": float(np.nanmean(np.array(fin(r2))))},
                "groups": {"factorReturn": frg, "t": tvg} if groups is not None else None,
            },
        }
    return out


def sse(data, horizons):
    prices = pd.read_csv(f"{data}/cn/sse50_2021q1_prices.csv", dtype={"date": str}).set_index("date")
    factor = pd.read_csv(f"{data}/cn/sse50_2021q1_factor.csv", dtype={"date": str, "asset": str})
    idx = pd.read_csv(f"{data}/cn/sse50_2021q1_stock_2_idx.csv", header=None, names=["asset", "group"], dtype=str)
    frames = []
    for h in horizons:
        fwd = (prices.shift(-h) / prices - 1).stack(dropna=False).rename(f"fwd{h}")
        frames.append(fwd)
    fwd = pd.concat(frames, axis=1).reset_index().rename(columns={"level_1": "asset"})
    df = factor.rename(columns={"factor_value": "factor"}).merge(fwd, on=["date", "asset"], how="inner")
    return analyse(df, horizons, dict(zip(idx["asset"], idx["group"])))


def panel(path, horizons):
    df = pd.read_csv(path, dtype={"date": str, "asset": str})
    return analyse(df, horizons)


def main():
    mode, src, hs = sys.argv[1], sys.argv[2], [int(v) for v in sys.argv[3].split(",")]
    res = sse(src, hs) if mode == "sse" else panel(src, hs)
    print(json.dumps(clean(res), allow_nan=False))


if __name__ == "__main__":
    main()
