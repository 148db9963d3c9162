"""Reference numbers for test/real/variance.test.ts, with numpy / pandas only.

Usage: variance_reference.py DATA_DIR START END TICKER[,TICKER...]

Reads the S&P 500 adjusted prices (long csv.gz) and the daily Fama-French 5 factors and momentum
(original Ken French files, percent converted to decimal through Decimal, the nearest double),
computes for the equal-weighted portfolio of the given tickers over [START, END]:
  - simple returns p_t / p_{t-1} - 1 on the file's full date calendar (no fill), minus RF
  - the dates where the factors and the returns are present
  - numpy.cov of the six factors (ddof 1), OLS with a constant per asset by numpy.linalg.lstsq,
    residual variance SSR / (n - 7), b = B'w, b'Sigma b, sum w^2 sigma^2, and the sample variance
    (ddof 1) of the portfolio's excess return
and prints them as JSON.
"""
import json
import sys
from decimal import Decimal

try:
    import numpy as np
    import pandas as pd
except ImportError as e:  # pragma: no cover
    print(f"missing Python module: {e}; run: apt-get install python3-numpy python3-pandas python3-statsmodels python3-sklearn", file=sys.stderr)
    sys.exit(3)


def ken_french(path, names):
    rows = {}
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            parts = [p.strip() for p in line.strip().split(",")]
            if len(parts[0]) == 8 and parts[0].isdigit():
                vals = [float(Decimal(p) / 100) for p in parts[1:1 + len(names)]]
                rows[pd.Timestamp(parts[0])] = vals
    return pd.DataFrame.from_dict(rows, orient="index", columns=names).sort_index()


def main():
    data, start, end, tickers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
    px = pd.read_csv(f"{data}/us/us_sp500_adj_ohlcv_2005_2017.csv.gz", usecols=["date", "ticker", "close"], parse_dates=["date"])
    all_dates = pd.DatetimeIndex(sorted(px["date"].unique()))
    sub = px[px["ticker"].isin(tickers)].pivot(index="date", columns="ticker", values="close").reindex(all_dates)[tickers]
    ret = sub / sub.shift(1) - 1.0

    ff5 = ken_french(f"{data}/ff/F-F_Research_Data_5_Factors_2x3_daily.CSV", ["mkt_rf", "smb", "hml", "rmw", "cma", "rf"])
    mom = ken_french(f"{data}/ff/F-F_Momentum_Factor_daily.CSV", ["mom"])
    ff = ff5.join(mom, how="inner")
    factors = ["mkt_rf", "smb", "hml", "rmw", "cma", "mom"]

    idx = ret.index.intersection(ff.index)
    idx = idx[(idx >= pd.Timestamp(start)) & (idx <= pd.Timestamp(end))]
    r = ret.loc[idx]
    f = ff.loc[idx]
    excess = r.sub(f["rf"], axis=0)
    assert not excess.isna().any().any(), "a chosen ticker has a missing return in the window"
    F = f[factors].to_numpy()
    Y = excess.to_numpy()
    n, m = Y.shape
    X = np.column_stack([np.ones(n), F])
    coef, _, _, _ = np.linalg.lstsq(X, Y, rcond=None)
    resid = Y - X @ coef
    s2 = (resid ** 2).sum(axis=0) / (n - X.shape[1])
    B = coef[1:, :].T  # m x k
    sigma = np.cov(F.T)
    w = np.full(m, 1.0 / m)
    b = B.T @ w
    systematic = float(b @ sigma @ b)
    specific = float((w ** 2 * s2).sum())
    rp = Y @ w
    ep = resid @ w
    print(json.dumps({
        "n": int(n),
        "start": idx[0].strftime("%Y-%m-%d"),
        "end": idx[-1].strftime("%Y-%m-%d"),
        "factors": factors,
        "covariance": sigma.tolist(),
        "means": F.mean(axis=0).tolist(),
        "betas": B.tolist(),
        "specificVariance": s2.tolist(),
        "exposures": b.tolist(),
        "systematic": systematic,
        "specific": specific,
        "total": systematic + specific,
        "euler": (b * (sigma @ b)).tolist(),
        "realisedVariance": float(np.var(rp, ddof=1)),
        "residualPortfolioVariance": float(np.var(ep, ddof=1)),
    }))


if __name__ == "__main__":
    main()
