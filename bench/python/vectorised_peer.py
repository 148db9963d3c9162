"""The vectorised numpy / pandas peer of bench/wholepath.mjs: what a competent engineer writes to
do factorlab's two jobs on the same CSV / CSV.gz files, every asset at once (no per-asset Python
loop), timed by the caller as a whole process.

Usage:
  /usr/bin/python3 vectorised_peer.py exposures PRICES FACTORS OUT.json [--layout wide|long]
  /usr/bin/python3 vectorised_peer.py analyze SIGNAL PRICES OUT.json [--layout wide|long] [--horizons 1,5,21]

Inputs are those of the factorlab CLI: prices wide (date,A,B,...) or long (date,asset,value), plain
or gzipped; a factor file either wide decimal (date,mkt_rf,...,rf) or Ken French (percent, read as
decimal); the analyze signal long (date,asset,value). Definitions mirror factorlab (DESIGN.md):

exposures (= `factorlab exposures --prices P --factors F --newey-west`):
  r_t = p_t / p_{t-1} - 1 on the price calendar (missing if either price is missing); joined on
  the factor dates; y = r - rf; regressors the other factor columns plus a constant; each asset's
  sample = its rows with y present (factors complete on the joined dates); assets with fewer than
  p + 2 observations are skipped. Normal equations of all assets at once: G_j = sum_t m_tj z_t z_t'
  (one GEMM of the mask against the n x p^2 products), b_j = G_j^-1 sum_t m_tj z_t y_tj (one
  batched np.linalg.solve); residuals, R^2, adjusted R^2, residual vol, classical se / t / p.
  Newey-West (Bartlett, lags L_j = floor(4 (n_j/100)^(2/9)), no correction, Student t p): each
  asset's sample rows are compacted (a stable argsort of the mask puts them first, in order: the
  rows are taken as consecutive, as statsmodels on NaN-dropped data and factorlab do), scores
  g = z e, and S_j = G0 + sum_l w_lj (G_l + G_l') with G_l = sum_i g_i g_{i-l}' by batched matmul
  (np.matmul over assets); V = H S H with H = G^-1.
analyze (= `factorlab analyze --factor S --prices P --horizons 1,5,21`, the fields compared):
  forward returns fwd_h(t) = p_{t+h} / p_t - 1; joint universe (factor and every horizon's
  forward return present); dates with at least 3 such assets; per date Pearson IC and rank IC
  (Pearson of average ranks, DataFrame.rank(axis=1)); quantile labels 1..5 per date with
  pandas.qcut semantics (right-closed bins at the linear-interpolation quantiles, the lowest
  value in bin 1: label = 1 + #{interior edges < x}); per-date equal-weighted mean forward
  return per quantile, then the mean over dates; IC mean / std (ddof 1) / IR / t.
  factorlab also computes the regression test, turnover, NAV, demeaned and weighted quantiles,
  monthly IC and a data-loss account, which this peer does not: its job is the smaller one.

Prints on stderr one line {"peer_timings": {"startup", "read", "compute", "write", "total"}} in
ms; startup runs from the caller's spawn (env BENCH_SPAWN_EPOCH_MS, else this script's first line)
to the end of the imports.
"""
import os
import time

_T0 = time.time()
_SPAWN = float(os.environ.get("BENCH_SPAWN_EPOCH_MS", _T0 * 1000.0)) / 1000.0

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

_marks = {"startup": (time.time() - _SPAWN) * 1000.0}
_last = time.time()


def mark(name):
    global _last
    now = time.time()
    _marks[name] = _marks.get(name, 0.0) + (now - _last) * 1000.0
    _last = now


def read_prices(path, layout):
    if layout == "long":
        df = pd.read_csv(path, engine="c")
        wide = df.pivot(index="date", columns="asset", values=df.columns[2])
    else:
        wide = pd.read_csv(path, engine="c", index_col=0)
    wide.index = pd.Index(wide.index.astype(str), name="date")
    return wide.sort_index().astype(np.float64)


def read_factors(path):
    """A wide decimal date,f1,...,rf table, or a Ken French daily file (percent; read as decimal)."""
    with open(path, "r", encoding="latin-1") as fh:
        head = fh.read(4096)
    first = head.splitlines()[0]
    if first.lower().startswith("date"):
        df = pd.read_csv(path, engine="c", index_col=0)
        df.index = pd.Index(df.index.astype(str), name="date")
        return df.astype(np.float64)
    # Ken French: preamble lines, a header ",Mkt-RF,SMB,...,RF", yyyymmdd rows, then other tables
    lines = head.splitlines()
    skip = next(i for i, ln in enumerate(lines) if ln.startswith(",") and "RF" in ln.upper())
    df = pd.read_csv(path, engine="c", skiprows=skip, index_col=0, encoding="latin-1", dtype=str)
    idx = df.index.astype(str).str.strip()
    keep = idx.str.fullmatch(r"\d{8}")
    df = df[np.asarray(keep)]
    df = df.apply(lambda col: col.str.strip().astype(np.float64)) / 100.0
    d = pd.Index(df.index.astype(str).str.strip())
    df.index = pd.Index(d.str[0:4] + "-" + d.str[4:6] + "-" + d.str[6:8], name="date")
    cols = [c.strip().lower().replace("-", "_") for c in df.columns]
    df.columns = cols
    return df


def t_pvalue(t, df):
    return 2.0 * stats.t.sf(np.abs(t), df)


def exposures(prices_path, factors_path, out_path, layout):
    prices = read_prices(prices_path, layout)
    factors = read_factors(factors_path)
    mark("read")
    p_ = prices.to_numpy()
    r = np.full_like(p_, np.nan)
    r[1:] = p_[1:] / p_[:-1] - 1.0
    rets = pd.DataFrame(r, index=prices.index, columns=prices.columns)
    common = rets.index.intersection(factors.index)
    rets = rets.loc[common]
    fac = factors.loc[common]
    rfcol = "rf" if "rf" in fac.columns else None
    names = [c for c in fac.columns if c != rfcol]
    X = fac[names].to_numpy()
    y = rets.to_numpy()
    if rfcol is not None:
        y = y - fac[rfcol].to_numpy()[:, None]
    ok_x = np.isfinite(X).all(axis=1)
    X = X[ok_x]
    y = y[ok_x]
    n, m = y.shape
    k = X.shape[1]
    p = k + 1
    Z = np.column_stack([np.ones(n), X])
    mask = np.isfinite(y)
    w = mask.astype(np.float64)
    y0 = np.where(mask, y, 0.0)
    nobs = mask.sum(axis=0)
    fitted = nobs >= p + 2
    # normal equations of every asset: G_j = sum_t w_tj z_t z_t', c_j = sum_t z_t y_tj
    zz = (Z[:, :, None] * Z[:, None, :]).reshape(n, p * p)
    G = (w.T @ zz).reshape(m, p, p)
    c = y0.T @ Z
    Gf = np.where(fitted[:, None, None], G, np.eye(p))
    H = np.linalg.inv(Gf)
    B = np.einsum("jab,jb->ja", H, c)
    E = np.where(mask, y - Z @ B.T, np.nan)
    E0 = np.where(mask, E, 0.0)
    ssr = (E0 * E0).sum(axis=0)
    ybar = y0.sum(axis=0) / np.maximum(nobs, 1)
    tss = (np.where(mask, y - ybar, 0.0) ** 2).sum(axis=0)
    dfr = nobs - p
    s2 = ssr / np.maximum(dfr, 1)
    diagH = np.einsum("jaa->ja", H)
    se = np.sqrt(s2[:, None] * diagH)
    tv = B / se
    pv = t_pvalue(tv, np.maximum(dfr, 1)[:, None])
    r2 = 1.0 - ssr / tss
    adj = 1.0 - (1.0 - r2) * (nobs - 1) / np.maximum(dfr, 1)
    rvol = np.sqrt(s2)
    # Newey-West: compact each asset's sample rows to the front (stable), scores g = z e
    order = np.argsort(~mask, axis=0, kind="stable")  # n x m: the sample rows first, in order
    ec = np.take_along_axis(E0, order, axis=0)  # padding rows hold e = 0
    g = Z[order.T] * ec.T[:, :, None]  # m x n x p (asset-major), zero past each sample
    lags = np.floor(4.0 * (nobs / 100.0) ** (2.0 / 9.0)).astype(int)
    lags = np.minimum(lags, np.maximum(nobs - 1, 0))
    S = np.matmul(g.transpose(0, 2, 1), g)
    for lag in range(1, int(lags[fitted].max(initial=0)) + 1):
        wl = np.where(lag <= lags, 1.0 - lag / (lags + 1.0), 0.0)
        gl = np.matmul(g[:, lag:, :].transpose(0, 2, 1), g[:, :-lag, :])
        S += wl[:, None, None] * (gl + gl.transpose(0, 2, 1))
    V = H @ S @ H
    se_nw = np.sqrt(np.einsum("jaa->ja", V))
    t_nw = B / se_nw
    p_nw = t_pvalue(t_nw, np.maximum(dfr, 1)[:, None])
    mark("compute")
    coefs = ["const"] + names

    def row(v):
        return {cn: (None if not np.isfinite(x) else float(x)) for cn, x in zip(coefs, v)}

    def num(x):
        return None if not np.isfinite(x) else float(x)

    assets = []
    skipped = []
    for j, a in enumerate(prices.columns):
        if not fitted[j]:
            skipped.append({"asset": a, "reason": f"{int(nobs[j])} observations"})
            continue
        assets.append({"asset": a, "nobs": int(nobs[j]), "coef": row(B[j]), "se": row(se[j]), "t": row(tv[j]), "p": row(pv[j]),
                       "r2": num(r2[j]), "adjR2": num(adj[j]), "residualVol": num(rvol[j]),
                       "nw": {"lags": int(lags[j]), "se": row(se_nw[j]), "t": row(t_nw[j]), "p": row(p_nw[j])}})
    with open(out_path, "w") as fh:
        json.dump({"factors": names, "assets": assets, "skipped": skipped}, fh)
    mark("write")


def row_pearson(x, y, mask):
    """Per-row Pearson correlation of x and y over the masked cells."""
    cnt = mask.sum(axis=1)
    x0 = np.where(mask, x, 0.0)
    y0 = np.where(mask, y, 0.0)
    mx = x0.sum(axis=1) / cnt
    my = y0.sum(axis=1) / cnt
    dx = np.where(mask, x - mx[:, None], 0.0)
    dy = np.where(mask, y - my[:, None], 0.0)
    return (dx * dy).sum(axis=1) / np.sqrt((dx * dx).sum(axis=1) * (dy * dy).sum(axis=1))


def summary(v):
    v = v[np.isfinite(v)]
    n = len(v)
    mean = float(v.mean())
    std = float(v.std(ddof=1))
    return {"n": n, "mean": mean, "std": std, "ir": mean / std, "tStat": mean / (std / np.sqrt(n))}


def analyze(signal_path, prices_path, out_path, layout, horizons, quantiles=5, min_assets=3):
    prices = read_prices(prices_path, layout)
    sig = pd.read_csv(signal_path, engine="c")
    signal = sig.pivot(index="date", columns="asset", values=sig.columns[2])
    signal.index = pd.Index(signal.index.astype(str), name="date")
    mark("read")
    # the signal on the price calendar and assets (its dates are price dates here)
    signal = signal.reindex(index=prices.index, columns=prices.columns)
    P = prices.to_numpy()
    F = signal.to_numpy()
    n, m = P.shape
    fwd = {}
    for h in horizons:
        f = np.full_like(P, np.nan)
        f[:-h] = P[h:] / P[:-h] - 1.0
        fwd[h] = f
    joint = np.isfinite(F)
    for h in horizons:
        joint &= np.isfinite(fwd[h])
    cnt = joint.sum(axis=1)
    rows = cnt >= min_assets
    dates = prices.index[rows]
    Fm = np.where(joint, F, np.nan)[rows]
    J = joint[rows]
    fr = pd.DataFrame(Fm).rank(axis=1, method="average").to_numpy()
    qs = np.arange(1, quantiles) / quantiles
    edges = np.nanquantile(Fm, qs, axis=1)  # x dates, linear interpolation (pandas.qcut)
    labels = 1 + (Fm[None, :, :] > edges[:, :, None]).sum(axis=0)
    out = {"dates": list(dates), "ic": {}, "quantiles": {}}
    for h in horizons:
        R = np.where(J, fwd[h][rows], np.nan)
        ic = row_pearson(Fm, R, J)
        rr = pd.DataFrame(R).rank(axis=1, method="average").to_numpy()
        ric = row_pearson(fr, rr, J)
        qmeans = {}
        qover = {}
        R0 = np.where(J, R, 0.0)
        for q in range(1, quantiles + 1):
            inq = J & (labels == q)
            c = inq.sum(axis=1)
            s = np.where(inq, R0, 0.0).sum(axis=1)
            mq = np.where(c > 0, s / np.maximum(c, 1), np.nan)
            qmeans[str(q)] = [None if not np.isfinite(v) else float(v) for v in mq]
            qover[str(q)] = float(np.nanmean(mq))
        out["ic"][str(h)] = {"pearson": [float(v) for v in ic], "spearman": [float(v) for v in ric],
                             "summary": {"pearson": summary(ic), "spearman": summary(ric)}}
        out["quantiles"][str(h)] = {"meanReturn": qmeans, "meanOverDates": qover}
    mark("compute")
    with open(out_path, "w") as fh:
        json.dump(out, fh)
    mark("write")


def main():
    args = sys.argv[1:]
    layout = "wide"
    horizons = [1, 5, 21]
    if "--layout" in args:
        i = args.index("--layout")
        layout = args[i + 1]
        del args[i:i + 2]
    if "--horizons" in args:
        i = args.index("--horizons")
        horizons = [int(h) for h in args[i + 1].split(",")]
        del args[i:i + 2]
    job = args[0]
    if job == "exposures":
        exposures(args[1], args[2], args[3], layout)
    elif job == "analyze":
        analyze(args[1], args[2], args[3], layout, horizons)
    else:
        raise SystemExit(f"unknown job {job}")
    _marks["total"] = (time.time() - _SPAWN) * 1000.0
    sys.stderr.write(json.dumps({"peer_timings": {k: round(v, 1) for k, v in _marks.items()}}) + "\n")


if __name__ == "__main__":
    main()
