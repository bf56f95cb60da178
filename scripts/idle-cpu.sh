#!/usr/bin/env bash
# The idle cost of `run`: CPU time the engine's process spends in steady state, as a share of one
# core, measured from the process's own CPU counters (so a busy machine does not change it), and
# where it goes by thread group, with each group's wake-ups per second (voluntary context switches:
# an idle engine's cost is mostly threads waking for little work).
#
#   scripts/idle-cpu.sh [--warmup SECONDS] [--window SECONDS] [--jar JAR] [--pid PID] [-- RUN-ARGS...]
#
# Without --pid it starts `java -jar JAR run` on a fresh data directory and free ports (any
# RUN-ARGS are passed on, e.g. --config FILE), waits --warmup (default 120) seconds, measures over
# --window (default 60) seconds, prints the table and stops the engine. With --pid it measures an
# engine already running (no warm-up). Needs Linux /proc.
set -euo pipefail

warmup=120
window=60
jar="target/pekko-trader.jar"
pid=""
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) warmup="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --pid) pid="$2"; warmup=0; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

hz=$(getconf CLK_TCK)
started=""
workdir=""
cleanup() {
  if [ -n "$started" ] && kill -0 "$started" 2>/dev/null; then
    kill "$started" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$started" 2>/dev/null || break; sleep 1; done
    kill -9 "$started" 2>/dev/null || true
  fi
  if [ -n "$workdir" ]; then rm -rf "$workdir"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

if [ -z "$pid" ]; then
  [ -f "$jar" ] || { echo "no $jar: build it with mvn -q -DskipTests package" >&2; exit 2; }
  workdir=$(mktemp -d)
  java -jar "$jar" run --data-dir "$workdir/data" --http-port 0 --metrics-port "$(free_port)" \
    --management-port "$(free_port)" --node-port "$(free_port)" "$@" > "$workdir/engine.log" 2>&1 &
  started=$!
  pid=$started
  echo "engine pid $pid, warming up ${warmup}s" >&2
fi

# one line per thread group: its name (the Java thread name when jcmd can tell it, else the
# kernel's 15-character one; numbers dropped, spaces as _), utime+stime in ticks, and its
# voluntary context switches (a thread going to sleep: about one wake-up each)
threads() {
  names=$(jcmd "$pid" Thread.print 2>/dev/null | sed -nE 's/^"([^"]*)".* nid=(0x[0-9a-f]+|[0-9]+) .*/\2 \1/p' || true)
  for stat in /proc/"$pid"/task/*/stat; do
    line=$(cat "$stat" 2>/dev/null) || continue
    tid=${stat%/stat}; tid=${tid##*/}
    comm=${line#*(}; comm=${comm%)*}
    rest=${line##*) }
    set -- $rest
    name=$(printf '%s\n' "$names" | awk -v a="$tid" -v b="$(printf '0x%x' "$tid")" '$1==a||$1==b {$1=""; print substr($0,2); exit}')
    [ -n "$name" ] || name=$comm
    # after comm: utime is field 12, stime 13
    switches=$(awk '/^voluntary_ctxt_switches/ {print $2}' /proc/"$pid"/task/"$tid"/status 2>/dev/null || true)
    echo "$(printf '%s' "$name" | sed -E 's/[0-9]+//g; s/[-_#. ]+$//; s/ /_/g') ${12} ${13} ${switches:-0}"
  done | awk '{t[$1]+=$2+$3; w[$1]+=$4} END {for (k in t) print k, t[k], w[k]}'
}
process_ticks() { awk '{print $14+$15}' /proc/"$pid"/stat; }

sleep "$warmup"
kill -0 "$pid" 2>/dev/null || { echo "the engine exited during the warm-up" >&2; [ -n "$workdir" ] && tail -20 "$workdir/engine.log" >&2; exit 1; }
before_total=$(process_ticks)
before_file=$(mktemp)
after_file=$(mktemp)
threads > "$before_file"
t0=$(date +%s.%N)
sleep "$window"
after_total=$(process_ticks)
threads > "$after_file"
t1=$(date +%s.%N)

elapsed=$(echo "$t1 $t0" | awk '{print $1-$2}')
echo "window ${elapsed}s, load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "thread group | % of a core | wake-ups/s"
# threads that ended during the window are counted in the process total only
join -a2 -e0 -o 0,1.2,1.3,2.2,2.3 <(sort "$before_file") <(sort "$after_file") > "$before_file.joined"
awk -v hz="$hz" -v s="$elapsed" '{d=($4-$2)/hz/s*100; w=($5-$3)/s; if (d>=0.05 || w>=5) printf "%s | %.1f | %.0f\n", $1, d, w}' "$before_file.joined" \
  | sort -t'|' -k2,2nr -k3,3nr
echo "wake-ups of the threads alive at the end | | $(awk -v s="$elapsed" '{w+=($5-$3)/s} END {printf "%.0f", w}' "$before_file.joined")"
rm -f "$before_file" "$after_file" "$before_file.joined"
echo "process total | $(echo "$before_total $after_total" | awk -v hz="$hz" -v s="$elapsed" '{printf "%.1f", ($2-$1)/hz/s*100}')"
