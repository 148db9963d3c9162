"""statsmodels side of bench/exposures.mjs, timed as a whole process by the caller.

Usage: /usr/bin/python3 statsmodels_bench.py ols|rolling DIR
DIR holds y.f64 (n x m date-major float64), x.f64 (n x k) and shape.json {n, m, k, window}.
  ols:     sm.OLS(y_j, add_constant(X), missing='drop').fit() per asset, reading params, bse,
           tvalues, pvalues, rsquared, rsquared_adj, resid (every diagnostic and the residuals).
  rolling: RollingOLS(y_j, add_constant(X), window).fit() per asset, reading params.
Prints JSON: {"seconds_inside": ..., "checksum": ..., "stages": {import, read, fit, output} in ms}.
The checksum formulas are those of bench/_factorlab_case.mjs (same work, same outputs).
"""
import time

t0 = time.perf_counter()
import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from statsmodels.regression.rolling import RollingOLS  # noqa: E402

t1 = time.perf_counter()
mode, d = sys.argv[1], sys.argv[2]
shape = json.load(open(f"{d}/shape.json"))
n, m, k = shape["n"], shape["m"], shape["k"]
y = np.fromfile(f"{d}/y.f64", dtype="<f8").reshape(n, m)
x = sm.add_constant(np.fromfile(f"{d}/x.f64", dtype="<f8").reshape(n, k))
t2 = time.perf_counter()
check = 0.0
for j in range(m):
    if mode == "ols":
        r = sm.OLS(y[:, j], x, missing="drop").fit()
        check += r.params[1] + r.bse[1] + r.tvalues[1] + r.pvalues[1] + r.rsquared + r.rsquared_adj + r.resid[-1]
    else:
        r = RollingOLS(y[:, j], x, window=shape["window"]).fit()
        check += float(np.nansum(r.params[:, 1]))
t3 = time.perf_counter()
ms = lambda a, b: (b - a) * 1000  # noqa: E731
print(json.dumps({"seconds_inside": t3 - t2, "checksum": check,
                  "stages": {"import": ms(t0, t1), "read": ms(t1, t2), "fit": ms(t2, t3), "output": ms(t3, time.perf_counter())}}))
