#!/usr/bin/env bash
# Record what every command writes (stdout, stderr, exit code, output files) on the demo data and on
# real files from ../shared/data, into DIR. Run it before and after a change and compare the two
# directories with `diff -r`: a refactoring that claims "outputs byte-identical" must leave no diff.
#   bash scripts/cli-outputs.sh /tmp/outputs-before   # on the old build
#   bash scripts/cli-outputs.sh /tmp/outputs-after    # on the new build
#   diff -r /tmp/outputs-before /tmp/outputs-after
# Paths printed by the commands are made the same by running in one fixed work directory.
set -u
DEST=${1:?usage: cli-outputs.sh DIR}
REPO=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(cd "$REPO/../shared/data" && pwd)
# The work directory's name appears in what the commands print, so keep it the same for the two runs
# you compare; give each concurrent user its own (CLI_OUTPUTS_WORK=/tmp/mine-work) so they do not clash.
WORK=${CLI_OUTPUTS_WORK:-/tmp/factorlab-cli-outputs-work}
CLI="node $REPO/dist/cli/main.js"
rm -rf "$WORK" "$DEST" && mkdir -p "$WORK" "$DEST" && cd "$WORK"
n=0
run() { # run NAME ARGS...: stdout, stderr and exit code of one command
  local name=$1; shift
  $CLI "$@" --threads 1 >"$DEST/$name.stdout" 2>"$DEST/$name.stderr"; echo $? >"$DEST/$name.rc"
  n=$((n+1))
}
run_nothreads() { local name=$1; shift; $CLI "$@" >"$DEST/$name.stdout" 2>"$DEST/$name.stderr"; echo $? >"$DEST/$name.rc"; n=$((n+1)); }
D=$WORK/demo
run_nothreads demo demo --out "$D"
run_nothreads demo-json demo --out "$WORK/demo2" --seed 7 --assets 60 --days 300 --json
run_nothreads inspect-demo inspect "$D/prices.csv"
run_nothreads inspect-demo-json inspect "$D/signal.csv" --json
run_nothreads inspect-demo-out inspect "$D/prices.csv" --clean --out "$WORK/clean.csv"
run_nothreads inspect-demo-parquet inspect "$D/prices.csv" --clean --out "$WORK/clean.parquet"
run_nothreads inspect-demo-jsonout inspect "$D/factors.csv" --out "$WORK/factors.json"
run_nothreads inspect-ff inspect "$DATA/ff/F-F_Research_Data_Factors.CSV"
run_nothreads inspect-sp500 inspect "$DATA/us/us_sp500_adj_ohlcv_2005_2017.csv.gz" --json
run exposures-demo exposures --prices "$D/prices.csv" --factors "$D/factors.csv" --clean
run exposures-demo-json exposures --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --newey-west --cross-score smb_rank:smb --json
run exposures-demo-out exposures --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --out "$WORK/fit.json" --residuals "$WORK/resid.csv"
run exposures-demo-csv exposures --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --out "$WORK/fit.csv"
run exposures-demo-parquet exposures --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --newey-west 5 --out "$WORK/fit.parquet"
run exposures-demo-enet exposures --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --l1 1e-5 --l2 1e-4 --out "$WORK/enet.json"
run exposures-real exposures --prices "$DATA/us/us_sp500_adj_ohlcv_2005_2017.csv.gz" --clean --factors "$DATA/ff/F-F_Research_Data_5_Factors_2x3_daily.CSV" --factors "$DATA/ff/F-F_Momentum_Factor_daily.CSV" --start 2015-01-01 --limit 5 --out "$WORK/real-fit.json"
run exposures-real-monthly exposures --prices "$DATA/us/us_sp500_adj_ohlcv_2005_2017.csv.gz" --clean --factors "$DATA/ff/F-F_Research_Data_Factors.CSV" --resample monthly --start 2010-01-01 --limit 3 --out "$WORK/real-monthly.csv"
run rolling-demo rolling --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --weights equal --window 126
run rolling-demo-out rolling --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --weights equal --window 126 --portfolio-regression --out "$WORK/rolling.json"
run rolling-demo-csv rolling --prices "$D/prices.csv" --factors "$D/factors.csv" --clean --weights equal --window 252 --out "$WORK/rolling.parquet"
run rolling-real rolling --prices "$DATA/us/us_sp500_adj_ohlcv_2005_2017.csv.gz" --clean --factors "$DATA/ff/F-F_Research_Data_5_Factors_2x3_daily.CSV" --start 2016-01-01 --weights equal --window 63 --out "$WORK/rolling-real.csv"
run_nothreads combine-demo combine --factor "$D/signal.csv" --factor "$D/placebo.csv" --prices "$D/prices.csv" --method icir --out "$WORK/composite.csv" --weights-out "$WORK/cweights.csv"
run_nothreads combine-demo-parquet combine --factor "$D/signal.csv" --factor "$D/placebo.csv" --method equal --out "$WORK/composite.parquet"
run analyze-demo analyze --factor "$D/signal.csv" --prices "$D/prices.csv" --clean --groups "$D/sectors.csv" --out "$WORK/analyze.json"
CN="--prices $DATA/cn/sse50_2021q1_prices.csv --factor $DATA/cn/sse50_2021q1_factor.csv --reciprocal"
run_nothreads backtest-sse backtest $CN --rule top-n --top 5 --schedule weekly:fri --cost-bps 10 --benchmark equal
run_nothreads backtest-sse-out backtest $CN --rule top-n --top 5 --cost-bps 10 --min-cost 5 --capital 100000 --out "$WORK/sse.json" --nav-out "$WORK/sse-nav.csv" --weights-out "$WORK/sse-w.csv" --trades-out "$WORK/sse-t.parquet"
run_nothreads backtest-sse-ind backtest $CN --rule industry-neutral --quantiles 3 --groups "$DATA/cn/sse50_2021q1_stock_2_idx.csv" --json
run_nothreads backtest-sse-ls backtest $CN --rule long-short --quantiles 4 --schedule every:5:2 --execution-lag 2 --json
run_nothreads backtest-sse-topk backtest $CN --rule topk-dropout --top 8 --n-drop 2 --lower-is-better
run_nothreads backtest-sse-iv backtest --prices "$DATA/cn/sse50_2021q1_prices.csv" --rule inverse-vol --vol-lookback 10 --json
run_nothreads backtest-demo backtest --prices "$D/prices.csv" --factor "$D/signal.csv" --clean --rule top-quantile --quantiles 5 --schedule month-end --cost-bps 10 --benchmark equal --factors "$D/factors.csv" --json
run_nothreads backtest-us backtest --prices "$DATA/us/us_sp500_adj_ohlcv_2005_2017.csv.gz" --clean --factor momentum --membership "$DATA/us/sp500_ticker_start_end.csv" --schedule month-end --top 50 --cost-bps 5 --start 2012-01-01 --factors "$DATA/ff/F-F_Research_Data_Factors_daily.CSV" --benchmark equal --out "$WORK/us.json" --nav-out "$WORK/us-nav.csv"
run_nothreads backtest-err-window backtest $CN --factors "$DATA/ff/F-F_Research_Data_Factors.CSV"
cd "$WORK" && for f in $(find . -type f | sort); do mkdir -p "$DEST/files/$(dirname "$f")"; cp "$f" "$DEST/files/$f"; done
echo "$n commands recorded in $DEST ($(find "$DEST/files" -type f | wc -l) output files)"
