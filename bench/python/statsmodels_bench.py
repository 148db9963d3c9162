"""statsmodels side of bench/exposures.mjs, timed as a whole process by the caller.

Usage: /usr/bin/python3 statsmodels_bench.py ols|rolling DIR
DIR holds y.f64 (n x m date-major float64), x.f64 (n x k) and shape.json {n, m, k, window}.
  ols:     sm.OLS(y_j, add_constant(X), missing='drop').fit() per asset, reading params, bse,
           tvalues, pvalues, rsquared, rsquared_adj, resid (every diagnostic and the residuals).
  rolling: RollingOLS(y_j, add_constant(X), window).fit() per asset, reading params.
Prints JSON: {"seconds_inside": ..., "checksum": ...}.
"""
import json
import sys
import time

import numpy as np
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS

mode, d = sys.argv[1], sys.argv[2]
shape = json.load(open(f"{d}/shape.json"))
n, m, k = shape["n"], shape["m"], shape["k"]
y = np.fromfile(f"{d}/y.f64", dtype="<f8").reshape(n, m)
x = sm.add_constant(np.fromfile(f"{d}/x.f64", dtype="<f8").reshape(n, k))
t0 = time.perf_counter()
check = 0.0
for j in range(m):
    if mode == "ols":
        r = sm.OLS(y[:, j], x, missing="drop").fit()
        check += r.params[1] + r.bse[1] + r.tvalues[1] + r.pvalues[1] + r.rsquared + r.rsquared_adj + r.resid[-1]
    else:
        r = RollingOLS(y[:, j], x, window=shape["window"]).fit()
        check += float(np.nansum(r.params[:, 1]))
print(json.dumps({"seconds_inside": time.perf_counter() - t0, "checksum": check}))
