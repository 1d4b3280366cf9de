#!/usr/bin/env bash
# Redis cost of a sent message, counted: one warm worker drains N entries (added by one EVAL) through the
# Evolution stand-in; prints Redis round trips per message and Redis CPU per message, medians of 3 rounds.
# Usage: bench/send/redis-cost.sh      Env: N=2000 CHATS=1000 ROUNDS=3 CONCURRENCY=16 READ_COUNT=10 ROUND_TIMEOUT_S=300
#
# How it counts (Redis 7.0 counts a script's inner commands in INFO commandstats and total_commands_processed
# alike, so neither gives round trips by itself):
# - round trips: ROUNDS rounds with `redis-cli MONITOR` attached. MONITOR prints each command a client sent with
#   that client's address, and each command a script ran with `[0 lua]`; every line not from `lua` is one
#   command the client sent, i.e. one round trip (a pipelined batch of k commands counts k: pipelining does not
#   lower this figure, folding does). The benchmark's own commands are left out: the fill EVAL (recognised by its
#   text), and the XLEN/XPENDING summary polls, INFO, CONFIG, which the worker never sends at top level.
# - Redis CPU: ROUNDS further rounds without MONITOR (it slows Redis). Process CPU of redis-server from
#   INFO cpu (used_cpu_user + used_cpu_sys, microseconds, includes the network I/O), minus the fill EVAL's own
#   time from INFO commandstats, divided by N. Also printed: the command time the worker's top-level commands
#   took (commandstats usec of EVALSHA plus the other commands' usec in the share MONITOR saw sent at top level).
# The drain is detected over HTTP (the stand-in's POST count) and only then confirmed in Redis, so the
# benchmark's polling adds a handful of commands per round, not one per 20 ms.
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
C=${CONCURRENCY:-16}; N=${N:-2000}; CHATS=${CHATS:-1000}; ROUNDS=${ROUNDS:-3}
FILL=$(sed -n "/^FILL='/,/^return/p" "$ROOT/bench/send/drain.sh" | sed "1s/^FILL='//; \$s/'\$//")
start_redis; start_fake
: > "$WORK/worker.log"
start_worker "$C"
end=$(( $(date +%s) + 240 ))
until grep -q "Consuming stream of" "$WORK/worker.log"; do
  [ "$(date +%s)" -lt "$end" ] || { echo "worker did not start" >&2; tail -20 "$WORK/worker.log" >&2; exit 1; }; sleep 0.1
done

# one drain of N entries; $1 = round label. Leaves the elapsed ms in ELAPSED.
drain() {
  local base t0 cnt
  base=$(curl -s "127.0.0.1:$EPORT/stats" | cut -d' ' -f1)
  t0=$(now_ms)
  R EVAL "$FILL" 1 wa:bench:stream "$N" "$CHATS" "$1-" "$(date +%s.%N)" > /dev/null
  while :; do
    cnt=$(curl -s "127.0.0.1:$EPORT/stats" | cut -d' ' -f1)
    [ $(( cnt - base )) -ge "$N" ] && break
    [ $(( $(now_ms) - t0 )) -lt ${ROUND_TIMEOUT_S:-300}000 ] || { echo "round timed out: $((cnt - base)) of $N sent" >&2; exit 1; }
    sleep 0.02
  done
  until [[ "$(R XLEN wa:bench:stream)" == 0 && "$(pending)" == 0 ]]; do
    [ $(( $(now_ms) - t0 )) -lt ${ROUND_TIMEOUT_S:-300}000 ] || { echo "round timed out (not finished)" >&2; exit 1; }; sleep 0.05
  done
  ELAPSED=$(( $(now_ms) - t0 ))
}

cpu_us() { R INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s+=$2} END {printf "%.0f", s*1e6}'; }
# commandstats as "name calls usec" lines
cmdstats() { R INFO commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ {print substr($1,9), $3, $5}'; }

# a warm-up round: the JIT, the connection pool and the script cache settle
drain warm
echo "redis-cost: N=$N chats=$CHATS concurrency=$C read_count=${READ_COUNT:-10} rounds=$ROUNDS nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"

RTS=(); SHARES="$WORK/toplevel-share"; : > "$SHARES"
for r in $(seq "$ROUNDS"); do
  mon="$WORK/monitor-$r.txt"
  redis-cli -p "$RPORT" MONITOR > "$mon" &
  MON_PID=$!; PIDS+=("$MON_PID")
  sleep 0.2
  drain "m$r"
  sleep 0.2
  kill "$MON_PID" 2>/dev/null || true; wait "$MON_PID" 2>/dev/null || true
  # top-level commands by name, without the benchmark's own
  awk '$2 != "[0" || $3 == "lua]" {next}
       { c=tolower($4); gsub(/"/, "", c) }
       c == "eval" && index($0, "local n=tonumber") {next}
       c == "xlen" || c == "xpending" || c == "info" || c == "config" || c == "monitor" {next}
       { n[c]++ } END { for (k in n) print k, n[k] }' "$mon" > "$WORK/top-$r.txt"
  inner=$(awk '$3 == "lua]"' "$mon" | wc -l)
  top=$(awk '{s+=$2} END {print s+0}' "$WORK/top-$r.txt")
  rt=$(awk -v t="$top" -v n="$N" 'BEGIN {printf "%.3f", t/n}')
  RTS+=("$rt")
  echo "round trips, round $r: $top top-level commands for $N messages = $rt per message ($(awk -v i="$inner" -v n="$N" 'BEGIN {printf "%.1f", i/n}') inside scripts per message, fill excluded): $(sort -k2 -nr "$WORK/top-$r.txt" | awk -v n="$N" '{printf "%s %.3f  ", $1, $2/n}')"
  cat "$WORK/top-$r.txt" >> "$SHARES"
  rm -f "$mon"
done

CPUS=(); CMDS=(); RATES=()
for r in $(seq "$ROUNDS"); do
  R CONFIG RESETSTAT > /dev/null
  c0=$(cpu_us)
  drain "c$r"
  c1=$(cpu_us)
  cmdstats > "$WORK/cs-$r.txt"
  fill_us=$(awk '$1 == "eval" {print $3}' "$WORK/cs-$r.txt"); fill_us=${fill_us:-0}
  cpu=$(awk -v a="$c0" -v b="$c1" -v f="$fill_us" -v n="$N" 'BEGIN {printf "%.1f", (b-a-f)/n}')
  # command time of top-level commands: EVALSHA's usec holds its inner commands; other commands count in the
  # share of their calls MONITOR saw sent at top level
  cmd=$(awk -v n="$N" 'FNR == NR {top[$1] += $2; next}
        $1 == "eval" || $1 == "info" || $1 == "config" || $1 == "xlen" || $1 == "xpending" && !($1 in top) {next}
        $1 == "evalsha" {s += $3; next}
        ($1 in top) { share = top[$1] / ('"$ROUNDS"' * n) / ($2 / n); if (share > 1) share = 1; s += $3 * share }
        END {printf "%.1f", s / n}' "$SHARES" "$WORK/cs-$r.txt")
  rate=$(( N * 1000 / ELAPSED ))
  CPUS+=("$cpu"); CMDS+=("$cmd"); RATES+=("$rate")
  echo "redis CPU, round $r: process $cpu us/msg, top-level command time $cmd us/msg ($N in $ELAPSED ms = $rate msg/s, fill EVAL ${fill_us} us left out)"
done
echo "== median of $ROUNDS: $(printf '%s\n' "${RTS[@]}" | median) round trips/msg | Redis CPU $(printf '%s\n' "${CPUS[@]}" | median) us/msg (process), $(printf '%s\n' "${CMDS[@]}" | median) us/msg (command time) | $(printf '%s\n' "${RATES[@]}" | median) msg/s | nproc=$(nproc) =="
