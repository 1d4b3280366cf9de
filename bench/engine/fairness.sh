#!/usr/bin/env bash
# Fairness between instances (issue 8 point 3): instance "bench" holds a backlog of BACKLOG (default 5,000)
# replies while instance "quiet" gets 20 replies/s; prints the XADD -> POST latency of quiet's replies
# (p50/p95/p99 in ms) next to the same figure with no backlog. Rate limit off. Medians of ROUNDS (default 3).
#   bash bench/engine/fairness.sh            (build first: mvn -B -ntp -o -q package -DskipTests)
source "$(dirname "${BASH_SOURCE[0]}")/../send/lib.sh"
trap cleanup EXIT
ROUNDS=${ROUNDS:-3}
BACKLOG=${BACKLOG:-5000}
start_redis
echo "cores: $(nproc)   rounds: $ROUNDS   backlog: $BACKLOG"
run_round() { # backlog
  local lat="$WORK/lat-$RANDOM.txt"
  R FLUSHALL > /dev/null
  start_fake "$lat"
  if [ "$1" -gt 0 ]; then
    java "$ROOT/bench/send/Latency.java" "$RPORT" 100000 "$(awk -v n="$1" 'BEGIN {print n/100000}')" 500 fill false wa:bench:stream > /dev/null
  fi
  mport=$(free_port)
  env REDIS_URL="redis://127.0.0.1:$RPORT" EVOLUTION_SERVER_URL="http://127.0.0.1:$EPORT" EVOLUTION_API_KEY=bench-key \
    WA_INSTANCES=bench,quiet WA_ROLE=worker WA_TOKENS_PER_SECOND=0 WA_SEND_DELAY_MS=0 WA_BIND_HOST=127.0.0.1 \
    PORT="$(free_port)" MANAGEMENT_PORT="$mport" WA_DATA_DIR="$WORK/data" \
    java ${WORKER_JAVA_OPTS-$(default_java_opts)} -jar "$JAR" >> "$WORK/worker.log" 2>&1 &
  WORKER_PID=$!; PIDS+=("$WORKER_PID")
  until curl -fs -o /dev/null "http://127.0.0.1:$mport/observe/health/ready"; do sleep 0.05; done
  java "$ROOT/bench/send/Latency.java" "$RPORT" 20 10 20 quiet true wa:quiet:stream > /dev/null
  sleep 1
  local left; left=$(R XLEN wa:bench:stream)
  stop_worker
  kill "$FAKE_PID"; for _ in $(seq 50); do kill -0 "$FAKE_PID" 2>/dev/null || break; sleep 0.1; done
  sort -n "$lat" | awk -v left="$left" '{a[NR]=$1} END {printf "%.1f %.1f %.1f %d %d\n", a[int(NR*0.5)]/1000, a[int(NR*0.95)]/1000, a[int(NR*0.99)]/1000, NR, left}'
}
for backlog in 0 "$BACKLOG"; do
  rows=()
  for r in $(seq "$ROUNDS"); do rows+=("$(run_round "$backlog")"); done
  med() { printf "%s\n" "${rows[@]}" | awk -v c="$1" '{print $c}' | median; }
  printf "backlog %-6s quiet p50 %6s ms  p95 %6s ms  p99 %6s ms  (samples %s; backlog left when measured: %s)\n" \
    "$backlog" "$(med 1)" "$(med 2)" "$(med 3)" "$(med 4)" "$(med 5)"
done
