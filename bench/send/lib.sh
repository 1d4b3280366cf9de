# Shared helpers for bench/send/*.sh (sourced). Everything binds to 127.0.0.1; every process started is
# recorded in PIDS and killed by the EXIT trap the caller installs with `trap cleanup EXIT`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="${JAR:-$ROOT/target/whatsapp-queue.jar}"
WORK="$(mktemp -d /tmp/wq-bench.XXXXXX)"
PIDS=()
WORKER_PID=""

cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] || continue
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}

now_ms() { date +%s%3N; }

# a free TCP port on 127.0.0.1 (not in LISTEN state, from a high random range)
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    ss -ltnH "( sport = :$p )" | grep -q . || { echo "$p"; return; }
  done
}

wait_port() { # port timeout_s
  local end=$(( $(date +%s) + $2 ))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$(date +%s)" -lt "$end" ] || { echo "port $1 did not open" >&2; return 1; }
    sleep 0.05
  done
}

redis_bin() {
  local b=/tmp/redis-server-7.0.15-linux-amd64
  if [ ! -x "$b" ]; then
    b="$WORK/redis-server"
    unzip -p "$HOME/.m2/repository/org/signal/embedded-redis/0.9.0/embedded-redis-0.9.0.jar" \
      redis-server-7.0.15-linux-amd64 > "$b"
    chmod +x "$b"
  fi
  echo "$b"
}

start_redis() {
  RPORT=$(free_port)
  "$(redis_bin)" --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --protected-mode yes \
    --dir "$WORK" --logfile "$WORK/redis.log" &
  REDIS_PID=$!; PIDS+=("$REDIS_PID")
  wait_port "$RPORT" 10
  R() { redis-cli -p "$RPORT" "$@"; }
}

start_fake() { # [latency-out-file]
  EPORT=$(free_port)
  java -XX:+UseParallelGC -Xmx256m -Dsun.net.httpserver.nodelay=true "$ROOT/bench/send/FakeEvolution.java" "$EPORT" "$@" > "$WORK/fake.log" 2>&1 &
  FAKE_PID=$!; PIDS+=("$FAKE_PID")
  wait_port "$EPORT" 30
}

# start the worker jar with the benchmark settings; $1 = concurrency
start_worker() {
  [ -f "$JAR" ] || { echo "build first: mvn -B -ntp -o -q package -DskipTests" >&2; exit 1; }
  mkdir -p "$WORK/data"
  env REDIS_URL="redis://127.0.0.1:$RPORT" EVOLUTION_SERVER_URL="http://127.0.0.1:$EPORT" \
    EVOLUTION_API_KEY=bench-key WA_INSTANCES="${INSTANCES:-bench}" WA_ROLE="${ROLE:-worker}" WA_TOKENS_PER_SECOND=0 WA_SEND_DELAY_MS=0 \
    WA_SEND_CONCURRENCY="$1" WA_STREAM_READ_COUNT="${READ_COUNT:-10}" WA_BIND_HOST=127.0.0.1 \
    PORT="$(free_port)" MANAGEMENT_PORT="$(free_port)" WA_DATA_DIR="$WORK/data" \
    java ${WORKER_JAVA_OPTS-$(default_java_opts)} -jar "$JAR" >> "$WORK/worker.log" 2>&1 &
  WORKER_PID=$!; PIDS+=("$WORKER_PID")
}

stop_worker() {
  [ -n "$WORKER_PID" ] || return 0
  kill "$WORKER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$WORKER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$WORKER_PID" 2>/dev/null || true
  WORKER_PID=""
}

# CPU time (utime+stime, in clock ticks = 10 ms) a process has used so far
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

pending() { R XPENDING wa:bench:stream wa_workers 2>/dev/null | head -1; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) exit; print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# The JVM options the image runs with (docker/jvm.options, one place), plus the class-data sharing archive the
# build wrote beside the jar when there is one. Benchmarks use them unless told otherwise (JAVA_OPTS / WORKER_JAVA_OPTS).
default_java_opts() {
  local opts="@$ROOT/docker/jvm.options"
  [ -f "$ROOT/target/whatsapp-queue.jsa" ] && opts="$opts -XX:SharedArchiveFile=$ROOT/target/whatsapp-queue.jsa"
  echo "$opts"
}

# Footprint of a running process: MAX_THREADS is the most threads sample_threads saw (call it while the load
# runs); VmHWM is the kernel's peak resident set since the process started.
MAX_THREADS=0
sample_threads() { # pid
  local n; n=$(ls "/proc/$1/task" 2>/dev/null | wc -l)
  [ "$n" -le "$MAX_THREADS" ] || MAX_THREADS=$n
}
footprint() { # pid -> "peak RSS <MiB> MiB, RSS now <MiB> MiB, threads max <n>"
  awk -v t="$MAX_THREADS" '/VmHWM/ {h=$2} /VmRSS/ {r=$2} END {printf "peak RSS %d MiB, RSS now %d MiB, threads max %d", h/1024, r/1024, t}' "/proc/$1/status"
}
