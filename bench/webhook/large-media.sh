#!/usr/bin/env bash
# Large-media benchmark (issue 9.2, bench/webhook/README.md): how much the process's resident memory (RSS) grows
# while it takes CONCURRENT Evolution events at once, each with MEDIA_MB of inline base64 media (the webhook's
# base64 option) beside a caption. The body is read as it streams and the media skipped unread, so the growth
# should stay far below the bodies' total size. Starts the jar like run.sh (embedded Redis, sandbox, WA_ROLE=web),
# warms up with one large body, then per round: baseline RSS, CONCURRENT POSTs at once while RSS is sampled every
# 20 ms, peak - baseline. Each POST must answer 200 accepted (the caption was queued).
#
# Settings (environment): ROUNDS=3 CONCURRENT=4 MEDIA_MB=16 JAVA_OPTS (default: none, the JVM's own sizing)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
CONCURRENT=${CONCURRENT:-4}
MEDIA_MB=${MEDIA_MB:-16}
TOKEN=bench-token
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

PORT=$PORT MANAGEMENT_PORT=$MPORT WA_BIND_HOST=127.0.0.1 WA_DATA_DIR=$DATA/redis WA_INSTANCES=acme-support \
  WEBHOOK_TOKEN=$TOKEN WA_MAX_MESSAGE_AGE_S=0 WA_ROLE=web LOG_LEVEL=WARN EVOLUTION_SERVER_URL= REDIS_URL= \
  java ${JAVA_OPTS:-} -jar target/whatsapp-queue.jar >"$LOG" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$MPORT/observe/health/ready" && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "the app did not start:"; tail -20 "$LOG"; exit 1; }
  sleep 0.5
done

# one body per request: the real-world event (../shared/realworld/large-media-caption.json, kept in the test
# fixtures with its media cut out) with MEDIA_MB of base64 and a key.id of its own
body() { # key-id file
  python3 - "$1" "$2" "$MEDIA_MB" <<'PY'
import json, sys, base64, os
key, path, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
event = json.load(open("src/test/resources/fixtures/realworld/large-media-caption.json"))
event["data"]["key"]["id"] = key
head, tail = json.dumps(event).split('"MEDIA"')
chunk = base64.b64encode(os.urandom(3 * 1024 * 256)).decode()      # 1 MiB of base64 text
with open(path, "w") as f:
    f.write(head + '"' + chunk * mb + '"' + tail)
PY
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$APP_PID/status"; }
post() { # file -> HTTP status
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/webhooks/evolution" \
    -H 'Content-Type: application/json' -H "X-Webhook-Token: $TOKEN" --data-binary @"$1"
}

body WARMUP0000000000000000000000000 "$DATA/warmup.json"
[ "$(post "$DATA/warmup.json")" = 200 ] || { echo "warm-up body not accepted"; exit 1; }
for i in $(seq 1 "$CONCURRENT"); do body "$(printf 'ROUND%02dBODY%02d%020d' 0 "$i" 0)" "$DATA/b$i.json"; done
size=$(stat -c %s "$DATA/b1.json")

printf '%-6s %12s %12s %12s %10s\n' round "base RSS MB" "peak RSS MB" "growth MB" answers
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 1 "$CONCURRENT"); do   # fresh key.ids, so every body is parsed and queued, not a duplicate
    sed -i "s/\"id\": \"ROUND[0-9][0-9]BODY/\"id\": \"ROUND$(printf %02d "$r")BODY/" "$DATA/b$i.json"
  done
  sleep 2
  base=$(rss_kb)
  ( peak=$base; while [ ! -f "$DATA/done" ]; do v=$(rss_kb); [ "$v" -gt "$peak" ] && peak=$v; sleep 0.02; done
    echo "$peak" > "$DATA/peak" ) &
  sampler=$!
  pids=()
  for i in $(seq 1 "$CONCURRENT"); do post "$DATA/b$i.json" > "$DATA/code$i" & pids+=($!); done
  wait "${pids[@]}"
  touch "$DATA/done"; wait "$sampler"; rm -f "$DATA/done"
  peak=$(cat "$DATA/peak")
  codes=$(for f in "$DATA"/code*; do cat "$f"; echo; done | sort | uniq -c | awk '{printf "%sx%s ", $1, $2}')
  printf '%-6s %12.1f %12.1f %12.1f %10s\n' "$r" "$(echo "$base/1024" | bc -l)" "$(echo "$peak/1024" | bc -l)" \
    "$(echo "($peak-$base)/1024" | bc -l)" "$codes"
done
echo "bodies: $CONCURRENT x $size bytes at once; JAVA_OPTS='${JAVA_OPTS:-}'"
