#!/usr/bin/env bash
# Drain benchmark: pre-fill N entries (1,000 distinct chats), start a fresh worker, time first send -> XLEN==0
# and nothing pending. Usage: bench/send/drain.sh [concurrency ...]   (default: 8 16 32)
# Env: N=5000 CHATS=1000 ROUNDS=3 READ_COUNT=10 ROUND_TIMEOUT_S=120 WORKER_JAVA_OPTS=...
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
N=${N:-5000}; CHATS=${CHATS:-1000}; ROUNDS=${ROUNDS:-3}; ROUND_TIMEOUT_S=${ROUND_TIMEOUT_S:-120}
CONCS=("$@"); [ ${#CONCS[@]} -gt 0 ] || CONCS=(8 16 32)

FILL='local n=tonumber(ARGV[1]) local chats=tonumber(ARGV[2]) local p=ARGV[3] local now=ARGV[4]
for i=1,n do
  local id=p..i
  redis.call("XADD", KEYS[1], "*", "payload", "{\"message_id\":\""..id.."\",\"to\":\""..string.format("5511%07d", i % chats)..
    "\",\"text\":\"bench reply "..id.."\",\"queued_at\":"..now..",\"attempts\":0,\"metadata\":{}}")
end
return redis.call("XLEN", KEYS[1])'

start_redis
start_fake
echo "redis 127.0.0.1:$RPORT  stand-in 127.0.0.1:$EPORT  N=$N chats=$CHATS rounds=$ROUNDS read_count=${READ_COUNT:-10}  nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"

SUMMARY=()
for C in "${CONCS[@]}"; do
  RATES=()
  for r in $(seq "$ROUNDS"); do
    R FLUSHALL > /dev/null
    curl -s "127.0.0.1:$EPORT/reset" > /dev/null
    base=$(curl -s "127.0.0.1:$EPORT/stats" | cut -d' ' -f1)
    len=$(R EVAL "$FILL" 1 wa:bench:stream "$N" "$CHATS" "c$C-r$r-" "$(date +%s.%N)")
    [ "$len" = "$N" ] || { echo "fill failed: $len" >&2; exit 1; }
    cpu0_r=$(cpu_ticks "$REDIS_PID"); cpu0_f=$(cpu_ticks "$FAKE_PID")
    t_start=$(now_ms)
    start_worker "$C"
    deadline=$(( t_start + ROUND_TIMEOUT_S * 1000 ))
    while :; do
      xl=$(R XLEN wa:bench:stream); pe=$(pending)
      [[ "$xl" == 0 && "$pe" == 0 ]] && break
      [ "$(now_ms)" -lt "$deadline" ] || { echo "round timed out: xlen=$xl pending=$pe" >&2; tail -20 "$WORK/worker.log" >&2; exit 1; }
      sleep 0.02
    done
    t_done=$(now_ms)
    cpu_w=$(cpu_ticks "$WORKER_PID"); cpu_r=$(( $(cpu_ticks "$REDIS_PID") - cpu0_r )); cpu_f=$(( $(cpu_ticks "$FAKE_PID") - cpu0_f ))
    read -r cnt first last < <(curl -s "127.0.0.1:$EPORT/stats")
    sent=$(( cnt - base ))
    stop_worker
    drain_ms=$(( t_done - first )); [ "$drain_ms" -gt 0 ] || drain_ms=1
    rate=$(awk -v n="$N" -v ms="$drain_ms" 'BEGIN{printf "%.0f", n*1000/ms}')
    RATES+=("$rate")
    printf 'c=%-3s round %d: startup->first send %5d ms, first send->drained %5d ms (last send at +%d ms), %6s msg/s, POSTs=%d | CPU s (incl. JVM startup for java): worker %.2f redis %.2f stand-in %.2f\n' \
      "$C" "$r" $(( first - t_start )) "$drain_ms" $(( last - first )) "$rate" "$sent" \
      "$(echo "$cpu_w/100" | bc -l)" "$(echo "$cpu_r/100" | bc -l)" "$(echo "$cpu_f/100" | bc -l)"
  done
  med=$(printf '%s\n' "${RATES[@]}" | median)
  SUMMARY+=("concurrency $C: median $med msg/s (rounds: ${RATES[*]})")
done
echo "== drain of $N entries, median of $ROUNDS rounds =="
printf '%s\n' "${SUMMARY[@]}"
