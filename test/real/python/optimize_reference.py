"""An independent solve of `factorlab optimize` / `factorlab replicate` problems on real data: the
reference of test/real/optimize.test.ts, written from the definitions in README.md
("`factorlab optimize` and `factorlab replicate`") and src/portfolio/spec.ts, not from the code.

Risk model (numpy/pandas):
- returns: close-to-close simple returns of the long price file (the 11 documented one-day bad
  prices set to missing first, as --clean does; pandas pct_change, no fill), on
  the dates --start..--end (the first of them uses the price before --start), minus the risk-free
  rate; factors: Ken French daily files read by refdata.py (percent -> decimal);
- B: per asset, numpy least squares of its excess return on a constant and the factors over the
  dates it has a return (an asset with fewer than k + 3 returns, or a constant return, is left out);
  D: the residual variance SSR / (n - k - 1);
- F: the factor returns over the factor dates from the first to the last fit date: numpy.cov
  (sample), pandas ewm(halflife, adjust=True).cov(bias=True) on the last date (EWMA), or the
  Ledoit-Wolf estimator written from its definition (J. Multivariate Anal. 88, 2004: shrink
  S = XcᵀXc/T towards mu·I by min(b2, d2)/d2 with d2 = ||S - mu I||²/k and
  b2 = (1/T²)·Σ_t ||x_t x_tᵀ - S||²/k);
- Σ = B F Bᵀ + D formed as a dense n × n matrix.

Problem: minimise ½γ(w − b)ᵀΣ(w − b) − αᵀw + c·Σ|w − w0| + ½κ·Σ(w − w0)², when trades are priced
or capped over w = w0 + u − v, u, v ≥ 0 (buys and sells, so the L1 cost and the turnover cap
Σ(u + v) ≤ T are linear; factorlab lifts t ≥ |Δw| instead), subject to Σw = budget, long-only / per-name bounds, exposure bands on Bᵀw (active:
Bᵀ(w − b)), group bands on Σ_{i∈g} w_i (active: minus the benchmark's), the tracking-error cap
P·(w − b)ᵀΣ(w − b) ≤ cap² as a quadratic constraint, and the return floor μᵀw ≥ r.

Solver: a dense primal-dual interior-point method (infeasible start, Mehrotra-type centring, the
quadratic constraint carried with its Hessian), then **polishing**: Newton's method on the KKT
system of the active set the interior point found (equalities, the inequalities at their bound
and the quadratic cap, solved by least squares so that a degenerate active set still gives the
unique weights), with the active set corrected while a multiplier has the wrong sign or an
inactive constraint is violated. The answer's KKT residuals are reported. (scipy's SLSQP, the
first route tried, took 85 s for one 518-name problem here: too slow for the suite.)

Replicate: the same risk model on --start..--fit-end; the target's betas by least squares (the
equal-weight target is the pandas row mean of the universe's returns, a return series is read from
its file; the index holds h = 1/N of the N names with a return on the fit window's last date, a return
series h = 0), the basket min ½wᵀΣw − (B F β + D h)ᵀw s.t. Σw = 1, 0 ≤ w ≤ cap, |Bᵀw − β| ≤ tolerance (on a
given support: the names factorlab's MILP kept), and the basket's exposures, ex-post tracking
error std(r_p − r_T)·√252 (ddof 1; a held name without a return counts 0) and correlation in and
out of sample, and the model tracking error √(252·(dᵀFd + (w − h)ᵀD(w − h))) for the index, √(252·(dᵀFd +
wᵀDw + σ²_T)) for a return series.

Facts (the edge cases): each asset's returns in the window and its last one, the names per GICS
sector, and the largest exposure to each factor a long-only portfolio with Σw = 1 and w ≤ cap
reaches (the cap on the highest exposures).

Usage: python3 optimize_reference.py SPEC.json  ->  JSON on stdout. SPEC is {"mode": "inputs", ...}
(write the benchmark, current, alpha and market files the test gives the CLI) or {"problems":
[...]}, each problem {"mode": "optimize" | "replicate" | "facts", ...} with the CLI's weights as
"factorlab". DEBUG = True prints the interior point's residuals on stderr.
"""
import json
import sys

import numpy as np
import scipy.cluster.hierarchy as sch
import scipy.spatial.distance as ssd
import pandas as pd

from refdata import FACTOR_NAMES, clean, ff5_mom

PPY = 252
DEBUG = False


# ---------------------------------------------------------------- data

# the 11 documented one-day bad prices (README of the data folder): what --clean sets to missing
BAD = [("AVB", "2010-09-16"), ("AVB", "2012-12-21"), ("BXP", "2007-05-02"), ("EIX", "2009-09-01"), ("EIX", "2012-03-08"),
       ("EIX", "2012-03-22"), ("HST", "2009-11-12"), ("NUE", "2007-01-16"), ("PXD", "2006-03-16"), ("PXD", "2013-08-05"),
       ("SLG", "2014-03-04")]

_CLOSES = {}


def closes(path):
    """Close prices as a date × ticker frame, the documented bad ticks set to missing (--clean)."""
    if path not in _CLOSES:
        px = pd.read_csv(path, usecols=["date", "ticker", "close"], parse_dates=["date"])
        wide = px.pivot(index="date", columns="ticker", values="close").sort_index()
        for t, d in BAD:
            wide.loc[pd.Timestamp(d), t] = np.nan
        _CLOSES[path] = wide
    return _CLOSES[path]


def returns_in_window(prices, fac, start, end):
    """Simple returns on the price dates inside start..end (the first uses the price before start)."""
    rets = prices.pct_change(fill_method=None)
    rets = rets.loc[(rets.index >= start) & (rets.index <= end)]
    # every factor date inside the window must be a price date (else returns would span two periods)
    fdates = fac.index[(fac.index >= rets.index[0]) & (fac.index <= rets.index[-1])]
    missing = fdates.difference(rets.index)
    if len(missing) > 0:
        raise SystemExit(f"the prices lack factor dates {list(missing[:3])}: this reference does not handle spanning returns")
    return rets


def ledoit_wolf(x):
    t, k = x.shape
    xc = x - x.mean(axis=0)
    s = xc.T @ xc / t
    mu = np.trace(s) / k
    d2 = np.sum((s - mu * np.eye(k)) ** 2) / k
    b2 = sum(np.sum((np.outer(r, r) - s) ** 2) for r in xc) / (t * t) / k
    delta = min(b2, d2) / d2 if d2 > 0 else 0.0
    return (1 - delta) * s + delta * mu * np.eye(k), delta


def factor_covariance(f, method, half_life):
    x = f.to_numpy()
    if method == "sample":
        return np.cov(x, rowvar=False, ddof=1)
    if method == "ewma":
        c = f.ewm(halflife=half_life, adjust=True).cov(bias=True)
        return c.loc[f.index[-1]].to_numpy()
    return ledoit_wolf(x)[0]


def risk_model(rets, fac, names, method="ledoit-wolf", half_life=63, min_obs=None):
    """B (n × k), D (n), F (k × k), the kept assets, the fit dates and the rejected assets."""
    k = len(names)
    min_obs = k + 3 if min_obs is None else min_obs
    fw = fac.reindex(rets.index)
    ex = rets.sub(fw["rf"], axis=0)
    X = fw[names].to_numpy()
    ok_rows = np.isfinite(X).all(axis=1)
    keep, betas, spec, nobs, dropped = [], [], [], [], {}
    for a in ex.columns:
        y = ex[a].to_numpy()
        m = ok_rows & np.isfinite(y)
        n = int(m.sum())
        if n < min_obs:
            dropped[a] = f"{n} returns"
            continue
        if np.ptp(y[m]) == 0:
            dropped[a] = "constant return"
            continue
        Z = np.column_stack([np.ones(n), X[m]])
        coef, *_ = np.linalg.lstsq(Z, y[m], rcond=None)
        res = y[m] - Z @ coef
        keep.append(a)
        betas.append(coef[1:])
        spec.append(res @ res / (n - k - 1))
        nobs.append(n)
    dates = ex.index[ok_rows]
    f = fac.loc[(fac.index >= dates[0]) & (fac.index <= dates[-1]), names].dropna()
    F = factor_covariance(f, method, half_life)
    # names whose last return in the window is more than 5 of its dates before its end (delisted,
    # suspended): not tradable at its end (optimize holds them at the current weight, replicate keeps
    # them out of the basket)
    window = rets.loc[(rets.index >= dates[0]) & (rets.index <= dates[-1])]
    stale = []
    for a in keep:
        known = np.flatnonzero(np.isfinite(window[a].to_numpy()))
        if len(known) > 0 and len(window) - 1 - known[-1] > 5:
            stale.append(a)
    return {"assets": keep, "B": np.array(betas), "D": np.array(spec), "F": F, "nobs": np.array(nobs), "dropped": dropped,
            "first": dates[0], "last": dates[-1], "stale": stale}


def read_values(path, assets):
    df = pd.read_csv(path)
    v = dict(zip(df.iloc[:, 0].astype(str), df.iloc[:, 1].astype(float)))
    return np.array([v.get(a, 0.0) for a in assets]), v


def read_groups(path, asset_col, group_col, assets):
    g = pd.read_csv(path, dtype=str, keep_default_na=False)
    m = dict(zip(g[asset_col], g[group_col]))
    return [m.get(a) for a in assets]


# ---------------------------------------------------------------- the QP / QCQP solver

class Problem:
    """min ½xᵀHx + cᵀx  s.t.  A x = b,  G x ≤ h,  lb ≤ x ≤ ub,  and optionally ½(x − xq)ᵀQ(x − xq) ≤ r."""

    def __init__(self, H, c, A, b, G, h, lb, ub, quad=None):
        n = len(c)
        self.H, self.c, self.quad = H, c, quad
        self.A, self.b = (A, b) if len(b) else (np.zeros((0, n)), np.zeros(0))
        self.G, self.h = (G, h) if len(h) else (np.zeros((0, n)), np.zeros(0))
        self.lb, self.ub = lb, ub

    def qval(self, x):
        Q, xq, r = self.quad
        d = x - xq
        return 0.5 * d @ Q @ d - r

    def qgrad(self, x):
        Q, xq, _ = self.quad
        return Q @ (x - xq)


def interior_point(p, iters=200, tol=1e-10):
    """A primal-dual path-following method (Mehrotra predictor-corrector) on the inequalities
    g_j(x) + s_j = 0, s, z ≥ 0: the rows of G, the finite bounds (diagonal) and the quadratic."""
    n, me, mg = len(p.c), len(p.b), len(p.h)
    il, iu = np.flatnonzero(np.isfinite(p.lb)), np.flatnonzero(np.isfinite(p.ub))
    nq = 1 if p.quad is not None else 0
    m = mg + len(il) + len(iu) + nq
    x, lam = np.clip(np.zeros(n), p.lb, p.ub), np.zeros(me)
    s, z = np.ones(m), np.ones(m)
    sl = slice(mg, mg + len(il))
    su = slice(mg + len(il), mg + len(il) + len(iu))

    def gvals(x):
        parts = [p.G @ x - p.h, p.lb[il] - x[il], x[iu] - p.ub[iu]]
        return np.concatenate(parts + ([[p.qval(x)]] if nq else []))

    def jt(x, v):  # Jᵀv
        out = p.G.T @ v[:mg]
        np.subtract.at(out, il, v[sl])
        np.add.at(out, iu, v[su])
        if nq:
            out = out + v[-1] * p.qgrad(x)
        return out

    def jdx(x, dx):  # J dx
        parts = [p.G @ dx, -dx[il], dx[iu]]
        return np.concatenate(parts + ([[p.qgrad(x) @ dx]] if nq else []))

    scale = max(1.0, np.abs(p.c).max(), np.abs(p.H).max())
    it = 0
    for it in range(iters):
        rd = p.H @ x + p.c + p.A.T @ lam + jt(x, z)
        re = p.A @ x - p.b
        ri = gvals(x) + s
        mu = s @ z / m
        if DEBUG:
            print(it, np.abs(rd).max(), np.abs(re).max(initial=0), np.abs(ri).max(), mu, file=sys.stderr)
        # stop near the optimum: the polish takes it from there (driving mu further only spoils the
        # conditioning of the Newton systems)
        if max(np.abs(rd).max() / scale, np.abs(re).max(initial=0), np.abs(ri).max()) < tol and mu < tol * 0.1:
            break
        W = z / s
        K11 = p.H + p.G.T @ (W[:mg, None] * p.G)
        K11[il, il] += W[sl]
        K11[iu, iu] += W[su]
        if nq:
            gq = p.qgrad(x)
            K11 = K11 + z[-1] * p.quad[0] + W[-1] * np.outer(gq, gq)
        K = np.block([[K11, p.A.T], [p.A, np.zeros((me, me))]])

        def newton(rc):
            rhs = np.concatenate([-rd + jt(x, (rc - z * ri) / s), -re])
            try:
                sol = np.linalg.solve(K, rhs)
            except np.linalg.LinAlgError:
                sol = np.linalg.lstsq(K, rhs, rcond=None)[0]
            dx, dl = sol[:n], sol[n:]
            ds = -ri - jdx(x, dx)
            dz = (-rc - z * ds) / s
            return dx, dl, ds, dz

        def longest(v, dv):
            neg = dv < 0
            return min(1.0, (-v[neg] / dv[neg]).min()) if neg.any() else 1.0

        dx, dl, ds, dz = newton(s * z)  # predictor (affine scaling)
        a_aff = min(longest(s, ds), longest(z, dz))
        sigma = ((s + a_aff * ds) @ (z + a_aff * dz) / m / mu) ** 3
        dx, dl, ds, dz = newton(s * z + ds * dz - sigma * mu)  # corrector, centred
        a = 0.995 * min(longest(s, ds), longest(z, dz))
        x, lam, s, z = x + a * dx, lam + a * dl, s + a * ds, z + a * dz
    zl, zu = np.zeros(n), np.zeros(n)
    zl[il], zu[iu] = z[sl], z[su]
    sl_, su_ = np.full(n, np.inf), np.full(n, np.inf)
    sl_[il], su_[iu] = s[sl], s[su]
    return {"x": x, "lam": lam, "zg": z[:mg], "sg": s[:mg], "zl": zl, "zu": zu, "sl": sl_, "su": su_,
            "zq": z[-1] if nq else 0.0, "sq": s[-1] if nq else np.inf, "iterations": it}


def kkt_residuals(p, x, lam, zg, zl, zu, zq):
    """Primal (largest violation), stationarity, complementarity and the most negative multiplier."""
    g = p.G @ x - p.h
    q = p.qval(x) if p.quad is not None else 0.0
    primal = max(np.abs(p.A @ x - p.b).max(initial=0), np.maximum(g, 0).max(initial=0), max(q, 0.0),
                 np.maximum(p.lb - x, 0).max(), np.maximum(x - p.ub, 0).max())
    grad = p.H @ x + p.c + p.A.T @ lam + p.G.T @ zg - zl + zu + (zq * p.qgrad(x) if p.quad is not None else 0)
    fin = lambda v: np.where(np.isfinite(v), v, 0.0)
    comp = max(np.abs(zg * g).max(initial=0), abs(zq * q), np.abs(zl * fin(x - p.lb)).max(), np.abs(zu * fin(p.ub - x)).max())
    return {"primal": float(primal), "stationarity": float(np.abs(grad).max()), "complementarity": float(comp),
            "dualSign": float(min(zg.min(initial=0), zl.min(), zu.min(), zq))}


def lstsq_refined(K, rhs):
    sol = np.linalg.lstsq(K, rhs, rcond=None)[0]
    for _ in range(3):
        sol = sol + np.linalg.lstsq(K, rhs - K @ sol, rcond=None)[0]
    return sol


def polish(p, ip, tol=1e-10):
    """Newton on the KKT system of the active set the interior point found: the variables at a
    bound are fixed there, the general rows at a bound and the equalities are equations, and the
    quadratic cap too when it binds (least squares: a degenerate set still gives the unique x). The
    set is corrected while a multiplier has the wrong sign or an inactive constraint is violated."""
    n, me = len(p.c), len(p.b)
    act = np.flatnonzero(ip["zg"] > ip["sg"])  # multiplier above slack
    at_lo = ip["zl"] > ip["sl"]
    at_up = (ip["zu"] > ip["su"]) & ~at_lo
    qact = p.quad is not None and ip["zq"] > ip["sq"]
    x, zq = ip["x"].copy(), (ip["zq"] if qact else 0.0)
    for _round in range(100):
        x[at_lo], x[at_up] = p.lb[at_lo], p.ub[at_up]
        fr = np.flatnonzero(~at_lo & ~at_up)
        E = np.vstack([p.A, p.G[act]])
        e = np.concatenate([p.b, p.h[act]])
        m = len(e)
        y = np.zeros(m)
        # Newton on F(x_F, y, zq) = ((Hx + c + Eᵀy + zq·∇q)_F, Ex − e, q(x)); one step when there is no q
        for _newton in range(50):
            gq = p.qgrad(x) if qact else None
            F1 = (p.H @ x + p.c + E.T @ y + (zq * gq if qact else 0))[fr]
            F = np.concatenate([F1, E @ x - e] + ([[p.qval(x)]] if qact else []))
            HF = p.H[np.ix_(fr, fr)] + (zq * p.quad[0][np.ix_(fr, fr)] if qact else 0)
            EF = E[:, fr]
            if qact:
                K = np.block([[HF, EF.T, gq[fr, None]], [EF, np.zeros((m, m + 1))], [gq[None, fr], np.zeros((1, m + 1))]])
            else:
                K = np.block([[HF, EF.T], [EF, np.zeros((m, m))]])
            d = lstsq_refined(K, -F)
            x[fr] += d[:len(fr)]
            y = y + d[len(fr):len(fr) + m]
            if qact:
                zq += d[-1]
            if not qact or np.abs(d[:len(fr)]).max(initial=0) <= 1e-16 * max(1.0, np.abs(x).max()):
                break
        lam = y[:me]
        zg = np.zeros(len(p.h))
        zg[act] = y[me:]
        grad = p.H @ x + p.c + p.A.T @ lam + p.G.T @ zg + (zq * p.qgrad(x) if qact else 0)
        zl = np.where(at_lo, grad, 0.0)  # stationarity: grad − zl + zu = 0
        zu = np.where(at_up, -grad, 0.0)
        big = tol * max(1.0, np.abs(zg).max(initial=0), np.abs(zl).max(), np.abs(zu).max())
        viol_g = np.flatnonzero(p.G @ x - p.h > tol)
        wrong_g = act[zg[act] < -big]
        below, above = x < p.lb - tol, x > p.ub + tol
        wrong_l, wrong_u = at_lo & (zl < -big), at_up & (zu < -big)
        qviol = p.quad is not None and not qact and p.qval(x) > tol
        qwrong = qact and zq < 0
        if not (len(viol_g) or len(wrong_g) or below.any() or above.any() or wrong_l.any() or wrong_u.any() or qviol or qwrong):
            return x, lam, zg, zl, zu, (zq if qact else 0.0), len(act) + int(at_lo.sum() + at_up.sum()), qact
        act = np.setdiff1d(np.union1d(act, viol_g), wrong_g)
        at_lo = (at_lo & ~wrong_l) | below
        at_up = (at_up & ~wrong_u) | above
        if qviol:
            qact = True
        if qwrong:
            qact, zq = False, 0.0
    raise SystemExit("polish: the active set did not settle")


def solve(p):
    ip = interior_point(p)
    x, lam, zg, zl, zu, zq, nact, qact = polish(p, ip)
    return x, {"ipmIterations": ip["iterations"], "ipmX": ip["x"], "active": int(nact), "quadActive": bool(qact),
               "kkt": kkt_residuals(p, x, lam, zg, zl, zu, zq)}


# ---------------------------------------------------------------- optimize

def optimize_problem(spec, rm):
    """The spec (the CLI's flags in words) as a Problem over x = (u, v) or x = w."""
    assets, B, D, F = rm["assets"], rm["B"], rm["D"], rm["F"]
    n, k = B.shape
    Sigma = B @ F @ B.T + np.diag(D)
    bench = None
    stale = np.array([a in set(rm["stale"]) for a in assets])
    if spec.get("benchmark") == "equal":  # over the names that can be traded at the window's end
        bench = np.where(stale, 0.0, 1.0 / (n - stale.sum()))
    elif spec.get("benchmark"):
        bench = read_values(spec["benchmark"], assets)[0]
    w0 = read_values(spec["current"], assets)[0] if spec.get("current") else np.zeros(n)
    alpha = read_values(spec["alpha"], assets)[0] if spec.get("alpha") else np.zeros(n)
    gamma = spec.get("riskAversion", 1.0)
    cost = spec.get("linearCost", 0.0)
    kappa = spec.get("tradePenalty", 0.0)
    b = bench if bench is not None else np.zeros(n)
    # objective in w: ½γ wᵀΣw − γ bᵀΣw − αᵀw + ½κ‖w − w0‖² + c‖w − w0‖₁ (constants dropped)
    Hw = gamma * Sigma + kappa * np.eye(n)
    cw = -gamma * Sigma @ b - alpha - kappa * w0
    split = cost > 0 or spec.get("turnover") is not None
    # linear rows in w: (row, lo, hi) with None for no bound
    rows = [(np.ones(n), 1.0, 1.0)]
    lo = np.zeros(n) if spec.get("longOnly", True) else np.full(n, -np.inf)
    if spec.get("minWeight") is not None:
        lo = np.maximum(lo, spec["minWeight"])
    hi = np.full(n, spec["maxWeight"]) if spec.get("maxWeight") is not None else np.full(n, np.inf)
    lo, hi = np.where(stale, w0, lo), np.where(stale, w0, hi)  # a stale name stays at its current weight
    for e in spec.get("exposures", []):
        f = FACTOR_NAMES.index(e["factor"])
        shift = B[:, f] @ b if e.get("relative") == "active" else 0.0
        rows.append((B[:, f], e.get("min", -np.inf) + shift, e.get("max", np.inf) + shift))
    if spec.get("returnFloor"):  # efficient_return: alphaᵀw ≥ min, alpha then only in this row
        rows.append((read_values(spec["returnFloor"]["file"], assets)[0], spec["returnFloor"]["min"], np.inf))
    labels = read_groups(spec["groups"], spec["groupAssetCol"], spec["groupCol"], assets) if spec.get("groups") else None
    gbands = list(spec.get("groupBands", []))
    if spec.get("groupNeutral"):
        named = {g["group"] for g in gbands}
        gbands += [{"group": g, "min": 0.0, "max": 0.0} for g in sorted({l for l in labels if l is not None}) if g not in named]
    for g in gbands:
        member = np.array([l == g["group"] for l in labels], dtype=float)
        shift = member @ b if bench is not None else 0.0  # the CLI's bands are active with a benchmark
        rows.append((member, g.get("min", -np.inf) + shift, g.get("max", np.inf) + shift))
    # as (A, b) equalities and (G, h) inequalities in w; the per-name bounds stay bounds
    Aw, bw, Gw, hw = [], [], [], []
    for r, l, u in rows:
        if l == u:
            Aw.append(r), bw.append(l)
            continue
        if np.isfinite(u):
            Gw.append(r), hw.append(u)
        if np.isfinite(l):
            Gw.append(-r), hw.append(-l)
    Aw, bw = np.array(Aw).reshape(-1, n), np.array(bw)
    Gw, hw = np.array(Gw).reshape(-1, n), np.array(hw)
    te = spec.get("trackingError")
    scale = np.mean(np.diag(Hw))  # the objective divided by the mean diagonal: IPM tolerances in units of one
    if not split:
        quad = (Sigma * PPY / scale, b, te ** 2 / scale / 2) if te is not None else None
        p = Problem(Hw / scale, cw / scale, Aw, bw, Gw, hw, lo, hi, quad)
        w, info = solve(p)
    else:
        # w = w0 + u − v with buys u and sells v: Σ|Δw| = Σ(u + v) at the optimum (never both u_i
        # and v_i > 0: lowering both keeps w and lowers the cost or the turnover), so the bounds
        # lo ≤ w ≤ hi are the boxes u ∈ [(lo − w0)⁺, (hi − w0)⁺], v ∈ [(w0 − hi)⁺, (w0 − lo)⁺]
        M = np.hstack([np.eye(n), -np.eye(n)])
        H = M.T @ Hw @ M
        c = M.T @ (Hw @ w0 + cw) + cost
        G = np.vstack([Gw @ M] + ([np.ones((1, 2 * n))] if spec.get("turnover") is not None else []))
        h = np.concatenate([hw - Gw @ w0] + ([[spec["turnover"]]] if spec.get("turnover") is not None else []))
        pos = lambda v: np.maximum(v, 0.0)
        lb = np.concatenate([pos(lo - w0), pos(w0 - hi)])
        ub = np.concatenate([np.where(np.isfinite(hi), pos(hi - w0), np.inf), np.where(np.isfinite(lo), pos(w0 - lo), np.inf)])
        quad = None
        if te is not None:
            quad = (M.T @ Sigma @ M * PPY / scale, np.concatenate([pos(b - w0), pos(w0 - b)]), te ** 2 / scale / 2)
        p = Problem(H / scale, c / scale, Aw @ M, bw - Aw @ w0, G, h, lb, ub, quad)
        x, info = solve(p)
        w = w0 + x[:n] - x[n:]
    return w, info, {"Sigma": Sigma, "bench": bench, "w0": w0, "alpha": alpha, "gamma": gamma, "cost": cost, "kappa": kappa,
                     "rows": rows, "lo": lo, "hi": hi, "te": te, "labels": labels}


def objective(ctx, w):
    d = w - (ctx["bench"] if ctx["bench"] is not None else 0)
    dw = w - ctx["w0"]
    return float(0.5 * ctx["gamma"] * d @ ctx["Sigma"] @ d - ctx["alpha"] @ w + ctx["cost"] * np.abs(dw).sum()
                 + 0.5 * ctx["kappa"] * dw @ dw)


def violation(ctx, w, turnover=None):
    """The largest violation of any constraint at w (0 when all hold)."""
    v = [np.maximum(ctx["lo"] - w, 0).max(), np.maximum(w - ctx["hi"], 0).max()]
    for r, l, u in ctx["rows"]:
        x = r @ w
        v += [max(l - x, 0.0), max(x - u, 0.0)]
    if turnover is not None:
        v.append(max(np.abs(w - ctx["w0"]).sum() - turnover, 0.0))
    if ctx["te"] is not None:
        d = w - (ctx["bench"] if ctx["bench"] is not None else 0)
        v.append(max(np.sqrt(PPY * d @ ctx["Sigma"] @ d) - ctx["te"], 0.0))
    return float(max(v))


def run_optimize(spec, data):
    fac = ff5_mom(data)
    prices = closes(spec["prices"])
    rets = returns_in_window(prices, fac, spec["start"], spec["end"])
    rm = risk_model(rets, fac, FACTOR_NAMES, spec.get("covariance", "ledoit-wolf"), spec.get("halfLife", 63), spec.get("minObs"))
    w, info, ctx = optimize_problem(spec, rm)
    ours = {a: 0.0 for a in rm["assets"]}
    ours.update(spec.get("factorlab", {}))
    wf = np.array([ours[a] for a in rm["assets"]])
    Sigma = ctx["Sigma"]
    b = ctx["bench"] if ctx["bench"] is not None else np.zeros(len(w))
    te = lambda x: float(np.sqrt(PPY * (x - b) @ Sigma @ (x - b)))
    return {
        "assets": rm["assets"],
        "dropped": rm["dropped"],
        "stale": rm["stale"],
        "fitDates": [str(rm["first"].date()), str(rm["last"].date())],
        "weights": w.tolist(),
        "objective": objective(ctx, w),
        "objectiveOfFactorlab": objective(ctx, wf),
        "violation": violation(ctx, w, spec.get("turnover")),
        "violationOfFactorlab": violation(ctx, wf, spec.get("turnover")),
        "exposures": (rm["B"].T @ w).tolist(),
        "exposuresOfFactorlab": (rm["B"].T @ wf).tolist(),
        "trackingError": te(w),
        "trackingErrorOfFactorlab": te(wf),
        "volatility": float(np.sqrt(PPY * w @ Sigma @ w)),
        "turnover": float(np.abs(w - ctx["w0"]).sum()),
        "solver": {k: v for k, v in info.items() if k != "ipmX"},
    }


# ---------------------------------------------------------------- replicate

def run_replicate(spec, data):
    """The basket of `factorlab replicate` solved again, and its exposures and tracking error computed from the definitions."""
    fac = ff5_mom(data)
    prices = closes(spec["prices"])
    rets_all = prices.pct_change(fill_method=None)
    rets_all = rets_all.loc[(rets_all.index >= spec["start"]) & (rets_all.index <= spec["end"])]
    fit = rets_all.loc[rets_all.index <= spec["fitEnd"]]
    rm = risk_model(fit, fac, FACTOR_NAMES, spec.get("covariance", "ledoit-wolf"))
    assets, B, D, F = rm["assets"], rm["B"], rm["D"], rm["F"]
    n, k = B.shape
    # the target's returns on the universe calendar
    if spec["target"] == "equal":  # the equal-weight index: each day the mean return of the names with one
        target = rets_all.mean(axis=1, skipna=True)
    else:  # a return series: date,value
        t = pd.read_csv(spec["target"], parse_dates=["date"]).set_index("date").iloc[:, 0]
        target = t.reindex(rets_all.index)
    # the target's holdings on the model's names: the equal-weight index holds 1/N of the N names with
    # a return on the fit window's last date; a return series holds nothing the model knows
    hold = np.zeros(n)
    if spec["target"] == "equal":
        last = fit.iloc[-1]
        held = set(last[last.notna()].index)
        hold = np.array([1.0 / len(held) if a in held else 0.0 for a in assets])
    tfit = target.loc[fit.index]
    y = (tfit - fac["rf"].reindex(fit.index)).to_numpy()
    X = fac[FACTOR_NAMES].reindex(fit.index).to_numpy()
    m = np.isfinite(y) & np.isfinite(X).all(axis=1)
    Z = np.column_stack([np.ones(m.sum()), X[m]])
    coef = np.linalg.lstsq(Z, y[m], rcond=None)[0]
    beta = coef[1:]
    res = y[m] - Z @ coef
    target_spec = res @ res / (m.sum() - k - 1)
    Sigma = B @ F @ B.T + np.diag(D)
    tol = spec.get("tolerance", 0.0)
    # min ½wᵀΣw − (B F β + D h)ᵀw  s.t. Σw = 1, 0 ≤ w ≤ max, |Bᵀw − β| ≤ tol  (on the support, if given):
    # the model's tracking error (Bᵀw − β)ᵀF(Bᵀw − β) + (w − h)ᵀD(w − h) (+ σ²_T for a return series), halved, less a constant
    lin = B @ F @ beta + D * hold
    support = spec.get("support")
    idx = np.arange(n) if support is None else np.array([assets.index(a) for a in support])
    if spec.get("topK"):  # a naive K-name support: the K largest weights of the continuous basket
        relaxed_spec = {k: v for k, v in spec.items() if k not in ("topK", "support")}
        wc = np.array(run_replicate(relaxed_spec, data)["weights"])
        idx = np.sort(np.argsort(-wc, kind="stable")[: spec["topK"]])
    Bs = B[idx]
    Ss = Sigma[np.ix_(idx, idx)]
    q = -lin[idx]
    ns = len(idx)
    hi = np.full(n, spec.get("maxWeight", np.inf))
    hi[[assets.index(a) for a in rm["stale"]]] = 0.0  # a stale name cannot enter the basket
    hi = hi[idx]
    A, bb = np.ones((1, ns)), np.array([1.0])
    G, h = np.zeros((0, ns)), np.zeros(0)
    if tol > 0:
        G, h = np.vstack([Bs.T, -Bs.T]), np.concatenate([beta + tol, -(beta - tol)])
    else:
        A, bb = np.vstack([A, Bs.T]), np.concatenate([bb, beta])
    scale = np.mean(np.diag(Ss))
    p = Problem(Ss / scale, q / scale, A, bb, G, h, np.zeros(ns), hi)
    x, info = solve(p)
    w = np.zeros(n)
    w[idx] = x
    ours = {a: 0.0 for a in assets}
    ours.update(spec.get("factorlab", {}))
    wf = np.array([ours[a] for a in assets])

    def evaluate(weights, lo, hi_):
        R = rets_all[assets]
        sel = (R.index >= lo) & (R.index <= hi_)
        Rv = R.loc[sel].to_numpy()
        known = np.isfinite(Rv)
        rp = np.where(known, Rv, 0.0) @ weights
        rp[~(known & (weights != 0)).any(axis=1)] = np.nan
        rt = target.loc[sel].to_numpy()
        ok = np.isfinite(rp) & np.isfinite(rt)
        d = rp[ok] - rt[ok]
        return {"observations": int(ok.sum()), "trackingError": float(d.std(ddof=1) * np.sqrt(PPY)),
                "correlation": float(np.corrcoef(rp[ok], rt[ok])[0, 1])}

    def model_te(weights):
        d = B.T @ weights - beta
        own = 0.0 if spec["target"] == "equal" else target_spec  # a target with holdings: its specific return is hold·ε
        return float(np.sqrt(PPY * (d @ F @ d + (weights - hold) ** 2 @ D + own)))

    after = rets_all.index[rets_all.index > spec["fitEnd"]]
    return {
        "assets": assets,
        "dropped": sorted(rm["dropped"]),
        "targetExposures": beta.tolist(),
        "weights": w.tolist(),
        "objective": float(0.5 * w @ Sigma @ w - lin @ w),
        "objectiveOfFactorlab": float(0.5 * wf @ Sigma @ wf - lin @ wf),
        "basketExposuresOfFactorlab": (B.T @ wf).tolist(),
        "mismatchOfFactorlab": float(np.abs(B.T @ wf - beta).max()),
        "modelTrackingErrorOfFactorlab": model_te(wf),
        "inSampleOfFactorlab": evaluate(wf, fit.index[0], fit.index[-1]),
        "outOfSampleOfFactorlab": evaluate(wf, after[0], after[-1]) if len(after) > 0 else None,
        "solver": {k: v for k, v in info.items() if k != "ipmX"},
    }


# ---------------------------------------------------------------- facts

def run_facts(spec, data):
    """What decides the edge cases: each asset's returns in the window and its last one, the
    window's dates, the names per group, and the largest exposure to each factor any long-only
    portfolio with Σw = 1 and w ≤ cap reaches (the cap on the largest exposures, the rest below)."""
    fac = ff5_mom(data)
    rets = returns_in_window(closes(spec["prices"]), fac, spec["start"], spec["end"])
    rm = risk_model(rets, fac, FACTOR_NAMES)
    labels = read_groups(spec["groups"], spec["groupAssetCol"], spec["groupCol"], rm["assets"])
    counts = pd.Series([l for l in labels if l is not None]).value_counts().to_dict()
    cap = spec["maxWeight"]
    best = {}
    for f, name in enumerate(FACTOR_NAMES):
        b = np.sort(rm["B"][:, f])[::-1]
        full = int(np.floor(1 / cap + 1e-12))
        best[name] = float(cap * b[:full].sum() + (1 - cap * full) * (b[full] if full < len(b) else 0.0))
    last = {a: str(rets[a].last_valid_index().date()) for a in rm["assets"]}
    return {"assets": rm["assets"], "dates": len(rets.index), "nobs": dict(zip(rm["assets"], rm["nobs"].tolist())),
            "lastReturn": last, "dropped": rm["dropped"], "groupCounts": counts, "maxExposure": best}


# ---------------------------------------------------------------- inputs

def make_inputs(spec, data):
    """Benchmark, current holdings and an alpha for the optimize test, from the prices alone:
    benchmark ∝ mean dollar volume over the window (a stand-in for cap weights), current = the
    benchmark's 120 largest names, equally weighted, alpha = 1e-4 × the cross-sectional z-score of
    12-1 momentum at the window's end (a daily expected return of ±1 bp per standard deviation)."""
    px = pd.read_csv(spec["prices"], usecols=["date", "ticker", "close", "volume"], parse_dates=["date"])
    px = px[(px.date >= spec["start"]) & (px.date <= spec["end"])]
    dv = (px.close * px.volume).groupby(px.ticker).mean()
    names = px.groupby("ticker").size()
    dv = dv[names[names >= 0.9 * names.max()].index]  # names with (almost) the whole window
    bench = dv / dv.sum()
    cur = bench.sort_values(ascending=False).index[:120]
    wide = px.pivot(index="date", columns="ticker", values="close")
    mom = wide.iloc[-22] / wide.iloc[-253] - 1
    mom = mom.dropna()
    z = (mom - mom.mean()) / mom.std(ddof=0)
    out = spec["dir"]
    pd.DataFrame({"asset": bench.index, "weight": bench.values}).to_csv(f"{out}/benchmark.csv", index=False, float_format="%.17g")
    pd.DataFrame({"asset": list(cur), "weight": [1.0 / len(cur)] * len(cur)}).to_csv(f"{out}/current.csv", index=False, float_format="%.17g")
    pd.DataFrame({"asset": z.index, "alpha": (1e-4 * z).values}).to_csv(f"{out}/alpha.csv", index=False, float_format="%.17g")
    fac = ff5_mom(data)
    mkt = (fac["mkt_rf"] + fac["rf"]).loc["2010-01-01":"2017-12-31"]
    pd.DataFrame({"date": mkt.index.strftime("%Y-%m-%d"), "market": mkt.values}).to_csv(f"{out}/market.csv", index=False, float_format="%.17g")
    return {"benchmark": len(bench), "current": len(cur), "alpha": len(z), "market": len(mkt)}


def hrp_weights(cov):
    """PyPortfolioOpt's HRPOpt on a covariance matrix (its _raw_hrp_allocation), with scipy's single
    linkage and to_tree pre-order; the correlation unrounded."""
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    dist = ssd.squareform(np.sqrt(np.clip((1 - corr) / 2, 0, None)), checks=False)
    order = sch.to_tree(sch.linkage(dist, "single"), rd=False).pre_order()
    w = pd.Series(1.0, index=order)
    items = [order]

    def cluster_var(c):
        s = cov[np.ix_(c, c)]
        iv = 1 / np.diag(s)
        iv /= iv.sum()
        return iv @ s @ iv

    while items:
        items = [i[j:k] for i in items for j, k in ((0, len(i) // 2), (len(i) // 2, len(i))) if len(i) > 1]
        for i in range(0, len(items), 2):
            v1, v2 = cluster_var(items[i]), cluster_var(items[i + 1])
            a = 1 - v1 / (v1 + v2)
            w[items[i]] *= a
            w[items[i + 1]] *= 1 - a
    return w.sort_index().to_numpy(), order


def run_hrp(spec, data):
    """optimize --hrp: HRP on the risk model's Σ = B F Bᵀ + D over the names that can be traded."""
    fac = ff5_mom(data)
    rets = returns_in_window(closes(spec["prices"]), fac, spec["start"], spec["end"])
    rm = risk_model(rets, fac, FACTOR_NAMES)
    stale = set(rm["stale"])
    idx = [i for i, a in enumerate(rm["assets"]) if a not in stale]
    B, D, F = rm["B"], rm["D"], rm["F"]
    names = [rm["assets"][i] for i in idx]
    if spec.get("covariance") == "sample":
        # PyPortfolioOpt's HRPOpt(returns): pandas returns.cov() (pairwise, ddof 1) of the simple
        # returns on the fit window's dates
        window = rets.loc[(rets.index >= rm["first"]) & (rets.index <= rm["last"]), names]
        Sigma = window.cov().to_numpy()
    else:
        Sigma = (B @ F @ B.T + np.diag(D))[np.ix_(idx, idx)]
    w, order = hrp_weights(Sigma)
    return {"assets": names, "weights": w.tolist(), "order": [names[i] for i in order], "stale": sorted(stale)}


def run_bl(spec, data):
    """optimize --views: Black–Litterman in numpy as PyPortfolioOpt's BlackLittermanModel computes it
    (bl_returns: π + τΣPᵀ·solve(PτΣPᵀ + Ω, Q − Pπ); Idzorek's ω = τ·(1 − c)/c·pᵀΣp, default τ·pᵀΣp)
    on Σ = 252·(B F Bᵀ + D) over every name of the risk model, π = δΣw with w the benchmark file's
    weights normalised and δ = mean / var (ddof 1) of mkt_rf over the fit window
    (market_implied_risk_aversion with rf 0 on excess returns)."""
    fac = ff5_mom(data)
    rets = returns_in_window(closes(spec["prices"]), fac, spec["start"], spec["end"])
    rm = risk_model(rets, fac, FACTOR_NAMES)
    B, D, F = rm["B"], rm["D"], rm["F"]
    S = 252 * (B @ F @ B.T + np.diag(D))
    assets = rm["assets"]
    w = read_values(spec["benchmark"], assets)[0]
    w = w / w.sum()
    mkt = fac.loc[(fac.index >= rm["first"]) & (fac.index <= rm["last"]), "mkt_rf"].dropna()
    delta = mkt.mean() / mkt.var(ddof=1)
    pi = delta * S @ w
    idx = {a: i for i, a in enumerate(assets)}
    P = np.zeros((len(spec["views"]), len(assets)))
    Q = np.zeros(len(spec["views"]))
    om = np.zeros(len(spec["views"]))
    tau = spec.get("tau", 0.05)
    for k, v in enumerate(spec["views"]):
        for a, x in v["weights"].items():
            P[k, idx[a]] = x
        Q[k] = v["return"]
        var = P[k] @ S @ P[k]
        c = v.get("confidence")
        om[k] = tau * var if c is None else tau * (1 - c) / c * var
    tsP = tau * S @ P.T
    post = pi + tsP @ np.linalg.solve(P @ tsP + np.diag(om), Q - P @ pi)
    return {"assets": assets, "delta": float(delta), "prior": pi.tolist(), "posterior": post.tolist()}


def main():
    spec = json.load(open(sys.argv[1]))
    data = spec["data"]
    run = {"optimize": run_optimize, "replicate": run_replicate, "facts": run_facts, "hrp": run_hrp, "bl": run_bl}
    if spec["mode"] == "inputs":
        out = make_inputs(spec, data)
    else:  # a batch: one process reads the prices once
        out = [run[p["mode"]](p, data) for p in spec["problems"]]
    json.dump(clean(out), sys.stdout)


if __name__ == "__main__":
    main()
