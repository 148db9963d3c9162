#!/usr/bin/env python3
"""Reference numbers for test/real/exposures.test.ts, computed independently with pandas,
statsmodels and scikit-learn from the same files in ../shared/data.

Usage: exposures_reference.py DATA_DIR TICKERS START END L1 L2 RIDGE_L2 [TIGHT_L1 TIGHT_L2]
Prints JSON: per ticker the OLS fit of excess returns on FF5 + momentum (statsmodels OLS, and HAC
with maxlags = floor(4 (n/100)^(2/9)), use_correction=False, use_t=True) and the penalised fits
under the DESIGN.md mapping (fit on StandardScaler()-scaled X, coefficients mapped back):
  Lasso(alpha=l1), ElasticNet(alpha=l1+l2, l1_ratio=l1/(l1+l2)), Ridge(alpha=n*l2).
With TIGHT_L1 TIGHT_L2 also "enet_tight" and "lasso_tight": ElasticNet(alpha=TIGHT_L1+TIGHT_L2,
l1_ratio=TIGHT_L1/(TIGHT_L1+TIGHT_L2)) and Lasso(alpha=TIGHT_L1), both tol=1e-14, max_iter=10**6,
fit_intercept=True (the oracle for factorlab's default, polished solver).
"""
import json
import math
import sys

import numpy as np
import pandas as pd

from refdata import FACTOR_NAMES, ff5_mom, sp500_closes

try:
    import statsmodels.api as sm
    from sklearn.linear_model import ElasticNet, Lasso, Ridge
    from sklearn.preprocessing import StandardScaler
except ImportError as e:  # the test turns this into its apt-get message
    print(json.dumps({"error": f"missing module: {e}"}))
    sys.exit(3)

data, tickers, start, end = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4]
l1, l2, ridge_l2 = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
tight = (float(sys.argv[8]), float(sys.argv[9])) if len(sys.argv) > 9 else None

# the 11 documented one-day bad prices (README of the data folder): removed before returns
BAD = [("AVB", "2010-09-16"), ("AVB", "2012-12-21"), ("BXP", "2007-05-02"), ("EIX", "2009-09-01"), ("EIX", "2012-03-08"),
       ("EIX", "2012-03-22"), ("HST", "2009-11-12"), ("NUE", "2007-01-16"), ("PXD", "2006-03-16"), ("PXD", "2013-08-05"),
       ("SLG", "2014-03-04")]

wide = sp500_closes(data)
for t, d in BAD:
    wide.loc[pd.Timestamp(d), t] = np.nan
rets = wide.pct_change(fill_method=None)


fac = ff5_mom(data)
names = FACTOR_NAMES

rets = rets.loc[(rets.index >= start) & (rets.index <= end)]
out = {"factors": names, "tickers": {}}


def num(v):
    v = float(v)
    return v if math.isfinite(v) else None


for tk in tickers:
    y = (rets[tk] - fac["rf"].reindex(rets.index)).rename("y")
    df = pd.concat([y, fac[names].reindex(rets.index)], axis=1).dropna()
    n = len(df)
    X = sm.add_constant(df[names])
    ols = sm.OLS(df["y"], X).fit()
    lags = int(math.floor(4 * (n / 100) ** (2 / 9)))
    hac = sm.OLS(df["y"], X).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False}, use_t=True)
    rec = {
        "nobs": n,
        "params": [num(v) for v in ols.params], "bse": [num(v) for v in ols.bse], "tvalues": [num(v) for v in ols.tvalues],
        "pvalues": [num(v) for v in ols.pvalues], "rsquared": num(ols.rsquared), "rsquared_adj": num(ols.rsquared_adj),
        "scale_sqrt": num(np.sqrt(ols.scale)),
        "resid_dates": [d.strftime("%Y-%m-%d") for d in df.index], "resid": [num(v) for v in ols.resid],
        "hac": {"lags": lags, "bse": [num(v) for v in hac.bse], "tvalues": [num(v) for v in hac.tvalues], "pvalues": [num(v) for v in hac.pvalues]},
    }
    sc = StandardScaler().fit(df[names].values)
    Xs = sc.transform(df[names].values)
    yv = df["y"].values
    pen = {}
    models = [
        ("lasso", Lasso(alpha=l1, tol=1e-12, max_iter=1_000_000)),
        ("enet", ElasticNet(alpha=l1 + l2, l1_ratio=l1 / (l1 + l2), tol=1e-12, max_iter=1_000_000)),
        ("ridge", Ridge(alpha=n * ridge_l2, solver="cholesky")),
    ]
    if tight is not None:
        tl1, tl2 = tight
        models.append(("enet_tight", ElasticNet(alpha=tl1 + tl2, l1_ratio=tl1 / (tl1 + tl2), tol=1e-14, max_iter=10**6, fit_intercept=True)))
        models.append(("lasso_tight", Lasso(alpha=tl1, tol=1e-14, max_iter=10**6, fit_intercept=True)))
    for key, model in models:
        model.fit(Xs, yv)
        coef = model.coef_ / sc.scale_
        icpt = model.intercept_ - float(np.dot(sc.mean_ / sc.scale_, model.coef_))
        resid = yv - icpt - df[names].values @ coef
        ybar = yv.mean()
        pen[key] = {"coef": [num(icpt)] + [num(v) for v in coef], "r2": num(1 - (resid ** 2).sum() / ((yv - ybar) ** 2).sum()),
                    "n_iter": int(np.max(model.n_iter_)) if getattr(model, "n_iter_", None) is not None else None,
                    "dual_gap": num(model.dual_gap_) if hasattr(model, "dual_gap_") else None}
    rec["penalized"] = pen
    out["tickers"][tk] = rec

print(json.dumps(out))
