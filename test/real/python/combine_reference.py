"""`factorlab combine --method ic` on real data, computed with pandas from the definitions
(src/signals/composite.ts, combineWithPrices.ts), not from factorlab's code: the reference of
test/real/combine.test.ts.

- the factors: the SSE 50 P/E sample and 5-day momentum of the SSE 50 prices (written by this
  script to a temporary file: p(t)/p(t-5) - 1, long date,asset,value);
- each factor's rank IC on each common factor date d: the Spearman correlation, over the assets
  with that factor and a forward return, of the factor with p(d+1)/p(d) - 1 (h = 1, no lag; the
  factor dates are price dates); NaN below 3 assets;
- the IC of date s is realised on the price date after s; the weight of factor k at date t is
  m_k / (|m_1| + |m_2|), m_k the mean of its last `window` realised ICs (NaN when fewer, or any NaN);
- the composite: the weights times each factor's per-date z-score (ddof 1, over the assets with
  that factor), on the assets with both factors.

Usage: python3 combine_reference.py DATA_DIR OUT_DIR WINDOW  ->  JSON on stdout (and OUT_DIR/mom5.csv).
"""
import json
import sys

import numpy as np
import pandas as pd


def main():
    data, out, window = sys.argv[1], sys.argv[2], int(sys.argv[3])
    p = pd.read_csv(f"{data}/cn/sse50_2021q1_prices.csv", index_col=0)
    p.columns = [str(c) for c in p.columns]
    mom = (p / p.shift(5) - 1).stack().rename("value").reset_index()
    mom.columns = ["date", "asset", "value"]
    mom.to_csv(f"{out}/mom5.csv", index=False)
    f = pd.read_csv(f"{data}/cn/sse50_2021q1_factor.csv", dtype={"asset": str}).pivot(index="date", columns="asset", values="factor_value")
    g = mom.pivot(index="date", columns="asset", values="value")
    dates = list(f.index.intersection(g.index))
    cols = f.columns.union(g.columns)
    f, g = f.reindex(index=dates, columns=cols), g.reindex(index=dates, columns=cols)
    fwd = p.shift(-1) / p - 1
    pdates = list(p.index)

    def ics(x):
        out = {}
        for d in dates:
            a = x.loc[d]
            r = fwd.loc[d].reindex(a.index)
            ok = a.notna() & r.notna()
            out[d] = a[ok].rank().corr(r[ok].rank()) if ok.sum() >= 3 else np.nan
        return pd.Series(out)

    i1, i2 = ics(f), ics(g)
    realised = {d: (pdates[pdates.index(d) + 1] if pdates.index(d) + 1 < len(pdates) else None) for d in dates}
    weights = []
    for t in dates:
        usable = [s for s in dates if realised[s] is not None and realised[s] <= t][-window:]
        if len(usable) < window or i1[usable].isna().any() or i2[usable].isna().any():
            weights.append((np.nan, np.nan))
            continue
        m1, m2 = i1[usable].mean(), i2[usable].mean()
        weights.append((m1 / (abs(m1) + abs(m2)), m2 / (abs(m1) + abs(m2))))
    w = pd.DataFrame(weights, index=dates, columns=["a", "b"])

    def z(x):
        return x.sub(x.mean(axis=1), axis=0).div(x.std(axis=1, ddof=1), axis=0)

    comp = z(f).mul(w["a"], axis=0) + z(g).mul(w["b"], axis=0)
    comp = comp.where(f.notna() & g.notna())
    json.dump(
        {
            "dates": dates,
            "weights": [[None if np.isnan(v) else float(v) for v in row] for row in w.to_numpy()],
            "composite": {d: {a: float(v) for a, v in comp.loc[d].dropna().items()} for d in dates},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
