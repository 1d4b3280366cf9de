#!/usr/bin/env bash
# Latency benchmark: XADD -> Evolution stand-in receives the sendText, at a steady 50 msg/s for 20 s (1,000
# messages over 1,000 chats), after a short unmeasured warm-up. Each run uses a fresh worker and stand-in.
# Usage: bench/send/latency.sh   Env: RUNS=3 RATE=50 SECONDS_=20 WARMUP_S=5 CHATS=1000 CONCURRENCY=8
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
RUNS=${RUNS:-3}; RATE=${RATE:-50}; DUR=${SECONDS_:-20}; WARMUP_S=${WARMUP_S:-5}; CHATS=${CHATS:-1000}
CONC=${CONCURRENCY:-8}

start_redis
javac -d "$WORK/cls" "$ROOT/bench/send/Latency.java"
echo "redis 127.0.0.1:$RPORT  rate=$RATE/s for ${DUR}s, warm-up ${WARMUP_S}s, concurrency=$CONC  nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"

pct() { # file percentile(0-100) -> ms with 2 decimals
  sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int((p/100)*NR+0.999999); if(i<1)i=1; if(i>NR)i=NR; printf "%.2f", a[i]/1000}'
}

P50=(); P95=(); P99=(); MAX=()
for run in $(seq "$RUNS"); do
  R FLUSHALL > /dev/null
  out="$WORK/latency-$run.txt"
  start_fake "$out"
  : > "$WORK/worker.log"
  start_worker "$CONC"
  end=$(( $(date +%s) + 60 ))
  until grep -q "Consuming stream of" "$WORK/worker.log"; do
    [ "$(date +%s)" -lt "$end" ] || { echo "worker did not start" >&2; tail -20 "$WORK/worker.log" >&2; exit 1; }
    sleep 0.1
  done
  if [ "$WARMUP_S" != 0 ]; then
    timeout 60 java -cp "$WORK/cls" Latency "$RPORT" "$RATE" "$WARMUP_S" "$CHATS" "w$run-" false > /dev/null
  fi
  gen=$(timeout $(( DUR + 60 )) java -cp "$WORK/cls" Latency "$RPORT" "$RATE" "$DUR" "$CHATS" "m$run-" true)
  end=$(( $(date +%s) + 30 ))
  until [[ "$(R XLEN wa:bench:stream)" == 0 && "$(pending)" == 0 ]]; do
    [ "$(date +%s)" -lt "$end" ] || { echo "not drained after the run" >&2; exit 1; }
    sleep 0.05
  done
  stop_worker
  kill "$FAKE_PID"; for _ in $(seq 100); do kill -0 "$FAKE_PID" 2>/dev/null || break; sleep 0.1; done
  n=$(wc -l < "$out")
  P50+=("$(pct "$out" 50)"); P95+=("$(pct "$out" 95)"); P99+=("$(pct "$out" 99)"); MAX+=("$(pct "$out" 100)")
  echo "run $run: $gen; samples=$n  p50=${P50[-1]} ms p95=${P95[-1]} ms p99=${P99[-1]} ms max=${MAX[-1]} ms"
done
echo "== XADD -> stand-in receive, median of $RUNS runs =="
echo "p50 $(printf '%s\n' "${P50[@]}" | median) ms | p95 $(printf '%s\n' "${P95[@]}" | median) ms | p99 $(printf '%s\n' "${P99[@]}" | median) ms | max $(printf '%s\n' "${MAX[@]}" | median) ms"
