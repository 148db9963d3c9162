"""pandas / scipy side of bench/signals.mjs: the single-factor analysis the way alphalens does it
(per-date pandas groupby, pd.qcut labels, scipy spearmanr / pearsonr per date, per-date OLS),
timed as a whole process by the caller. alphalens itself is not installable here (no PyPI); this
reproduces its approach with the libraries it is built on.

Usage: /usr/bin/python3 signals_baseline.py DIR
       /usr/bin/python3 signals_baseline.py wholepath SIGNAL PRICES OUT.json wide|long
wholepath (bench/wholepath.mjs): reads the CSV / CSV.gz files the factorlab CLI reads with pandas
(the long signal date,asset,value pivoted; prices with vectorised_peer.py's reader), horizons
1, 5, 21 and 5 quantiles, does the work below, writes the printed JSON to OUT.json and prints
{"peer_timings": {...}} (ms) on stderr, like vectorised_peer.py.
DIR holds prices.f64 and factor.f64 (n x m date-major little-endian float64, NaN = missing) and
meta.json {"n", "m", "horizons", "quantiles"}.

Work (the same as factorlab's analyzeFactor with its defaults):
  - forward returns p[t+h] / p[t] - 1 per horizon (no fill, like factorlab; alphalens'
    pct_change would pad missing prices first);
  - factor_data: long (date, asset) rows with the factor and every forward return, NaN rows
    dropped (the joint universe, alphalens' dropna);
  - labels per date: pd.qcut(factor, Q, labels=False) + 1;
  - mean forward return per quantile per date, then mean / std over dates; top-minus-bottom spread;
  - IC per date and horizon: scipy.stats.pearsonr and spearmanr;
  - regression test per date and horizon: scipy.stats.linregress (slope, its t, R^2);
  - quantile turnover (set differences, alphalens quantile_turnover) and factor rank
    autocorrelation (alphalens factor_rank_autocorrelation) at lag h.
Prints JSON: seconds_import, seconds_compute and a few results to cross-check factorlab.
"""
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

t_imported = time.perf_counter()

WHOLE = sys.argv[1] == "wholepath"
if WHOLE:
    import os
    _spawn = float(os.environ.get("BENCH_SPAWN_EPOCH_MS", 0)) / 1000.0
    _startup = (time.time() - _spawn) * 1000.0 if _spawn > 0 else (t_imported - t_start) * 1000.0
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from vectorised_peer import read_prices  # noqa: E402
    prices = read_prices(sys.argv[3], sys.argv[5])
    sig = pd.read_csv(sys.argv[2], engine="c")
    factor = sig.pivot(index="date", columns="asset", values=sig.columns[2])
    factor.index = pd.Index(factor.index.astype(str), name="date")
    factor = factor.reindex(index=prices.index, columns=prices.columns)
    prices.index.name, prices.columns.name, factor.columns.name = "date", "asset", "asset"
    horizons, Q = [1, 5, 21], 5
    t_read = time.perf_counter()
else:
    d = sys.argv[1]
    meta = json.load(open(f"{d}/meta.json"))
    n, m, horizons, Q = meta["n"], meta["m"], meta["horizons"], meta["quantiles"]
    dates = pd.RangeIndex(n, name="date")
    assets = pd.Index([f"A{j}" for j in range(m)], name="asset")
    prices = pd.DataFrame(np.fromfile(f"{d}/prices.f64", dtype="<f8").reshape(n, m), index=dates, columns=assets)
    factor = pd.DataFrame(np.fromfile(f"{d}/factor.f64", dtype="<f8").reshape(n, m), index=dates, columns=assets)

t0 = time.perf_counter()
cols = [f"{h}D" for h in horizons]
fwd = {f"{h}D": (prices.shift(-h) / prices - 1).stack(dropna=False) for h in horizons}
factor_data = pd.DataFrame(fwd)
factor_data["factor"] = factor.stack(dropna=False)
factor_data = factor_data.dropna()
# BENCH_SAMPLE_DATES=D (wholepath.mjs at large sizes): the per-date work below runs on D consecutive
# formation dates from the middle of the calendar; its time is reported as "sampled" with "scale" =
# all formation dates / D, and the bench scales that part linearly (read, forward returns and the
# long table are timed in full)
_sample = int(__import__("os").environ.get("BENCH_SAMPLE_DATES", "0") or 0) if WHOLE else 0
_all_dates = factor_data.index.get_level_values("date").unique()
_scale = 1.0
if 0 < _sample < len(_all_dates):
    _mid = (len(_all_dates) - _sample) // 2
    _keep = _all_dates[_mid:_mid + _sample]
    factor_data = factor_data[factor_data.index.get_level_values("date").isin(_keep)]
    _scale = len(_all_dates) / _sample
t_sampled = time.perf_counter()

# quantile labels per date
factor_data["factor_quantile"] = factor_data.groupby(level="date")["factor"].transform(lambda x: pd.qcut(x, Q, labels=False) + 1)

# mean return by quantile (per date, then over dates) and the spread
by_q_date = factor_data.groupby(["factor_quantile", "date"])[cols].mean()
mean_by_q = by_q_date.groupby(level="factor_quantile").agg(["mean", "std", "count"])
spread = by_q_date.xs(Q, level="factor_quantile") - by_q_date.xs(1, level="factor_quantile")
spread_mean = spread.mean()


# IC and rank IC per date
def ic_of(g, fn):
    return pd.Series({c: fn(g["factor"], g[c])[0] for c in cols})


grouped = factor_data.groupby(level="date")
ic = grouped.apply(lambda g: ic_of(g, stats.pearsonr))
rank_ic = grouped.apply(lambda g: ic_of(g, stats.spearmanr))


# regression test per date: slope, its t, R^2
def ols_of(g):
    out = {}
    for c in cols:
        r = stats.linregress(g["factor"].to_numpy(), g[c].to_numpy())
        out[(c, "b")] = r.slope
        out[(c, "t")] = r.slope / r.stderr
        out[(c, "r2")] = r.rvalue ** 2
    return pd.Series(out)


reg = grouped.apply(ols_of)

# turnover per quantile and factor rank autocorrelation, lag h
quantile_factor = factor_data["factor_quantile"]
turnover = {}
autocorr = {}
ranks = grouped["factor"].rank()
asset_rank = ranks.reset_index().pivot(index="date", columns="asset", values="factor")
for h in horizons:
    for q in range(1, Q + 1):
        names = quantile_factor[quantile_factor == q]
        sets = names.groupby(level="date").apply(lambda x: set(x.index.get_level_values("asset")))
        shifted = sets.shift(h)
        new = (sets - shifted).dropna()
        turnover[(h, q)] = (new.apply(len) / sets.apply(len)).mean()
    autocorr[h] = asset_rank.corrwith(asset_rank.shift(h), axis=1).mean()
t1 = time.perf_counter()

result = json.dumps({
    "seconds_import": t_imported - t_start,
    "seconds_compute": t1 - t0,
    "rows": int(len(factor_data)),
    "mean_ic": {c: float(ic[c].mean()) for c in cols},
    "mean_rank_ic": {c: float(rank_ic[c].mean()) for c in cols},
    "mean_factor_return": {c: float(reg[(c, "b")].mean()) for c in cols},
    "mean_abs_t": {c: float(reg[(c, "t")].abs().mean()) for c in cols},
    "spread_mean": {c: float(spread_mean[c]) for c in cols},
    "q1_mean": {c: float(mean_by_q[(c, "mean")].iloc[0]) for c in cols},
    "turnover_top": {f"{h}D": float(turnover[(h, Q)]) for h in horizons},
    "rank_autocorr": {f"{h}D": float(autocorr[h]) for h in horizons},
})
if WHOLE:
    with open(sys.argv[4], "w") as fh:
        fh.write(result)
    t_written = time.perf_counter()
    ms = lambda a, b: (b - a) * 1000  # noqa: E731
    timings = {"startup": round(_startup, 1), "read": round(ms(t_imported, t_read), 1), "compute": round(ms(t0, t1), 1),
               "write": round(ms(t1, t_written), 1), "total": round(_startup + ms(t_imported, t_written), 1)}
    if _scale > 1:
        timings.update({"sampled": round(ms(t_sampled, t1), 1), "scale": _scale, "sampleOf": f"{_sample} of {len(_all_dates)} formation dates"})
    sys.stderr.write(json.dumps({"peer_timings": timings}) + "\n")
else:
    print(result)
