#!/usr/bin/env bash
# Cost of one worker process by the number of instances it serves (issue 8 point 3): time to ready, threads,
# RSS, Redis connections, idle CPU over 10 s, and the SIGTERM exit time, for 1, 100 and 1,000 instances.
#   bash bench/engine/instances.sh            (build first: mvn -B -ntp -o -q package -DskipTests)
# Prints one row per count; medians of ROUNDS (default 3) fresh processes.
source "$(dirname "${BASH_SOURCE[0]}")/../send/lib.sh"
trap cleanup EXIT
ROUNDS=${ROUNDS:-3}
COUNTS=${COUNTS:-"1 100 1000"}
start_redis
start_fake
echo "cores: $(nproc)   rounds: $ROUNDS   jar: $JAR"
printf "%-9s %-12s %-8s %-9s %-12s %-14s %-12s\n" instances ready_ms threads rss_mib redis_conns idle_cpu_pct term_exit_ms
for n in $COUNTS; do
  names=$(seq -f "clinic%04g" 1 "$n" | paste -sd, -)
  rows=()
  for r in $(seq "$ROUNDS"); do
    mport=$(free_port)
    t0=$(now_ms)
    env REDIS_URL="redis://127.0.0.1:$RPORT" EVOLUTION_SERVER_URL="http://127.0.0.1:$EPORT" EVOLUTION_API_KEY=bench-key \
      WA_INSTANCES="$names" WA_ROLE=worker WA_BIND_HOST=127.0.0.1 PORT="$(free_port)" MANAGEMENT_PORT="$mport" \
      WA_DATA_DIR="$WORK/data" java ${WORKER_JAVA_OPTS-$(default_java_opts)} -jar "$JAR" >> "$WORK/worker-$n.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    until curl -fs -o /dev/null "http://127.0.0.1:$mport/observe/health/ready"; do
      kill -0 "$pid" 2>/dev/null || { echo "worker died, see $WORK/worker-$n.log" >&2; tail -5 "$WORK/worker-$n.log" >&2; exit 1; }
      sleep 0.02
    done
    ready=$(( $(now_ms) - t0 ))
    sleep 5
    c0=$(cpu_ticks "$pid"); sleep 10; c1=$(cpu_ticks "$pid")
    threads=$(ls "/proc/$pid/task" | wc -l)
    rss=$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$pid/status")
    conns=$(ss -tnpH state established "( dport = :$RPORT )" | grep -c "pid=$pid,")
    t1=$(now_ms); kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done; term=$(( $(now_ms) - t1 ))
    rows+=("$ready $threads $rss $conns $(( (c1 - c0) * 10 / 100 )) $term")
  done
  med() { printf "%s\n" "${rows[@]}" | awk -v c="$1" '{print $c}' | median; }
  printf "%-9s %-12s %-8s %-9s %-12s %-14s %-12s\n" "$n" "$(med 1)" "$(med 2)" "$(med 3)" "$(med 4)" "$(med 5)" "$(med 6)"
done
