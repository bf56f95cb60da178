#!/usr/bin/env bash
# Crash loop: kill -9 the trading engine at random moments and prove that nothing is lost.
#
# Usage: scripts/crash-loop.sh [ROUNDS=20] [JAR=target/pekko-trader.jar]
#
# Environment (all optional):
#   SEED          seeds bash's $RANDOM, which picks the kill delays (printed, so any run can be replayed)
#   MIN_DELAY     shortest kill delay in seconds after the API answers (default 2)
#   MAX_DELAY     longest kill delay in seconds (default 20; the strategy needs ~10 s of candles after
#                 every start before it can trade, so delays beyond that are where orders are in flight)
#   START_TIMEOUT seconds to wait for the control API after a start (default 90)
#   CONFIG        engine config file for every start (default: orders fill in 3 parts 400 ms apart, so
#                 kills often land while an order is working)
#
# Each round, on one data directory that lives for the whole run:
#   1. start the engine trading on its embedded exchange simulator, wait for the control API, sleep a random delay,
#      then kill -9 the java process;
#   2. check-journal (must exit 0): audit #1, the state the crash left;
#   3. start the engine with TRADER_MARKET=none (recover and reconcile only), poll /api/v1/status until
#      all 3 symbols are recovered with no working order and Portfolio has caught up with their fills;
#   4. SIGTERM it (must exit 0), check-journal again: audit #2 (must have unconfirmedFills 0, no problems);
#   5. compare the recovered status with both audits (positions as decimals, fill, intent and correction
#      counts, cash, portfolio fills and positions), check that no count went down since the previous round
#      and that every phase agrees with its position. One allowance: where the crash came after a
#      symbol journalled an intent and before RiskManager's answer (audit #1's last event for it is
#      EntryIntended or ExitIntended), recovery re-asks and may place and fill that order, so its
#      fills and position may move on from audit #1; they must still equal audit #2's.
# Uses only bash, curl, python3 (JSON, free ports, temp dir) and java. Every wait has a timeout.
set -euo pipefail

ROUNDS=${1:-20}
JAR=${2:-target/pekko-trader.jar}
MIN_DELAY=${MIN_DELAY:-2}
MAX_DELAY=${MAX_DELAY:-20}
START_TIMEOUT=${START_TIMEOUT:-90}
RECOVER_TIMEOUT=60    # status poll: all symbols recovered, no working order
SETTLE_TIMEOUT=15     # then: Portfolio has applied every fill the symbols recorded
STOP_TIMEOUT=45       # SIGTERM to exit
AUDIT_TIMEOUT=120     # one check-journal run
SYMBOLS=(binance:BTCUSDT binance:ETHUSDT binance:SOLUSDT)

die() { echo "crash-loop: $*" >&2; exit 2; }
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 ]] || die "ROUNDS must be a positive integer, got '$ROUNDS'"
[[ $MIN_DELAY =~ ^[0-9]+$ && $MAX_DELAY =~ ^[0-9]+$ && $MIN_DELAY -le $MAX_DELAY ]] \
  || die "MIN_DELAY/MAX_DELAY must be integers with MIN_DELAY <= MAX_DELAY"
[[ -f $JAR ]] || die "no jar at $JAR (build it with: mvn -B -DskipTests package)"
[[ $JAR == /* ]] || JAR=$PWD/$JAR
for tool in curl python3 java; do command -v "$tool" >/dev/null || die "$tool is required"; done

# The engine must not pick up an operator's settings that would change what is tested.
unset TRADER_API_KEY TRADER_SEED_NODES TRADER_DB TRADER_DB_URL TRADER_DB_USER TRADER_DB_PASSWORD \
  TRADER_DATA_DIR TRADER_HTTP_PORT TRADER_MARKET TRADER_MANAGEMENT_PORT TRADER_NODE_PORT TRADER_METRICS_PORT

SEED=${SEED:-$(( (${EPOCHSECONDS:-$$} ^ $$) % 32768 ))}
RANDOM=$SEED

WORK=$(python3 -c 'import tempfile; print(tempfile.mkdtemp(prefix="crash-loop."))')
DATA=$WORK/data
HELPER=$WORK/helper.py

# Orders that stay open long enough for a random kill to land in the middle of one: every order
# fills in 3 parts, 400 ms apart (CONFIG=FILE replaces this with your own settings).
if [[ -z ${CONFIG:-} ]]; then
  CONFIG=$WORK/crash-loop.conf
  cat >"$CONFIG" <<'CONF'
pekko-trader.paper.partial-fills = 3
pekko-trader.paper.fill-delay = 400ms
pekko-trader.trading.cooldown = 1s
CONF
fi
[[ -f $CONFIG ]] || die "no config file at $CONFIG"

# ---------------------------------------------------------------------------------------------
# Child processes: every java we start is recorded and killed on exit, whatever the exit.
CHILDREN=()
exec {NAP_FD}<> <(:)
nap() { read -rt "$1" -u "$NAP_FD" || true; }   # sleep without an external tool

cleanup() {
  local pid waited
  for pid in "${CHILDREN[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for ((waited = 0; waited < 50; waited++)); do kill -0 "$pid" 2>/dev/null || break; nap 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  CHILDREN=()
}
trap cleanup EXIT
trap 'echo "crash-loop: interrupted" >&2; exit 130' INT
trap 'echo "crash-loop: terminated" >&2; exit 143' TERM

# wait_pid PID SECONDS: waits for a child to exit; sets WAIT_RC (its exit code, or 124 on timeout).
wait_pid() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then WAIT_RC=124; return 1; fi
    nap 0.2
  done
  WAIT_RC=0
  wait "$pid" 2>/dev/null || WAIT_RC=$?
  return 0
}

log_tail() {   # log_tail FILE [LINES]: the end of a log, indented
  local file=$1 n=${2:-40} lines
  [[ -f $file ]] || { echo "    (no file $file)"; return 0; }
  mapfile -t lines <"$file"
  echo "    --- last lines of $file ---"
  if ((${#lines[@]} > n)); then lines=("${lines[@]: -n}"); fi
  ((${#lines[@]} == 0)) || printf '    %s\n' "${lines[@]}"
}

# ---------------------------------------------------------------------------------------------
cat >"$HELPER" <<'PY'
import json, socket, sys
from decimal import Decimal, InvalidOperation

SYMBOLS = ["binance:BTCUSDT", "binance:ETHUSDT", "binance:SOLUSDT"]
HOLDING = {"IN_POSITION", "HALTED", "EXIT_WORKING"}

def load(path):
    with open(path) as f:
        return json.load(f)

def dec(v):
    try:
        return Decimal(str(v)) if v is not None else None
    except InvalidOperation:
        return None

def short(sym):
    return sym.split(":")[-1].replace("USDT", "")

def ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()

def ready(path):
    """0: all symbols recovered, no working order, Portfolio caught up; 2: recovered, Portfolio behind; 1: not yet."""
    try:
        st = load(path)
        syms = {s["id"]: s for s in st["symbols"]}
        if not all(i in syms and syms[i].get("recovered") is True and syms[i].get("workingOrder") is None for i in SYMBOLS):
            return 1
        total = sum(int(syms[i]["fills"]) for i in SYMBOLS)
        return 0 if int(st["portfolio"]["fills"]) == total else 2
    except Exception:
        return 1

# a symbol's last journalled event when the crash left an intent waiting for RiskManager's answer
PENDING_INTENT = ("EntryIntended", "ExitIntended")

def figures(audit, sym):
    f = audit.get("symbols", {}).get(sym)
    if f is None:   # no event yet for this symbol
        return {"positionQty": "0", "fills": 0, "intents": 0, "corrections": 0}
    return f

def compare(status_p, audit1_p, audit2_p, prev_p, next_p):
    """Prints 'fills ... | cash | corrections' then one problem per line; exit 1 when there is any."""
    st, a1, a2 = load(status_p), load(audit1_p), load(audit2_p)
    try:
        prev = load(prev_p)
    except (OSError, ValueError):
        prev = {}
    problems, notes = [], []
    syms = {s["id"]: s for s in st.get("symbols", [])}
    pf = st.get("portfolio", {})
    ppos = pf.get("positions") or {}
    for sym in SYMBOLS:
        s = syms.get(sym)
        if s is None:
            problems.append(f"{sym} missing from status")
            continue
        f1, f2 = figures(a1, sym), figures(a2, sym)
        q, q1, q2 = dec(s.get("positionQty")), dec(f1["positionQty"]), dec(f2["positionQty"])
        # The crash came after an intent was journalled and before RiskManager's answer was: the
        # recovery run re-asks for it and, approved, places the order and fills it (an intent is
        # a decision, kept across a crash). Its fills and position then move on from audit #1;
        # they must still agree with audit #2, and nothing may go down.
        carried = f1.get("lastEvent") in PENDING_INTENT
        if carried and s.get("fills", 0) > f1["fills"]:
            notes.append(f"{short(sym)}: the intent the crash left pending was carried out")
        if q is None or q != q2 or (q != q1 and not carried):
            problems.append(f"{sym} positionQty status {s.get('positionQty')} vs audit1 {f1['positionQty']} vs audit2 {f2['positionQty']}")
        for key in ("fills", "intents"):
            moved_on = carried and key == "fills" and s.get(key, 0) >= f1[key]
            if not (s.get(key) == f2[key] and (s.get(key) == f1[key] or moved_on)):
                problems.append(f"{sym} {key} status {s.get(key)} vs audit1 {f1[key]} vs audit2 {f2[key]}")
        if s.get("corrections") != f2["corrections"]:
            problems.append(f"{sym} corrections status {s.get('corrections')} vs audit2 {f2['corrections']}")
        for key in ("fills", "intents"):
            before = prev.get(sym, {}).get(key, 0)
            if s.get(key, 0) < before or f1[key] < before:
                problems.append(f"{sym} {key} went down: {before} last round, now status {s.get(key)} / audit1 {f1[key]}")
        phase = s.get("phase")
        if q is not None and q > 0 and phase not in HOLDING:
            problems.append(f"{sym} holds {s.get('positionQty')} but its phase is {phase}")
        if q is not None and q == 0 and phase == "IN_POSITION":
            problems.append(f"{sym} is IN_POSITION with position 0")
        if q is not None and q < 0:
            problems.append(f"{sym} negative position {s.get('positionQty')}")
        pq = dec(ppos.get(sym, "0"))
        if q is not None and pq != q:
            problems.append(f"{sym} Portfolio position {ppos.get(sym)} vs symbol position {s.get('positionQty')}")
    for sym in ppos:
        if sym not in SYMBOLS and dec(ppos[sym]) != 0:
            problems.append(f"Portfolio holds unknown symbol {sym}: {ppos[sym]}")
    cash, cash2 = dec(pf.get("cash")), dec(a2.get("portfolioCash"))
    if cash is None or cash != cash2:
        problems.append(f"portfolio cash status {pf.get('cash')} vs audit2 {a2.get('portfolioCash')}")
    if pf.get("fills") != a2.get("portfolioFills"):
        problems.append(f"portfolio fills status {pf.get('fills')} vs audit2 {a2.get('portfolioFills')}")
    if a2.get("unconfirmedFills") != 0:
        problems.append(f"audit2 unconfirmedFills {a2.get('unconfirmedFills')} (Portfolio did not get every fill back)")
    for name, a in (("audit1", a1), ("audit2", a2)):
        if a.get("problems"):
            problems.append(f"{name} problems: {a['problems']}")

    fills = " ".join(f"{short(i)}={syms.get(i, {}).get('fills', '?')}" for i in SYMBOLS)
    corr = "/".join(str(syms.get(i, {}).get("corrections", "?")) for i in SYMBOLS)
    print(f"fills {fills} | cash {pf.get('cash')} | corrections {corr}" + "".join(f" | {n}" for n in notes))
    for p in problems:
        print(p)
    # what the next round must not fall below: the largest figures seen so far
    nxt = {}
    for sym in SYMBOLS:
        f2 = figures(a2, sym)
        nxt[sym] = {k: max(f2[k], prev.get(sym, {}).get(k, 0)) for k in ("fills", "intents")}
    with open(next_p, "w") as f:
        json.dump(nxt, f)
    return 1 if problems else 0

def totals(audit_p):
    a = load(audit_p)
    syms = a.get("symbols", {})
    fills = sum(int(v["fills"]) for v in syms.values())
    intents = sum(int(v["intents"]) for v in syms.values())
    corr = sum(int(v["corrections"]) for v in syms.values())
    per = ", ".join(f"{short(k)} {v['fills']} fills/{v['intents']} intents" for k, v in sorted(syms.items()))
    print(f"total fills {fills}, total intents {intents}, corrections {corr}, portfolio fills {a.get('portfolioFills')}, "
          f"cash {a.get('portfolioCash')}, journal events {a.get('events')} ({per})")

def check_audit(path):
    """Prints a problem and exits 1 if the file is not an audit JSON."""
    try:
        a = load(path)
        assert isinstance(a.get("symbols"), dict) and "portfolioCash" in a
    except Exception as e:
        print(f"check-journal output is not an audit: {e}")
        return 1
    return 0

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ports":
        ports(int(args[0]))
    elif cmd == "ready":
        sys.exit(ready(args[0]))
    elif cmd == "compare":
        sys.exit(compare(*args))
    elif cmd == "totals":
        totals(args[0])
    elif cmd == "check-audit":
        sys.exit(check_audit(args[0]))
    else:
        sys.exit(f"unknown helper command {cmd}")
PY

# ---------------------------------------------------------------------------------------------
# start_engine LOG MARKET: starts java directly in the background; sets ENGINE_PID and HTTP_PORT.
start_engine() {
  local log=$1 market=$2 mgmt node metrics
  read -r HTTP_PORT mgmt node metrics <<<"$(python3 "$HELPER" ports 4)"
  TRADER_MARKET=$market TRADER_MANAGEMENT_PORT=$mgmt TRADER_NODE_PORT=$node TRADER_METRICS_PORT=$metrics \
    java -jar "$JAR" run --data-dir "$DATA" --http-port "$HTTP_PORT" --config "$CONFIG" >"$log" 2>&1 &
  ENGINE_PID=$!
  CHILDREN+=("$ENGINE_PID")
  echo "ports: http $HTTP_PORT management $mgmt node $node metrics $metrics; pid $ENGINE_PID; market $market" >"$log.ports"
}

# start_and_wait LOG MARKET OUT: start_engine, then wait_api; sets pid. Another process on this
# machine can take a port between the pick and the engine's bind (the engine then exits naming
# it): that start is tried again on fresh ports, up to three times, and says so in the log.
start_and_wait() {
  local log=$1 market=$2 out=$3 attempt
  for attempt in 1 2 3; do
    start_engine "$log" "$market"
    pid=$ENGINE_PID
    wait_api "$pid" "$out" && return 0
    if kill -0 "$pid" 2>/dev/null || ! grep -q 'Address already in use' "$log"; then
      return 1
    fi
    cp "$log" "$log.port-taken-$attempt"
    echo "    (a port was taken by another process before the engine bound it; starting again on fresh ports)"
  done
  return 1
}

# get_status OUT: one authenticated GET /api/v1/status into OUT; returns 0 on HTTP 200.
get_status() {
  local out=$1 key code
  [[ -s $DATA/api-key ]] || return 1
  key=$(<"$DATA/api-key")
  code=$(curl -s -m 5 -o "$out" -w '%{http_code}' -H "Authorization: Bearer $key" \
    "http://127.0.0.1:$HTTP_PORT/api/v1/status" 2>/dev/null) || return 1
  [[ $code == 200 ]]
}

# wait_api PID OUT: until the API answers 200, the engine dies, or START_TIMEOUT.
wait_api() {
  local pid=$1 out=$2 deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || { wait_pid "$pid" 1 || true; REASON="engine exited with code $WAIT_RC before its API answered"; return 1; }
    get_status "$out" && return 0
    nap 0.5
  done
  REASON="control API did not answer within ${START_TIMEOUT}s"
  return 1
}

# run_audit OUT ERR: check-journal with a timeout; sets AUDIT_RC.
run_audit() {
  local out=$1 err=$2 pid
  java -jar "$JAR" check-journal --data-dir "$DATA" --config "$CONFIG" >"$out" 2>"$err" &
  pid=$!
  CHILDREN+=("$pid")
  if ! wait_pid "$pid" "$AUDIT_TIMEOUT"; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    AUDIT_RC=124
    return 0
  fi
  AUDIT_RC=$WAIT_RC
}

# stop_engine PID SIGNAL: sends the signal and waits; sets WAIT_RC (124 on timeout, then kill -9).
stop_engine() {
  local pid=$1 sig=$2
  kill "-$sig" "$pid" 2>/dev/null || true
  if ! wait_pid "$pid" "$STOP_TIMEOUT"; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    WAIT_RC=124
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# run_round N DELAY: one crash and recovery. Sets REASON and FAIL_LOGS on failure, LINE always.
run_round() {
  local n=$1 delay=$2 tag pid rc deadline out
  tag=$(printf 'round-%02d' "$n")
  local trade_log=$WORK/$tag-trade.log frozen_log=$WORK/$tag-frozen.log
  local audit1=$WORK/$tag-audit1.json audit2=$WORK/$tag-audit2.json status=$WORK/$tag-status.json
  LINE="" REASON="" FAIL_LOGS=()

  # 1. trade, then kill -9 at a random moment
  FAIL_LOGS=("$trade_log")
  start_and_wait "$trade_log" simulator "$WORK/$tag-trade-status.json" || return 1
  nap "$delay"
  if ! kill -0 "$pid" 2>/dev/null; then
    wait_pid "$pid" 1 || true
    REASON="engine died by itself (exit $WAIT_RC) before the kill"
    return 1
  fi
  kill -KILL "$pid"
  wait_pid "$pid" 30 || { REASON="java $pid still alive 30s after kill -9"; return 1; }
  ((WAIT_RC == 137)) || { REASON="killed engine exited with $WAIT_RC, expected 137"; return 1; }

  # 2. audit of what the crash left
  run_audit "$audit1" "$audit1.err"
  FAIL_LOGS=("$audit1.err" "$trade_log")
  ((AUDIT_RC == 0)) || { REASON="check-journal after the crash exited $AUDIT_RC"; return 1; }
  out=$(python3 "$HELPER" check-audit "$audit1") || { REASON="audit1: $out"; return 1; }

  # 3. recover without market data and wait for reconciliation
  FAIL_LOGS=("$frozen_log")
  start_and_wait "$frozen_log" none "$status" || return 1
  deadline=$((SECONDS + RECOVER_TIMEOUT))
  rc=1
  while :; do
    if get_status "$status"; then
      rc=0
      python3 "$HELPER" ready "$status" || rc=$?
      ((rc == 1)) || break
    fi
    kill -0 "$pid" 2>/dev/null || { wait_pid "$pid" 1 || true; REASON="recovering engine exited with $WAIT_RC"; return 1; }
    ((SECONDS < deadline)) || { REASON="symbols not all recovered without a working order within ${RECOVER_TIMEOUT}s: $(<"$status")"; stop_engine "$pid" TERM || true; return 1; }
    nap 0.5
  done
  if ((rc == 2)); then   # symbols done; Portfolio still applying re-sent fills
    deadline=$((SECONDS + SETTLE_TIMEOUT))
    while ((SECONDS < deadline)); do
      nap 0.5
      get_status "$status" || continue
      rc=0
      python3 "$HELPER" ready "$status" || rc=$?
      ((rc != 0)) || break
    done
    # a Portfolio that never catches up shows in the comparison below
  fi
  nap 0.5
  get_status "$status" || { REASON="status failed after recovery"; stop_engine "$pid" TERM || true; return 1; }

  # 4. graceful stop, then the audit of everything the recovery wrote
  if ! stop_engine "$pid" TERM; then
    REASON="recovered engine did not stop within ${STOP_TIMEOUT}s of SIGTERM"
    return 1
  fi
  ((WAIT_RC == 0)) || { REASON="recovered engine exited $WAIT_RC after SIGTERM, expected 0"; return 1; }
  run_audit "$audit2" "$audit2.err"
  FAIL_LOGS=("$audit2.err" "$frozen_log")
  ((AUDIT_RC == 0)) || { REASON="check-journal after recovery exited $AUDIT_RC"; return 1; }
  out=$(python3 "$HELPER" check-audit "$audit2") || { REASON="audit2: $out"; return 1; }

  # 5. compare
  FAIL_LOGS=("$trade_log" "$frozen_log")
  rc=0
  out=$(python3 "$HELPER" compare "$status" "$audit1" "$audit2" "$WORK/prev.json" "$WORK/next.json") || rc=$?
  LINE=${out%%$'\n'*}
  if ((rc != 0)); then
    REASON=${out#*$'\n'}
    REASON=${REASON//$'\n'/; }
    [[ -n $REASON && $out == *$'\n'* ]] || REASON="comparison failed: $out"
    return 1
  fi
  cp_json "$WORK/next.json" "$WORK/prev.json"
  LAST_AUDIT=$audit2
  return 0
}

cp_json() { local s; s=$(<"$1"); printf '%s\n' "$s" >"$2"; }

# ---------------------------------------------------------------------------------------------
echo "crash-loop: $ROUNDS rounds, jar $JAR, SEED=$SEED, kill delay ${MIN_DELAY}-${MAX_DELAY}s"
echo "crash-loop: logs, audits and data in $WORK"
START=$SECONDS
PASSED=0 FAILED=0 LAST_AUDIT="" FAIL_LOGS=()
for ((round = 1; round <= ROUNDS; round++)); do
  delay=$((MIN_DELAY + RANDOM % (MAX_DELAY - MIN_DELAY + 1)))
  ok=0
  run_round "$round" "$delay" || ok=$?
  cleanup   # nothing of this round may survive into the next
  if ((ok == 0)); then
    PASSED=$((PASSED + 1))
    printf 'round %2d/%d  kill after %2ds  %s  OK\n' "$round" "$ROUNDS" "$delay" "$LINE"
  else
    FAILED=$((FAILED + 1))
    printf 'round %2d/%d  kill after %2ds  %s  FAIL: %s\n' "$round" "$ROUNDS" "$delay" "${LINE:-}" "$REASON"
    for f in "${FAIL_LOGS[@]}"; do log_tail "$f" 30; done
  fi
done

echo
echo "$PASSED passed, $FAILED failed"
if [[ -n $LAST_AUDIT ]]; then
  python3 "$HELPER" totals "$LAST_AUDIT"
else
  echo "no round completed: no totals"
fi
echo "elapsed $((SECONDS - START))s, SEED=$SEED, logs in $WORK"
((FAILED == 0))
