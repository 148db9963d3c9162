"""Monthly exposures the way a pandas user pairs monthly prices with Ken French monthly factors.

argv: DATA TICKERS(comma) OUT_CSV. Writes the tickers' month-end closes (the last trading day of
each month, as `df.groupby(month).tail(1)` gives them) to OUT_CSV, then regresses each ticker's
monthly excess return on mkt_rf, smb, hml of F-F_Research_Data_Factors.CSV, pairing the two by
calendar month (PeriodIndex 'M'), the last, partial month (the file stops on 2017-11-10) left out.
Prints JSON: {dates: [...], assets: {T: {nobs, params: {const, mkt_rf, smb, hml}, bse: {...}}}}.
"""
import io
import json
import sys

import pandas as pd
import statsmodels.api as sm

from refdata import clean, sp500_closes

data, tickers, out_csv = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
px = sp500_closes(data)[tickers]
monthly = px.groupby(px.index.to_period("M")).tail(1)
monthly.rename_axis("date").to_csv(out_csv, date_format="%Y-%m-%d")

# the monthly block of the Ken French file: the rows after the header up to the first non-YYYYMM row
lines = open(f"{data}/ff/F-F_Research_Data_Factors.CSV", encoding="latin-1").read().splitlines()
head = next(i for i, l in enumerate(lines) if "Mkt-RF" in l)
body = []
for l in lines[head + 1:]:
    cell = l.split(",")[0].strip()
    if not (len(cell) == 6 and cell.isdigit()):
        break
    body.append(l)
ff = pd.read_csv(io.StringIO("\n".join(body)), header=None, names=["ym", "mkt_rf", "smb", "hml", "rf"])
ff.index = pd.PeriodIndex(pd.to_datetime(ff["ym"].astype(str), format="%Y%m"), freq="M")
ff = ff.drop(columns="ym") / 100.0

ret = monthly.pct_change().iloc[1:]
last_day = px.index[-1]
ret.index = ret.index.to_period("M")
if last_day != last_day + pd.offsets.MonthEnd(0) and (last_day + pd.offsets.MonthEnd(0) - last_day).days > 4:
    ret = ret.iloc[:-1]  # the file stops inside its last month: that return is part of a month
joined = ret.join(ff, how="inner")
out = {"months": len(joined), "assets": {}}
for t in tickers:
    d = joined[[t, "mkt_rf", "smb", "hml", "rf"]].dropna()
    fit = sm.OLS(d[t] - d["rf"], sm.add_constant(d[["mkt_rf", "smb", "hml"]])).fit()
    out["assets"][t] = {"nobs": int(fit.nobs), "params": fit.params.to_dict(), "bse": fit.bse.to_dict()}
print(json.dumps(clean(out)))
