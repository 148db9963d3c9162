"""A plain pandas/numpy backtest of factorlab's rules, written from the definitions in
src/backtest/engine.ts (not from its code): the reference for test/real/backtest.test.ts and the
peer of bench/backtest.mjs.

Definitions reproduced:
- the factor on a price date is the factor row of the latest factor date <= that date
  (DataFrame.reindex(method='ffill'): whole rows, NaN cells stay NaN);
- universe: member when start <= date < end (blank end: still a member); tradable = member and priced;
- schedule rows on the price calendar: weekly:DAY = each (Monday..Sunday) week's last row with
  weekday <= DAY, else its first row; month-end = each month's last row; every:N = rows 0, N, ...;
- a signal row s trades at row s + lag; weights drift with prices (a name's return is from its last
  price); a held name that left the universe is sold; a held member without a price earns 0 and is
  held untraded ("locked") while it has been without one for at most max_gap rows in a row (default
  5 on a daily calendar, 1 weekly, 0 coarser), then sold at its last price; on a rebalance locked
  names keep their weights and the other target weights are scaled by (S - L)/(S - T_L) (S the
  target's total, L the locked weight, T_L the target's weight on locked names; 1 when S - T_L <= 0);
  target names not tradable stay cash;
- cost = bps/1e4 * sum|dw|; gross NAV *= 1 + R; net NAV *= (1 + R)(1 - cost); both start at 1
  before the first execution row;
- rules: top-n (k = min(N, available) names by factor desc, ties by column order, 1/k each),
  top-quantile (numpy-quantile edges at k/Q, label = 1 + #{inner edges < x}, hold label Q).

Usage: python3 backtest_reference.py '<json spec>'  ->  JSON on stdout.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def read_prices(spec):
    if spec.get("prices_layout") == "long":
        df = pd.read_csv(spec["prices"], usecols=[spec.get("date_col", "date"), spec["asset_col"], spec["price_col"]], dtype={spec["asset_col"]: str})
        wide = df.pivot(index=spec.get("date_col", "date"), columns=spec["asset_col"], values=spec["price_col"])
        wide = wide.reindex(sorted(wide.columns), axis=1)
    else:
        wide = pd.read_csv(spec["prices"], index_col=0)
        wide.columns = [str(c) for c in wide.columns]
    wide.index = pd.to_datetime(wide.index)
    return wide.sort_index().astype(float)


def read_factor(spec, prices):
    f = spec["factor"]
    if f.startswith("momentum"):
        lookback, skip = (252, 21) if f == "momentum" else map(int, f.split(":")[1].split(","))
        return prices.shift(skip) / prices.shift(lookback) - 1
    df = pd.read_csv(f, dtype={"asset": str})
    wide = df.pivot(index="date", columns="asset", values=df.columns[2])
    wide.index = pd.to_datetime(wide.index)
    wide = wide.sort_index()
    if spec.get("reciprocal"):
        wide = 1.0 / wide.replace(0.0, np.nan)
    return wide.reindex(prices.index, method="ffill").reindex(prices.columns, axis=1)


def membership(spec, prices):
    if not spec.get("membership"):
        return np.ones(prices.shape, dtype=bool)
    m = pd.read_csv(spec["membership"], dtype=str, keep_default_na=False)
    cols = {c: j for j, c in enumerate(prices.columns)}
    mask = np.zeros(prices.shape, dtype=bool)
    dates = prices.index.values
    for ticker, start, end in zip(m["ticker"], m["start_date"], m["end_date"]):
        j = cols.get(ticker)
        if j is None:
            continue
        ok = dates >= np.datetime64(start)
        if end != "":
            ok &= dates < np.datetime64(end)
        mask[ok, j] = True
    return mask


def schedule_rows(spec, dates):
    s = spec["schedule"]
    n = len(dates)
    if s == "daily":
        return list(range(n))
    if s.startswith("every:"):
        return list(range(0, n, int(s.split(":")[1])))
    idx = pd.DatetimeIndex(dates)
    if s == "month-end":
        period = idx.to_period("M")
        return [t for t in range(n) if t == n - 1 or period[t + 1] != period[t]]
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(s.split(":")[1] if ":" in s else "fri")
    week = idx.to_period("W-SUN")
    rows = []
    t = 0
    while t < n:
        first, last = t, -1
        while t < n and week[t] == week[first]:
            if idx[t].weekday() <= day:
                last = t
            t += 1
        rows.append(last if last >= 0 else first)
    return rows


def target(spec, sig, tradable):
    m = len(sig)
    w = np.zeros(m)
    cand = np.flatnonzero(tradable & np.isfinite(sig))
    if spec["rule"] == "top-n":
        order = cand[np.lexsort((cand, -sig[cand]))]
        k = min(spec["top"], len(order))
        w[order[:k]] = 1.0 / k if k > 0 else 0.0
    elif spec["rule"] == "top-quantile":
        q = spec["quantiles"]
        x = sig[cand]
        if len(x) == 0 or x.min() == x.max():
            return w
        edges = np.quantile(np.sort(x), np.linspace(0, 1, q + 1))
        labels = 1 + np.searchsorted(edges[1:-1], x, side="left")
        top = cand[labels == q]
        w[top] = 1.0 / len(top)
    else:
        raise ValueError(spec["rule"])
    return w


def default_max_gap(dates):
    """About a week of rows: 5 on a daily calendar (median gap < 5 days), 1 weekly (5..10), 0 otherwise."""
    gaps = np.diff(pd.DatetimeIndex(dates).values).astype("timedelta64[D]").astype(float)
    med = float(np.median(gaps)) if len(gaps) else np.nan
    return 5 if med < 5 else 1 if 5 <= med <= 10 else 0


def run(spec, P, S, member, holdings=None, targets=None, record=None):
    """The NAVs from the first execution row; `holdings` (a list), if given, gets the names held at each of those rows' close;
    `targets` (rows x assets), if given, are the rule's targets decided at each row (else `target` computes them row by row);
    `record` (a dict), if given, gets "weights": (row, held columns, their weights) after each rebalance and "trades":
    (row, columns whose weight changed, before, after) on each row with a rebalance or a forced sale."""
    n, m = P.shape
    priced = ~np.isnan(P)
    tradable = member & priced
    lag, bps = spec.get("lag", 1), spec.get("bps", 0.0)
    max_gap = spec.get("max_gap", default_max_gap(spec["_dates"]))
    signal_rows = [s for s in schedule_rows(spec, spec["_dates"]) if s + lag <= n - 1]
    first = signal_rows[0] + lag
    decide = set(signal_rows)
    w = np.zeros(m)
    last = np.full(m, np.nan)  # each held name's last price
    gap = np.zeros(m, dtype=int)  # rows in a row it has had no price
    gross = net = 1.0
    pending = {}
    nav_g, nav_n, ret_n = [], [], []
    for t in range(n):
        R = 0.0
        if t > first:
            held = np.flatnonzero(w)
            p1 = P[t, held]
            r = np.where(np.isnan(p1), 0.0, p1 / last[held] - 1.0)
            R = float(np.dot(w[held], r))
            w[held] = w[held] * (1.0 + r) / (1.0 + R)
            gap[held[np.isnan(p1)]] += 1
        turnover = 0.0
        locked = np.zeros(m, dtype=bool)
        before = w.copy() if record is not None else None
        if t >= first:
            h = w != 0
            without = h & member[t] & ~priced[t]
            locked = without & (gap <= max_gap)
            forced = (h & ~member[t]) | (without & ~locked)
            turnover += np.abs(w[forced]).sum()
            w[forced] = 0.0
        if t in pending:
            tgt = pending.pop(t)
            if locked.any():
                total, t_locked, held_locked = tgt.sum(), tgt[locked].sum(), w[locked].sum()
                free = total - t_locked
                tgt = tgt * (max(0.0, (total - held_locked) / free) if free > 0 else 1.0)
                tgt[locked] = w[locked]
            tgt[~tradable[t] & ~locked] = 0.0
            turnover += np.abs(tgt - w).sum()
            w = tgt
            if record is not None:
                held = np.flatnonzero(w)
                record.setdefault("weights", []).append((t, held, w[held]))
        if record is not None and t >= first:
            changed = np.flatnonzero(w != before)
            if len(changed):
                record.setdefault("trades", []).append((t, changed, before[changed], w[changed]))
        now = (w != 0) & priced[t]
        last[now] = P[t, now]
        gap[now] = 0
        c = bps / 1e4 * turnover
        gross *= 1.0 + R
        net = net * (1.0 + R) * (1.0 - c)
        if t >= first:
            nav_g.append(gross)
            nav_n.append(net)
            ret_n.append((1.0 + R) * (1.0 - c) - 1.0)
            if holdings is not None:
                holdings.append(int(np.count_nonzero(w)))
        if t in decide:
            pending[t + lag] = targets[t].copy() if targets is not None else target(spec, S[t] if S is not None else None, tradable[t])
    return first, np.array(nav_g), np.array(nav_n), np.array(ret_n)


def stats(r, ppy):
    """empyrical's definitions with pandas: annual return, volatility, Sharpe, Sortino, max drawdown."""
    r = pd.Series(r)
    nav = (1 + r).cumprod()
    dd = nav / np.maximum(nav.cummax(), 1.0) - 1
    downside = np.sqrt((np.minimum(r, 0) ** 2).mean()) * np.sqrt(ppy)
    return {
        "totalReturn": float(nav.iloc[-1] - 1),
        "annualReturn": float(nav.iloc[-1] ** (ppy / len(r)) - 1),
        "annualVolatility": float(r.std(ddof=1) * np.sqrt(ppy)),
        "sharpe": float(r.mean() / r.std(ddof=1) * np.sqrt(ppy)),
        "sortino": float(r.mean() * ppy / downside),
        "maxDrawdown": float(dd.min()),
    }


def main():
    spec = json.loads(sys.argv[1])
    t0 = time.perf_counter()
    prices = read_prices(spec)
    is_file = spec.get("factor") and not spec["factor"].startswith("momentum")
    factor = read_factor(spec, prices) if is_file else None
    t1 = time.perf_counter()
    if spec.get("factor") and not is_file:
        factor = read_factor(spec, prices)
    member = membership(spec, prices)
    # --start/--end: the engine only ever reads rows inside them (the factor is computed on all rows)
    lo = 0 if not spec.get("start") else int(np.searchsorted(prices.index.values, np.datetime64(spec["start"]), side="left"))
    hi = len(prices) if not spec.get("end") else int(np.searchsorted(prices.index.values, np.datetime64(spec["end"]), side="right"))
    prices, member = prices.iloc[lo:hi], member[lo:hi]
    factor = None if factor is None else factor.iloc[lo:hi]
    spec["_dates"] = prices.index
    P = prices.to_numpy()
    S = None if factor is None else factor.to_numpy()
    held = []
    first, nav_g, nav_n, ret_n = run(spec, P, S, member, held)
    # the statistics cover the rows from the first one that holds something (a signal's warm-up in cash is left out)
    k = next((i for i, h in enumerate(held) if h > 0), 0)
    t2 = time.perf_counter()
    out = {
        "firstDate": prices.index[first].strftime("%Y-%m-%d"),
        "dates": [d.strftime("%Y-%m-%d") for d in prices.index[first:]],
        "navGross": nav_g.tolist(),
        "navNet": nav_n.tolist(),
        "statisticsFirstDate": prices.index[first + k].strftime("%Y-%m-%d"),
        "stats": stats(ret_n[k:], spec.get("ppy", 252)),
        "seconds": {"read": t1 - t0, "backtest": t2 - t1},
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
