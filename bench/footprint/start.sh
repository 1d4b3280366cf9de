#!/usr/bin/env bash
# Start time and footprint per role (issue 11 points 2 and 3): ROUNDS fresh `java -jar` processes per role against
# one private redis-server and the Evolution stand-in of bench/send; time from exec to /observe/health/ready
# answering 200, then, after SETTLE_S idle seconds, RSS and threads. Prints the median per role.
#   bash bench/footprint/start.sh                 (build first: mvn -B -ntp -o -q package)
# Env: ROUNDS=3 ROLES="worker web all" SETTLE_S=3
#      JAVA_OPTS: default the image's options (docker/jvm.options) and the CDS archive the build wrote beside the
#      jar. Several option sets separated by '|' are measured side by side, interleaved round by round, e.g.
#      JAVA_OPTS=" |@docker/jvm.options|@docker/jvm.options -XX:SharedArchiveFile=target/whatsapp-queue.jsa"
source "$(dirname "${BASH_SOURCE[0]}")/../send/lib.sh"
trap cleanup EXIT
ROUNDS=${ROUNDS:-3}; ROLES=${ROLES:-"worker web all"}; SETTLE_S=${SETTLE_S:-3}
IFS='|' read -r -a SETS <<< "${JAVA_OPTS-$(default_java_opts)}"
[ ${#SETS[@]} -gt 0 ] || SETS=("")
start_redis
start_fake
echo "cores: $(nproc)   rounds: $ROUNDS   load: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A ROWS
for r in $(seq "$ROUNDS"); do
  for role in $ROLES; do
    for i in "${!SETS[@]}"; do
      mport=$(free_port)
      t0=$(now_ms)
      env REDIS_URL="redis://127.0.0.1:$RPORT" EVOLUTION_SERVER_URL="http://127.0.0.1:$EPORT" EVOLUTION_API_KEY=bench-key \
        WA_INSTANCES=bench WA_ROLE="$role" WA_BIND_HOST=127.0.0.1 PORT="$(free_port)" MANAGEMENT_PORT="$mport" \
        WA_DATA_DIR="$WORK/data" java ${SETS[$i]} -jar "$JAR" >> "$WORK/$role-$i.log" 2>&1 &
      pid=$!; PIDS+=("$pid")
      until curl -fs -o /dev/null "http://127.0.0.1:$mport/observe/health/ready"; do
        kill -0 "$pid" 2>/dev/null || { echo "$role died, see $WORK/$role-$i.log" >&2; tail -5 "$WORK/$role-$i.log" >&2; exit 1; }
        sleep 0.02
      done
      ready=$(( $(now_ms) - t0 ))
      sleep "$SETTLE_S"
      rss=$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$pid/status")
      threads=$(ls "/proc/$pid/task" | wc -l)
      kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
      ROWS[$role,$i]+="$ready $rss $threads"$'\n'
    done
  done
done
printf "%-7s %-9s %-8s %-8s %s\n" role ready_ms rss_mib threads options
for role in $ROLES; do
  for i in "${!SETS[@]}"; do
    med() { printf "%s" "${ROWS[$role,$i]}" | awk -v c="$1" 'NF {print $c}' | median; }
    printf "%-7s %-9s %-8s %-8s %s   (ready ms per round: %s)\n" "$role" "$(med 1)" "$(med 2)" "$(med 3)" "${SETS[$i]:-(none)}" \
      "$(printf "%s" "${ROWS[$role,$i]}" | awk 'NF {printf "%s ", $1}')"
  done
done
