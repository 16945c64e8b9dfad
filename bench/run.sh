#!/usr/bin/env bash
# event-hub benchmark: hub vs. the design note's "every stream polls Redis" baseline, in one run.
#
#   bench/run.sh                                   # 1000 streams, 10 topics, 50 publishes/s, 10 s
#   STREAMS=5000 TOPICS=100 RATE=200 DURATION=20 bench/run.sh
#   bench/run.sh --streams 5000 --topics 1 --rate 25 --notify pubsub
#
# Settings (env var or --flag; flags win):
#   STREAMS (1000) TOPICS (10) RATE (50 publishes/s) DURATION (10 s of publishing) IDLE (10 s idle window)
#   WARMUP (5 s of unmeasured publishing at RATE before the idle window, to warm the JIT)
#   MODE=redis|memory (redis)       the hub's store; the baseline always uses Redis
#   NOTIFY=none|pubsub (none)       passed to the hub as REALTIME_NOTIFY (ignored by checkouts without it)
#   POLL (1s)                       passed as REALTIME_POLL_INTERVAL
#   BASELINE=on|off (on)  BASELINE_STREAMS (auto = min(STREAMS, 5000))  BASELINE_POLL_MS (1000)
#   PUB_CONNS (4) SSE_THREADS (2)   publisher connections and selector threads of the load generator
#   REDIS_URL (redis://127.0.0.1:6379, loopback only)   SERVER_JAVA_OPTS ("")   GEN_JAVA_OPTS ("")
#   REDIS=shared|private (shared)   private: start a throw-away redis-server of this run's own on a free
#                                   loopback port, so INFO deltas count only this run's commands
#   OPEN_TIMEOUT (120 s)            how long to wait for every stream to be live before going on without them
#   SERVER_ENV ("")                 extra NAME=value settings for the hub (diagnostics only; the default run
#                                   measures the hub as configured)
#   SKIP_BUILD=1                    never run Maven (the jar must exist)
#   SERVER_BIN (unset)              run this executable as the hub instead of the jar (the native binary:
#                                   SERVER_BIN=target/event-hub-0.1.0-SNAPSHOT-runner; SERVER_JAVA_OPTS are
#                                   passed to it, -D and -Xmx work there too); nothing is built then
#
# What it does: builds the jar if it is missing or older than src/ or pom.xml, starts the hub on a free
# loopback port with a fresh key prefix (bench:<random>:), waits for /q/health/ready, runs
# bench/LoadGenerator.java (hub phase, then baseline phase), prints the results table and writes it to
# bench/results-latest.md, then stops the server it started and deletes the keys under its prefix.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

STREAMS="${STREAMS:-1000}"
TOPICS="${TOPICS:-10}"
RATE="${RATE:-50}"
DURATION="${DURATION:-10}"
IDLE="${IDLE:-10}"
WARMUP="${WARMUP:-5}"
MODE="${MODE:-redis}"
NOTIFY="${NOTIFY:-none}"
POLL="${POLL:-1s}"
BASELINE="${BASELINE:-on}"
BASELINE_STREAMS="${BASELINE_STREAMS:-auto}"
BASELINE_POLL_MS="${BASELINE_POLL_MS:-1000}"
PUB_CONNS="${PUB_CONNS:-4}"
SSE_THREADS="${SSE_THREADS:-2}"
BENCH_REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
GEN_JAVA_OPTS="${GEN_JAVA_OPTS:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"
OPEN_TIMEOUT="${OPEN_TIMEOUT:-120}"
SERVER_ENV="${SERVER_ENV:-}"
REDIS_KIND="${REDIS:-shared}"

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --streams) STREAMS="$2"; shift 2 ;;
    --topics) TOPICS="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --mode) MODE="$2"; shift 2 ;;
    --notify) NOTIFY="$2"; shift 2 ;;
    --poll) POLL="$2"; shift 2 ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    --baseline-streams) BASELINE_STREAMS="$2"; shift 2 ;;
    --baseline-poll-ms) BASELINE_POLL_MS="$2"; shift 2 ;;
    --pub-conns) PUB_CONNS="$2"; shift 2 ;;
    --sse-threads) SSE_THREADS="$2"; shift 2 ;;
    --redis-url) BENCH_REDIS_URL="$2"; shift 2 ;;
    --redis) REDIS_KIND="$2"; shift 2 ;;
    --open-timeout) OPEN_TIMEOUT="$2"; shift 2 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[run.sh] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

case "$MODE" in redis|memory) ;; *) die "MODE must be redis or memory" ;; esac
case "$NOTIFY" in none|pubsub) ;; *) die "NOTIFY must be none or pubsub" ;; esac
case "$REDIS_KIND" in shared|private) ;; *) die "REDIS must be shared or private" ;; esac

# --- Redis address (loopback only) -------------------------------------------------------------
hostport="${BENCH_REDIS_URL#*://}"; hostport="${hostport##*@}"; hostport="${hostport%%/*}"
REDIS_HOST="${hostport%%:*}"; REDIS_PORT="${hostport##*:}"
[ "$REDIS_PORT" = "$hostport" ] && REDIS_PORT=6379
case "$REDIS_HOST" in 127.*|localhost) ;; *) die "REDIS_URL must point at a loopback address, got $REDIS_HOST" ;; esac
rcli() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }
if [ "$REDIS_KIND" = shared ]; then
  rcli ping >/dev/null 2>&1 || die "no Redis answers at $REDIS_HOST:$REDIS_PORT"
fi

# --- file descriptors: each side holds one socket per stream ------------------------------------
hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ]; then ulimit -n 1048576 2>/dev/null || true; else ulimit -n "$hard"; fi
need=$((STREAMS + 512))
soft="$(ulimit -n)"
[ "$soft" = unlimited ] || [ "$soft" -ge "$need" ] || die "STREAMS=$STREAMS needs $need open files per process, the limit is $soft"

# --- build --------------------------------------------------------------------------------------
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
SERVER_BIN="${SERVER_BIN:-}"
if [ -n "$SERVER_BIN" ]; then
  [ -x "$SERVER_BIN" ] || die "SERVER_BIN=$SERVER_BIN is not an executable"
  server_cmd=("$SERVER_BIN")
else
  server_cmd=(java)
fi
if [ "$SKIP_BUILD" != 1 ] && [ -z "$SERVER_BIN" ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    say "building the jar (./mvnw -q -B package -DskipTests)"
    (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
  fi
fi
[ -n "$SERVER_BIN" ] || [ -f "$JAR" ] || die "no $JAR (build failed or SKIP_BUILD=1 without a jar)"

notify_note=""
if [ "$NOTIFY" = pubsub ] && ! grep -rqi 'notify' "$ROOT/src/main/java/dev/eventhub/config" 2>/dev/null; then
  notify_note=" (this checkout has no REALTIME_NOTIFY setting: the hub ignores it and polls)"
  say "NOTIFY=pubsub requested, but src/main/java/dev/eventhub/config has no notify setting: it has no effect"
fi

# --- a free loopback port, a unique key prefix, logs --------------------------------------------
RUN_ID="$(date +%s)$$${RANDOM}"
PREFIX="bench:${RUN_ID}:"
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12000))
    if [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]; then echo "$p"; return 0; fi
  done
  return 1
}
PORT="$(free_port)" || die "no free port found"
LOGDIR="$ROOT/target/bench"
mkdir -p "$LOGDIR"
SERVER_LOG="$LOGDIR/server-$RUN_ID.log"

SERVER_PID=""
REDIS_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # delete only this run's keys (SCAN, never FLUSH)
  local keys n=0
  keys="$(rcli --scan --pattern "${PREFIX}*" 2>/dev/null || true)"
  if [ -n "$keys" ]; then
    n="$(printf '%s\n' "$keys" | wc -l)"
    printf '%s\n' "$keys" | xargs -r -d '\n' -n 200 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" UNLINK >/dev/null || true
  fi
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    say "stopped the private redis-server (pid $REDIS_PID)"
  fi
  say "stopped the server; deleted $n keys under $PREFIX; server log: $SERVER_LOG"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- a private Redis, when asked for ------------------------------------------------------------
if [ "$REDIS_KIND" = private ]; then
  command -v redis-server >/dev/null || die "REDIS=private needs redis-server on the PATH"
  REDIS_HOST=127.0.0.1
  REDIS_PORT="$(free_port)" || die "no free port found"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no \
    --dir "$LOGDIR" --logfile "$LOGDIR/redis-$RUN_ID.log" &
  REDIS_PID=$!
  for _ in $(seq 1 100); do rcli ping >/dev/null 2>&1 && break; sleep 0.05; done
  rcli ping >/dev/null 2>&1 || die "the private redis-server did not start (log: $LOGDIR/redis-$RUN_ID.log)"
  say "private redis-server (pid $REDIS_PID) on 127.0.0.1:$REDIS_PORT"
fi

# --- start the hub ------------------------------------------------------------------------------
# A publish key of this run's own, and a per-key rate limit far above the offered rate: the
# benchmark measures delivery, not the abuse limit (which its own tests cover).
PUBLISH_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
server_env=(PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 REALTIME_POLL_INTERVAL="$POLL" REALTIME_NOTIFY="$NOTIFY"
  REALTIME_REDIS_KEY_PREFIX="$PREFIX" REALTIME_PUBLISH_KEYS="$PUBLISH_KEY" REALTIME_PUBLISH_RATE=1000000
  REALTIME_PUBLISH_BURST=1000000)
if [ "$MODE" = redis ]; then
  server_env+=(REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT")
fi
for kv in $SERVER_ENV; do server_env+=("$kv"); done
say "starting the hub on 127.0.0.1:$PORT (MODE=$MODE NOTIFY=$NOTIFY POLL=$POLL prefix $PREFIX)"
# shellcheck disable=SC2086
if [ -n "$SERVER_BIN" ]; then jar_args=(); else jar_args=(-jar "$JAR"); fi
env -u REDIS_URL -u QUARKUS_REDIS_HOSTS "${server_env[@]}" "${server_cmd[@]}" $SERVER_JAVA_OPTS "${jar_args[@]}" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

up=""
for _ in $(seq 1 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$SERVER_LOG" >&2; die "the server exited during startup"; }
  if curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; then up=1; break; fi
  sleep 0.1
done
[ -n "$up" ] || die "the server did not come up in 60 s (log: $SERVER_LOG)"
say "hub up (pid $SERVER_PID): $(grep -m1 -oE 'Event store: [a-z]+( at [0-9A-Za-z.:-]+)?' "$SERVER_LOG" || echo 'store unknown')"

# --- the commands the hub runs only inside its Lua scripts (not round trips of its own) ---------
SCRIPT_CMDS=""
if [ "$MODE" = redis ] && ls "$ROOT"/src/main/resources/lua/*.lua >/dev/null 2>&1; then
  SCRIPT_CMDS="$(grep -ohE "redis\.p?call\(['\"][A-Za-z]+" "$ROOT"/src/main/resources/lua/*.lua \
    | sed -E "s/.*['\"]//" | tr 'A-Z' 'a-z' | sort -u | paste -sd, -)"
fi

LABEL="MODE=$MODE NOTIFY=$NOTIFY$notify_note POLL=$POLL REDIS=$REDIS_KIND${SERVER_ENV:+ SERVER_ENV=$SERVER_ENV}; hub sources at $(git -C "$ROOT" log -1 --format=%h -- src pom.xml 2>/dev/null || echo '?')"
GEN_ARGS=(--port "$PORT" --publish-key "$PUBLISH_KEY" --streams "$STREAMS" --topics "$TOPICS" --rate "$RATE" --duration "$DURATION"
  --idle "$IDLE" --warmup "$WARMUP" --redis "$REDIS_HOST:$REDIS_PORT" --prefix "$PREFIX" --server-pid "$SERVER_PID"
  --open-timeout "$OPEN_TIMEOUT" --clk-tck "$(getconf CLK_TCK)" --pub-conns "$PUB_CONNS" --sse-threads "$SSE_THREADS"
  --baseline "$BASELINE" --baseline-streams "$BASELINE_STREAMS" --baseline-poll-ms "$BASELINE_POLL_MS"
  --label "$LABEL" --md-out "$HERE/results-latest.md")
case "$POLL" in
  *ms) GEN_ARGS+=(--hub-poll-ms "${POLL%ms}") ;;
  *s) GEN_ARGS+=(--hub-poll-ms "$(( ${POLL%s} * 1000 ))") ;;
esac
[ -n "$SCRIPT_CMDS" ] && GEN_ARGS+=(--script-commands "$SCRIPT_CMDS")

say "load generator: ${GEN_ARGS[*]}"
# shellcheck disable=SC2086
java $GEN_JAVA_OPTS "$HERE/LoadGenerator.java" "${GEN_ARGS[@]}"

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  say "WARNING: the hub (pid $SERVER_PID) was no longer running when the load generator finished; run.sh did not"
  say "stop it (something else did, or it crashed: see $SERVER_LOG). The hub figures of this run are void."
  exit 3
fi
warns="$(grep -cE ' (WARN|ERROR) ' "$SERVER_LOG" || true)"
if [ "${warns:-0}" -gt 0 ]; then
  say "the server logged $warns WARN/ERROR lines; first ones:"
  grep -m5 -E ' (WARN|ERROR) ' "$SERVER_LOG" >&2 || true
fi
say "results written to bench/results-latest.md"
