#!/usr/bin/env bash
# Where the time goes: one already-running (warm) worker drains N entries added atomically by one EVAL;
# prints msg/s, the worker's CPU per message, and the Redis commands per message (INFO commandstats).
# Usage: bench/send/warm-drain.sh [concurrency]   Env: N=5000 CHATS=1000 ROUNDS=3 ROUND_TIMEOUT_S=120 START_TIMEOUT_S=240
# JAR= INSTANCES=bench (the worker's WA_INSTANCES; the entries go to instance bench) ROLE=worker (or all: one process)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
C=${1:-8}; N=${N:-5000}; CHATS=${CHATS:-1000}; ROUNDS=${ROUNDS:-3}
FILL=$(sed -n "/^FILL='/,/^return/p" "$ROOT/bench/send/drain.sh" | sed "1s/^FILL='//; \$s/'\$//")
start_redis; start_fake
: > "$WORK/worker.log"
start_worker "$C"
end=$(( $(date +%s) + ${START_TIMEOUT_S:-240} ))
until grep -q "Consuming stream of" "$WORK/worker.log"; do
  [ "$(date +%s)" -lt "$end" ] || { echo "worker did not start" >&2; exit 1; }; sleep 0.1
done
sleep 2
echo "concurrency=$C N=$N chats=$CHATS nproc=$(nproc); worker CPU for startup: $(echo "$(cpu_ticks "$WORKER_PID")/100" | bc -l | cut -c1-5) s"
RATES=()
for r in $(seq "$ROUNDS"); do
  R CONFIG RESETSTAT > /dev/null
  c0=$(cpu_ticks "$WORKER_PID"); r0=$(cpu_ticks "$REDIS_PID"); f0=$(cpu_ticks "$FAKE_PID")
  t0=$(now_ms)
  R EVAL "$FILL" 1 wa:bench:stream "$N" "$CHATS" "w$r-" "$(date +%s.%N)" > /dev/null
  until [[ "$(R XLEN wa:bench:stream)" == 0 && "$(pending)" == 0 ]]; do
    [ $(( $(now_ms) - t0 )) -lt ${ROUND_TIMEOUT_S:-120}000 ] || { echo "round timed out" >&2; exit 1; }; sleep 0.02
    sample_threads "$WORKER_PID"
  done
  t1=$(now_ms); c1=$(cpu_ticks "$WORKER_PID"); r1=$(cpu_ticks "$REDIS_PID"); f1=$(cpu_ticks "$FAKE_PID")
  rate=$(( N * 1000 / (t1 - t0) )); RATES+=("$rate")
  echo "round $r: $N in $((t1-t0)) ms = $rate msg/s | CPU s: worker $(echo "($c1-$c0)/100" | bc -l | cut -c1-5) ($(( (c1-c0)*10000/N )) us/msg), redis $(echo "($r1-$r0)/100" | bc -l | cut -c1-4), stand-in $(echo "($f1-$f0)/100" | bc -l | cut -c1-4) | load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "Redis commands per message (last round):"
R INFO commandstats | grep -v '^#' | tr -d '\r' | awk -F'[:=,]' -v n="$N" '$3>=n/10 {printf "  %-12s %5.2f/msg  %6s us/call\n",substr($1,9),$3/n,$7}'
echo "worker during the rounds: $(footprint "$WORKER_PID")"
echo "== warm worker, median of $ROUNDS rounds: $(printf '%s\n' "${RATES[@]}" | median) msg/s =="
