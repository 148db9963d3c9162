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
import json
import math
import sys

import numpy as np

from refdata import FACTOR_NAMES, ff5_mom, sp500_closes

try:
    import statsmodels.api as sm
    from statsmodels.regression.rolling import RollingOLS
except ImportError as e:  # the test turns this into its apt-get message
    print(json.dumps({"error": f"missing module: {e}"}))
    sys.exit(3)

data, tickers, window, min_nobs = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])

wide = sp500_closes(data)
rets = wide[tickers].pct_change(fill_method=None)
fac = ff5_mom(data)
names = FACTOR_NAMES
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
