"""statsmodels side of bench/exposures.mjs, timed as a whole process by the caller.

Usage: /usr/bin/python3 statsmodels_bench.py ols|rolling DIR
       /usr/bin/python3 statsmodels_bench.py wholepath PRICES FACTORS OUT.json wide|long
wholepath (bench/wholepath.mjs): the CSV / CSV.gz files the factorlab CLI reads, read with pandas
(vectorised_peer.py's readers: returns on the price calendar, joined on the factor dates, minus rf),
then per asset sm.OLS(y_j, add_constant(X), missing='drop').fit() and its
get_robustcov_results(cov_type='HAC', maxlags=floor(4 (n/100)^(2/9)), use_correction=False,
use_t=True); writes params, bse, tvalues, pvalues, R², adjusted R², NW se / t / p per asset as
JSON and prints {"peer_timings": {...}} (ms) on stderr, like vectorised_peer.py.
ols / rolling: DIR holds y.f64 (n x m date-major float64), x.f64 (n x k) and shape.json {n, m, k, window}.
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
if mode == "wholepath":
    import os
    spawn = float(os.environ.get("BENCH_SPAWN_EPOCH_MS", 0)) / 1000.0
    startup = (time.time() - spawn) * 1000.0 if spawn > 0 else (t1 - t0) * 1000.0
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from vectorised_peer import read_factors, read_prices  # noqa: E402
    prices = read_prices(sys.argv[2], sys.argv[5])
    factors = read_factors(sys.argv[3])
    t2 = time.perf_counter()
    p_ = prices.to_numpy()
    r = np.full_like(p_, np.nan)
    r[1:] = p_[1:] / p_[:-1] - 1.0
    common = prices.index.intersection(factors.index)
    pos = prices.index.get_indexer(common)
    fac = factors.loc[common]
    names = [c for c in fac.columns if c != "rf"]
    y = r[pos] - (fac["rf"].to_numpy()[:, None] if "rf" in fac.columns else 0.0)
    X = sm.add_constant(fac[names].to_numpy())
    coefs = ["const"] + names
    assets = []
    # BENCH_SAMPLE_ASSETS=K (wholepath.mjs at large sizes): the loop runs on every step-th asset only,
    # step = ceil(m / K); its time is reported as "sampled" with "scale" = m / assets looped, and the
    # bench scales that part linearly (the read and the vectorised preparation are timed in full)
    sample = int(os.environ.get("BENCH_SAMPLE_ASSETS", "0") or 0)
    step = max(1, -(-prices.shape[1] // sample)) if sample > 0 else 1
    # the first WARM looped assets (statsmodels' first fits pay for lazy imports and caches) are
    # timed apart and not scaled
    WARM = 5
    looped = 0
    t_loop = time.perf_counter()
    for j, a in enumerate(prices.columns):
        if j % step:
            continue
        looped += 1
        if looped == WARM + 1:
            t_loop = time.perf_counter()
        yj = y[:, j]
        nobs = int(np.isfinite(yj).sum())
        if nobs < X.shape[1] + 2:
            continue
        res = sm.OLS(yj, X, missing="drop").fit()
        lags = int(np.floor(4 * (nobs / 100.0) ** (2.0 / 9.0)))
        nw = res.get_robustcov_results(cov_type="HAC", maxlags=lags, use_correction=False, use_t=True)
        rec = lambda v: {c: float(x) for c, x in zip(coefs, v)}  # noqa: E731
        assets.append({"asset": a, "nobs": nobs, "coef": rec(res.params), "se": rec(res.bse), "t": rec(res.tvalues), "p": rec(res.pvalues),
                       "r2": float(res.rsquared), "adjR2": float(res.rsquared_adj), "residualVol": float(np.sqrt(res.scale)),
                       "nw": {"lags": lags, "se": rec(nw.bse), "t": rec(nw.tvalues), "p": rec(nw.pvalues)}})
    t3 = time.perf_counter()
    with open(sys.argv[4], "w") as fh:
        json.dump({"factors": names, "assets": assets}, fh)
    t4 = time.perf_counter()
    ms = lambda a, b: (b - a) * 1000  # noqa: E731
    timings = {"startup": round(startup, 1), "read": round(ms(t1, t2), 1), "compute": round(ms(t2, t3), 1),
               "write": round(ms(t3, t4), 1), "total": round(startup + ms(t1, t4), 1)}
    if step > 1:
        timings.update({"sampled": round(ms(t_loop, t3) + ms(t3, t4), 1), "scale": (prices.shape[1] - WARM) / (looped - WARM),
                        "sampleOf": f"{looped} of {prices.shape[1]} assets, the first {WARM} unscaled"})
    sys.stderr.write(json.dumps({"peer_timings": timings}) + "\n")
    sys.exit(0)
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
