#!/usr/bin/env bash
# Soak: `run` trading on paper against the exchange simulator at 5,000 frames/s over 100 symbols
# with faults on (every connection dropped after 60 s, 1 % garbage frames), sampled every 30 s:
# the live heap (after the full collection `jcmd GC.class_histogram` makes), open file
# descriptors, threads and the engine's CPU, and its market-data connection from /metrics.
#
#   scripts/soak.sh [--minutes 30] [--interval 30] [--warmup 240] [--symbols 100] [--rate 5000]
#                   [--faults 'drop=60s,garbage=1%'] [--jar target/pekko-trader.jar] [--keep DIR]
#
# The simulator runs in a JVM of its own (`simulate-exchange`, Binance dialect), so the engine's
# figures are the engine's alone; the engine is the default `run` with the symbols and the
# simulator's URL in a --config file. Sampling starts after --warmup seconds (the candle history
# of every symbol fills in its first candle-history x candle-interval = 200 s) and lasts --minutes.
#
# Pass (exit 0, last line "SOAK PASS"): heap, descriptors and threads flat (the mean of the last
# third of the samples within 10 % of the first third's), no ERROR in the engine's console or
# JSON log, and every reconnect within budget: a sample that finds the venue not connected or
# its last frame 5 s old or more sees it receiving again within 16 s (the 10 s longest backoff
# plus the lag of /metrics), and its attempts in the budget window stay within the venue's
# connection budget (Binance: 300 per 5 min). Else exit 1 and "SOAK FAIL: <reasons>".
# Uses bash, curl, jcmd, python3 (free ports) and java. --keep DIR keeps the logs and data there.
set -euo pipefail

minutes=30
interval=30
warmup=240
symbols=100
rate=5000
faults='drop=60s,garbage=1%'
jar="target/pekko-trader.jar"
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --symbols) symbols="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --faults) faults="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
for n in "$minutes" "$interval" "$warmup" "$symbols" "$rate"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "--minutes, --interval, --warmup, --symbols and --rate take whole numbers, got $n" >&2; exit 2; }
done
[ "$symbols" -ge 1 ] && [ "$symbols" -le 1000 ] || { echo "--symbols must be 1..1000" >&2; exit 2; }
[ $((rate % symbols)) -eq 0 ] && [ "$rate" -ge "$symbols" ] || { echo "--rate must be a multiple of --symbols" >&2; exit 2; }
[ "$interval" -ge 5 ] || { echo "--interval must be at least 5 seconds" >&2; exit 2; }
[ -f "$jar" ] || { echo "no $jar: build it with mvn -q -DskipTests package" >&2; exit 2; }
budget=300
reconnect_budget=16

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d)
fi
sim_pid=""
engine_pid=""
stop() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$engine_pid"
  stop "$sim_pid"
  if [ -z "$keep" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" && return 0; sleep 1; done
  echo "SOAK FAIL: $what did not happen within ${seconds}s" >&2
  exit 1
}

names=()
for i in $(seq 0 $((symbols - 1))); do names+=("$(printf 'S%03dUSDT' "$i")"); done
list=$(IFS=,; echo "${names[*]}")

sim_port=$(free_port)
java -jar "$jar" simulate-exchange --dialect binance --port "$sim_port" --symbols "$list" \
  --rate $((rate / symbols)) --faults "$faults" > "$work/simulator.log" 2>&1 &
sim_pid=$!
wait_for 60 "the simulator listening on $sim_port" grep -q "Exchange simulator" "$work/simulator.log"

{
  echo 'pekko-trader.market.source = "binance"'
  echo "pekko-trader.venues.binance.ws-url = \"ws://127.0.0.1:$sim_port\""
  echo 'pekko-trader.symbols = ['
  for s in "${names[@]}"; do
    echo "  { venue = \"binance\", symbol = \"$s\", strategy = \"ma-crossover\", lot-step = \"0.001\", start-price = \"100\" }"
  done
  echo ']'
} > "$work/soak.conf"

metrics_port=$(free_port)
java -jar "$jar" run --config "$work/soak.conf" --data-dir "$work/data" --http-port 0 --metrics-port "$metrics_port" \
  --management-port "$(free_port)" --node-port "$(free_port)" > "$work/engine.log" 2>&1 &
engine_pid=$!
metric() { # name: the binance venue's value, or "-"
  curl -sf "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null | awk -v n="$1" '$1 ~ "^"n"\\{" && $1 ~ /venue="binance"/ {v=$2} END {print (v=="" ? "-" : v)}'
}
receiving() { local age; age=$(metric ws_last_message_age_seconds); [ "$age" != "-" ] && awk -v a="$age" 'BEGIN {exit !(a >= 0 && a < 5)}'; }
wait_for 180 "the engine receiving the simulator's trades" receiving

echo "soak: engine pid $engine_pid, simulator pid $sim_pid on port $sim_port, $symbols symbols at $rate frames/s, faults $faults"
echo "warm-up ${warmup}s, then ${minutes} min sampled every ${interval}s; files in $work"
sleep "$warmup"

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$engine_pid/stat"; }
samples="$work/samples.tsv"
: > "$samples"
echo
echo "| minute | live heap (MiB) | open fds | threads | engine CPU (% of a core) | connected | last frame (s) | attempts in window | reconnects |"
echo "|---|---|---|---|---|---|---|---|---|"
count=$((minutes * 60 / interval + 1))
start=$(date +%s)
last_ticks=$(ticks)
last_time=$(date +%s.%N)
failures=()
notes=()
for i in $(seq 0 $((count - 1))); do
  if [ "$i" -gt 0 ]; then
    delay=$((start + i * interval - $(date +%s)))
    if [ "$delay" -gt 0 ]; then sleep "$delay"; fi
  fi
  kill -0 "$engine_pid" 2>/dev/null || { failures+=("the engine exited"); break; }
  heap=$(jcmd "$engine_pid" GC.class_histogram 2>/dev/null | awk '$1 == "Total" {print $3}')
  fds=$(ls "/proc/$engine_pid/fd" | wc -l)
  threads=$(awk '$1 == "Threads:" {print $2}' "/proc/$engine_pid/status")
  now_ticks=$(ticks)
  now_time=$(date +%s.%N)
  # over the interval that ended with this sample (none before the first)
  cpu=$(awk -v a="$last_ticks" -v b="$now_ticks" -v s="$last_time" -v e="$now_time" -v hz="$hz" -v i="$i" \
    'BEGIN {if (i == 0) print "-"; else printf "%.1f", (b-a)/hz/(e-s)*100}')
  last_ticks=$now_ticks
  last_time=$now_time
  connected=$(metric ws_connected)
  age=$(metric ws_last_message_age_seconds)
  attempts=$(metric ws_connection_attempts)
  reconnects=$(metric ws_reconnects_total)
  minute=$(awk -v s=$((i * interval)) 'BEGIN {printf "%.1f", s/60}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$heap" "$fds" "$threads" "$cpu" "$attempts" >> "$samples"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$minute" "$(awk -v h="$heap" 'BEGIN {printf "%.1f", h/1048576}')" "$fds" "$threads" "$cpu" "$connected" "$age" "$attempts" "$reconnects"
  if [ "$connected" != "1.0" ] || ! awk -v a="$age" 'BEGIN {exit !(a >= 0 && a < 5)}' 2>/dev/null; then
    # A sample may fall inside a reconnect: the venue must be receiving again within the reconnect
    # budget, the longest backoff (10 s) plus /metrics' own lag (Kamon's 5 s tick, the 1 s sampler).
    waited=0
    until receiving || [ "$waited" -ge "$reconnect_budget" ]; do sleep 1; waited=$((waited + 1)); done
    if receiving; then
      notes+=("minute $minute: sampled inside a reconnect (connected $connected, last frame ${age}s ago); receiving again ${waited} s later")
    else
      failures+=("not receiving at minute $minute nor ${reconnect_budget} s later (connected $connected, last frame ${age}s ago)")
      notes+=("minute $minute: not receiving (last frame ${age}s ago), nor ${reconnect_budget} s later")
    fi
  fi
  if [ "$attempts" != "-" ] && awk -v a="$attempts" -v b="$budget" 'BEGIN {exit !(a > b)}'; then
    failures+=("$attempts connection attempts in the budget window at minute $minute (budget $budget)")
  fi
done

for note in "${notes[@]}"; do echo "- $note"; done
n=$(wc -l < "$samples")
third=$(( (n + 2) / 3 ))
flat() { # column, label
  awk -F'\t' -v c="$1" -v t="$third" -v n="$n" -v label="$2" '
    {v[NR]=$c}
    END {
      for (i = 1; i <= t; i++) first += v[i];
      for (i = n - t + 1; i <= n; i++) last += v[i];
      first /= t; last /= t;
      change = (last - first) / first * 100;
      printf "%s: first third %.0f, last third %.0f (%+.1f %%)\n", label, first, last, change;
      exit (change > 10 || change < -10) ? 1 : 0
    }' "$samples"
}
echo
if [ "$n" -lt 3 ]; then
  failures+=("only $n samples: run for at least 2 intervals")
else
  for check in "1 heap" "2 descriptors" "3 threads"; do
    set -- $check
    flat "$1" "$2" || failures+=("$2 not flat")
  done
fi
reconnects=$(metric ws_reconnects_total)
echo "reconnects during the run: $reconnects (the simulator drops every connection at its drop interval)"
errors=$(grep -c ' ERROR ' "$work/engine.log" || true)
json_errors=$(cat "$work/data/logs/"engine*.jsonl 2>/dev/null | grep -c '"level":"ERROR"' || true)
[ "$errors" -eq 0 ] && [ "$json_errors" -eq 0 ] || failures+=("ERROR in the log: $errors console, $json_errors JSON lines")

if [ ${#failures[@]} -eq 0 ]; then
  echo "SOAK PASS"
else
  printf 'SOAK FAIL: %s\n' "$(IFS=';'; echo "${failures[*]}")"
  exit 1
fi
