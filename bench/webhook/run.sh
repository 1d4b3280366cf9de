#!/usr/bin/env bash
# Webhook benchmark (bench/webhook/README.md): accepted webhooks per second (wrk, fixed connections) and latency
# percentiles at a fixed 1,000 req/s (open-loop LoadGen.java), each next to a trivial route on the same HTTP
# server (POST /bench/ping, WA_BENCH_ROUTES=true) as the ceiling. Builds the jar if missing, starts the app with
# its embedded Redis in sandbox mode on free ports, runs ROUNDS rounds and prints the medians.
#
# Settings (environment): ROUNDS=3 DURATION=15 (s per wrk run) CONNECTIONS=64 THREADS=2 RATE=1000 RATE_SECONDS=20
#   WITH_REPLIES=0 (1: keep the reply route running, so reply generation shares the CPU with the webhook)
#   JAVA_OPTS: default the image's (@docker/jvm.options: serial GC, 96 MiB heap) and the CDS archive the build
#   wrote beside the jar; the web process's peak RSS and threads are printed at the end
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RATE=${RATE:-1000}
RATE_SECONDS=${RATE_SECONDS:-20}
WITH_REPLIES=${WITH_REPLIES:-0}
TOKEN=bench-token
JOLOKIA_SECRET=bench-$RANDOM$RANDOM
BENCH=bench/webhook

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }
[ -f target/whatsapp-queue.jar ] || mvn -B -ntp -q -o package -DskipTests

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
MPORT=$(free_port)
DATA=$(mktemp -d)
LOG=$DATA/app.log
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# Embedded Redis with its append-only file (fsync every second), sandbox mode (no EVOLUTION_SERVER_URL), one
# instance; the inbound stream may hold every benchmark request (WA_STREAM_MAXLEN), nothing is too old.
PORT=$PORT MANAGEMENT_PORT=$MPORT WA_BIND_HOST=127.0.0.1 WA_DATA_DIR=$DATA/redis WA_BENCH_ROUTES=true \
  WA_INSTANCES=acme-support WEBHOOK_TOKEN=$TOKEN WA_STREAM_MAXLEN=100000000 WA_MAX_MESSAGE_AGE_S=0 WA_ROLE=web \
  LOG_LEVEL=WARN EVOLUTION_SERVER_URL= REDIS_URL= JOLOKIA_USER=bench JOLOKIA_PASSWORD="$JOLOKIA_SECRET" \
  java ${JAVA_OPTS-@docker/jvm.options $([ -f target/whatsapp-queue.jsa ] && echo -XX:SharedArchiveFile=target/whatsapp-queue.jsa)} \
  -jar target/whatsapp-queue.jar >"$LOG" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$MPORT/observe/health/ready" && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "the app did not start:"; tail -20 "$LOG"; exit 1; }
  sleep 0.5
done

if [ "$WITH_REPLIES" != "1" ]; then
  # measure the webhook alone: the reply route would otherwise answer the flood on the same two cores
  # through Jolokia's operator login (read-only without it), and checked: a refused stop would measure the reply
  # route too
  answer=$(curl -fs -u "bench:$JOLOKIA_SECRET" -X POST "http://127.0.0.1:$MPORT/observe/jolokia" \
    -H 'Content-Type: application/json' \
    -d '{"type":"exec","mbean":"org.apache.camel:context=whatsapp-queue,type=routes,name=\"reply-generate\"","operation":"stop()"}')
  echo "$answer" | grep -q '"status":200' || { echo "could not stop the reply route: $answer"; exit 1; }
fi

HOOK="http://127.0.0.1:$PORT/webhooks/evolution"
PING="http://127.0.0.1:$PORT/bench/ping"
export WEBHOOK_TOKEN=$TOKEN
accepted() { # the webhook's own count of accepted events (wa_webhook_events_total{outcome="accepted"})
  curl -fs "http://127.0.0.1:$MPORT/observe/metrics" \
    | awk '/^wa_webhook_events_total\{.*outcome="accepted"/ {printf "%d", $2; found=1} END {if (!found) print 0}'
}
wrk_rps() { # url script seconds -> requests/s; fails on any non-2xx answer or socket error, or (webhook) on any
            # request not accepted as new: each must have been appended to the inbound stream
  local out before requests
  before=$(accepted)
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${3}s" -s "$BENCH/$2" "$1")
  echo "$out" | grep -q "non-2xx: 0, socket errors: 0" || { echo "errors during the run:" >&2; echo "$out" >&2; exit 1; }
  if [ "$2" = webhook.lua ]; then
    # wrk does not count the requests still in flight when it stops (at most one per connection)
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    local new=$(( $(accepted) - before ))
    [ "$new" -ge "$requests" ] && [ "$new" -le $(( requests + CONNECTIONS )) ] \
      || { echo "$new new events accepted for $requests requests" >&2; exit 1; }
  fi
  echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}'
}
p99() { # url kind -> p99 ms at RATE req/s
  local out
  out=$(java "$BENCH/LoadGen.java" "$1" "$RATE" "$RATE_SECONDS" "$2" "$TOKEN")
  # requests that failed (no 200 within 10 s) are reported beside the p99, not hidden: the app did not keep up
  echo "$out" | grep -q "failed=0" || echo "failures at $RATE req/s: $out" >&2
  echo "$out" | sed -E 's/.*failed=([0-9]+).*p99_ms=([0-9.]+).*/\2 \1/' | awk '{print $2 == 0 ? $1 : $1 " (" $2 " failed)"}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
settle() { # the wrk runs leave work behind: tens of thousands of bursts for debounce-fire to release and (with
           # WITH_REPLIES=1) messages for the reply route to answer. The open-loop latency run measures the steady
           # state, so first wait until the app is quiet again (under 10 % of a core for 10 s in a row; an idle
           # web process uses 2-4 %)
  local t0 quiet=0 c0 c1
  t0=$(date +%s)
  while [ "$quiet" -lt 10 ]; do
    c0=$(cpu_ticks "$APP_PID"); sleep 1; c1=$(cpu_ticks "$APP_PID")
    if [ $((c1 - c0)) -le 10 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ $(( $(date +%s) - t0 )) -lt 900 ] || { echo "the app did not become quiet within 900 s" >&2; exit 1; }
  done
  echo "   the app was busy with the wrk runs' backlog for $(( $(date +%s) - t0 - 10 )) s" >&2
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# the app's thread count, once a second, for the "threads max" at the end
(while kill -0 "$APP_PID" 2>/dev/null; do ls "/proc/$APP_PID/task" | wc -l; sleep 1; done) > "$DATA/threads" 2>/dev/null &

echo "warming up (JIT) ..."
wrk_rps "$HOOK" webhook.lua 20 >/dev/null
wrk_rps "$PING" ping.lua 10 >/dev/null

printf "%-6s %14s %14s %16s %16s\n" round "ping req/s" "webhook req/s" "ping p99 ms" "webhook p99 ms"
PR=(); HR=(); PP=(); HP=()
for r in $(seq 1 "$ROUNDS"); do
  pr=$(wrk_rps "$PING" ping.lua "$DURATION")
  hr=$(wrk_rps "$HOOK" webhook.lua "$DURATION")
  settle
  pp=$(p99 "$PING" ping)
  hp=$(p99 "$HOOK" webhook)
  PR+=("$pr"); HR+=("$hr"); PP+=("$pp"); HP+=("$hp")
  printf "%-6s %14s %14s %16s %16s\n" "$r" "$pr" "$hr" "$pp" "$hp"
done
printf "%-6s %14s %14s %16s %16s\n" median \
  "$(printf '%s\n' "${PR[@]}" | median)" "$(printf '%s\n' "${HR[@]}" | median)" \
  "$(printf '%s\n' "${PP[@]}" | median)" "$(printf '%s\n' "${HP[@]}" | median)"
failed=$(printf '%s\n' "${PP[@]}" "${HP[@]}" | grep -c failed)
[ "$failed" -eq 0 ] || echo "failed requests at $RATE req/s in $failed latency run(s): ping ${PP[*]} | webhook ${HP[*]}"
echo "(wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s; p99 at $RATE req/s open loop for ${RATE_SECONDS}s;"
echo " reply route $( [ "$WITH_REPLIES" = "1" ] && echo running || echo stopped ); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "web process during the runs: $(awk -v t="$(sort -n "$DATA/threads" | tail -1)" '/VmHWM/ {h=$2} /VmRSS/ {r=$2} END {printf "peak RSS %d MiB, RSS now %d MiB, threads max %d", h/1024, r/1024, t}' "/proc/$APP_PID/status")"
