"""Shared loaders of the Python reference scripts: the same files read the way pandas users read them.

Kept separate from factorlab's own readers on purpose (an independent route), but written once here.
"""
import io

import numpy as np
import pandas as pd


def sp500_closes(data):
    """Close prices of us/us_sp500_adj_ohlcv_2005_2017.csv.gz as a date x ticker frame."""
    px = pd.read_csv(f"{data}/us/us_sp500_adj_ohlcv_2005_2017.csv.gz", usecols=["date", "ticker", "close"], parse_dates=["date"])
    return px.pivot(index="date", columns="ticker", values="close").sort_index()


def ken_french(path):
    """A daily Ken French file: skip the text header, stop at the first non-YYYYMMDD row, percent -> decimal."""
    lines = open(path, encoding="latin-1").read().splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith(",") and l.strip(", ") != "")
    body = []
    for l in lines[head + 1:]:
        cell = l.split(",")[0].strip()
        if not (len(cell) == 8 and cell.isdigit()):
            break
        body.append(l)
    cols = [c.strip() for c in lines[head].split(",")]
    df = pd.read_csv(io.StringIO("\n".join(body)), header=None)
    df = df.iloc[:, :len(cols)]
    df.columns = ["date"] + cols[1:]
    df = df.loc[:, [c for c in df.columns if c != ""]]
    df["date"] = pd.to_datetime(df["date"].astype(str), format="%Y%m%d")
    df = df.set_index("date").astype(float)
    return df.where((df != -99.99) & (df != -999)) / 100.0


FACTOR_NAMES = ["mkt_rf", "smb", "hml", "rmw", "cma", "mom"]


def ff5_mom(data):
    """Daily Fama-French 5 factors and momentum, decimal, columns mkt_rf smb hml rmw cma rf mom."""
    ff5 = ken_french(f"{data}/ff/F-F_Research_Data_5_Factors_2x3_daily.CSV")
    mom = ken_french(f"{data}/ff/F-F_Momentum_Factor_daily.CSV")
    fac = ff5.join(mom, how="inner")
    fac.columns = ["mkt_rf", "smb", "hml", "rmw", "cma", "rf", "mom"]
    return fac


def clean(v):
    """JSON-safe copy: NaN / inf -> null, numpy scalars -> Python numbers, keys -> strings."""
    if isinstance(v, dict):
        return {str(k): clean(a) for k, a in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(a) for a in v]
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return float(v) if np.isfinite(v) else None
    return v
