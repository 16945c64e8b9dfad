#!/usr/bin/env bash
# event-hub benchmark: the hub side by side with Nchan (PEER=nchan) and the design note's "every stream
# polls Redis" baseline, or multiplexed pages against one-topic streams (SCENARIO=multiplex), in one run.
#
#   bench/run.sh                                   # 1000 streams, 10 topics, 50 publishes/s, 10 s
#   REDIS=private PEER=nchan BASELINE=off STREAMS=5000 TOPICS=100 RATE=200 DURATION=20 bench/run.sh
#   REDIS=private SCENARIO=multiplex PAGES=1000 TRIPS=100 RATE=200 DURATION=20 bench/run.sh
#   bench/run.sh --streams 5000 --topics 1 --rate 25 --peer nchan
#   bench/run.sh PEER=nchan REDIS=private STREAMS=500 TOPICS=10 RATE=50 DURATION=5
#
# Settings (env var, NAME=value argument, or --flag; arguments win):
#   STREAMS (1000) TOPICS (10) RATE (50 publishes/s) DURATION (10 s of publishing) IDLE (10 s idle window)
#   WARMUP (60 s of unmeasured publishing at RATE before the idle window: the JIT's compiling is over by
#                                   then, so CPU figures are a running hub's, not its first minute's)
#   SCENARIO=fanout|multiplex (fanout)  fanout: STREAMS one-topic streams over TOPICS topics;
#                                   multiplex: PAGES (1000) trip pages of 6 topics over TRIPS (100) trips, as
#                                   6 x PAGES one-topic streams, then as PAGES multiplexed streams (same hub)
#   PEER=none|nchan (none)          nchan: the same phase against Nchan (Debian nginx + libnginx-mod-nchan,
#                                   installed with apt-get if missing) on the same Redis, started here
#   MODE=redis|memory (redis)       the hub's store; the baseline and Nchan always use Redis
#   NOTIFY=default|none|pubsub (default)  default: the hub's own default (realtime.notify); else passed
#                                   as REALTIME_NOTIFY
#   POLL (1s)                       passed as REALTIME_POLL_INTERVAL
#   BASELINE=on|off (on)  BASELINE_STREAMS (auto = min(STREAMS, 5000))  BASELINE_POLL_MS (1000)
#   PUB_CONNS (4) SSE_THREADS (2)   publisher connections and selector threads of the load generator
#   REDIS_URL (redis://127.0.0.1:6379, loopback only)   GEN_JAVA_OPTS ("")
#   SERVER_JAVA_OPTS (for the jar: README.md's launch settings in a 512 MB container, i.e. Dockerfile.jvm's
#                                   JAVA_OPTS plus -XX:MaxRAM=512m, with MALLOC_ARENA_MAX=2 as there; for
#                                   SERVER_BIN: Dockerfile.native's options plus -XX:MaxRAM of 512 MB; "" for none)
#   REDIS=shared|private (shared)   private: start a throw-away redis-server of this run's own on a free
#                                   loopback port, so INFO deltas count only this run's commands
#   OPEN_TIMEOUT (120 s)            how long to wait for every stream to be live before going on without them
#   SERVER_ENV ("")                 extra NAME=value settings for the hub (diagnostics only; the default run
#                                   measures the hub as configured)
#   NCHAN_WORKERS (auto)            nginx worker_processes for the Nchan peer
#   HUB_JAR (target/quarkus-app/quarkus-run.jar)  the hub to run, e.g. another checkout's jar (never built here)
#   SKIP_BUILD=1                    never run Maven (the jars must exist)
#   SERVER_BIN (unset)              run this executable as the hub instead of the jar (the native binary:
#                                   SERVER_BIN=target/event-hub-0.1.0-SNAPSHOT-runner; SERVER_JAVA_OPTS are
#                                   passed to it, -D and -Xmx work there too); nothing is built then
#
# What it does: builds the hub's jar if it is missing or older than src/ or pom.xml, and the load
# generator (bench/pom.xml, its own module) if missing or older than bench/src; starts the hub (and
# Nchan) on free loopback ports with a fresh key prefix (bench:<random>:), waits until they answer, runs
# the load generator (one phase per side, in turn, bounded in time), prints the table and writes it to
# bench/results-latest.md, then stops everything it started and deletes the keys under its prefix.
set -euo pipefail
{ # the whole script is one compound command, read before it runs: an edit during a run cannot change it

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

STREAMS="${STREAMS:-1000}"
TOPICS="${TOPICS:-10}"
RATE="${RATE:-50}"
DURATION="${DURATION:-10}"
IDLE="${IDLE:-10}"
WARMUP="${WARMUP:-60}"
MODE="${MODE:-redis}"
NOTIFY="${NOTIFY:-default}"
SCENARIO="${SCENARIO:-fanout}"
PAGES="${PAGES:-1000}"
TRIPS="${TRIPS:-100}"
PEER="${PEER:-none}"
NCHAN_WORKERS="${NCHAN_WORKERS:-auto}"
POLL="${POLL:-1s}"
BASELINE="${BASELINE:-on}"
BASELINE_STREAMS="${BASELINE_STREAMS:-auto}"
BASELINE_POLL_MS="${BASELINE_POLL_MS:-1000}"
PUB_CONNS="${PUB_CONNS:-4}"
SSE_THREADS="${SSE_THREADS:-2}"
BENCH_REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# README.md's and Dockerfile.jvm's JVM settings, with the memory of a 512 MB container
README_JAVA_OPTS="-XX:MaxRAMPercentage=35 -XX:+UseSerialGC -XX:NewRatio=12 -XX:MinHeapFreeRatio=10 \
-XX:MaxHeapFreeRatio=20 -Xss256k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m -XX:MaxRAM=512m"
# Dockerfile.native's runtime options, with the memory of a 512 MB container
NATIVE_OPTS="-XX:MaxRAM=536870912 -XX:MaximumHeapSizePercent=35 -XX:MaximumYoungGenerationSizePercent=5 \
-XX:MaxHeapFree=16777216"
if [ -z "${SERVER_BIN:-}" ]; then
  SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS-$README_JAVA_OPTS}"
else
  SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS-$NATIVE_OPTS}"
fi
GEN_JAVA_OPTS="${GEN_JAVA_OPTS:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"
OPEN_TIMEOUT="${OPEN_TIMEOUT:-120}"
SERVER_ENV="${SERVER_ENV:-}"
REDIS_KIND="${REDIS:-shared}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

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
    --scenario) SCENARIO="$2"; shift 2 ;;
    --pages) PAGES="$2"; shift 2 ;;
    --trips) TRIPS="$2"; shift 2 ;;
    --peer) PEER="$2"; shift 2 ;;
    REDIS=*) REDIS_KIND="${1#*=}"; shift ;;
    REDIS_URL=*) BENCH_REDIS_URL="${1#*=}"; shift ;;
    STREAMS=*|TOPICS=*|RATE=*|DURATION=*|IDLE=*|WARMUP=*|MODE=*|NOTIFY=*|SCENARIO=*|PAGES=*|TRIPS=*|PEER=*|\
    NCHAN_WORKERS=*|POLL=*|BASELINE=*|BASELINE_STREAMS=*|BASELINE_POLL_MS=*|PUB_CONNS=*|SSE_THREADS=*|\
    SERVER_JAVA_OPTS=*|GEN_JAVA_OPTS=*|SKIP_BUILD=*|OPEN_TIMEOUT=*|SERVER_ENV=*|HUB_JAR=*)
      printf -v "${1%%=*}" '%s' "${1#*=}"; shift ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[run.sh] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# apt_install PKG...: Debian packages the run needs (as root, or with sudo). A package's own service
# (nginx on port 80, a system redis-server) is kept from starting with a temporary policy-rc.d;
# apt-get update only when the first attempt fails.
apt_install() {
  command -v apt-get >/dev/null || die "$* missing and no apt-get to install them with"
  local as_root="" rc_policy="" ok=1
  [ "$(id -u)" = 0 ] || as_root="sudo"
  say "installing $* (apt-get)"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $as_root tee /usr/sbin/policy-rc.d >/dev/null && $as_root chmod +x /usr/sbin/policy-rc.d
    rc_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q "$@" >&2 \
    || { $as_root apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q "$@" >&2; } \
    || ok=""
  if [ -n "$rc_policy" ]; then $as_root rm -f /usr/sbin/policy-rc.d; fi
  [ -n "$ok" ] || die "could not install $*"
}

case "$MODE" in redis|memory) ;; *) die "MODE must be redis or memory" ;; esac
case "$NOTIFY" in default|none|pubsub) ;; *) die "NOTIFY must be default, none or pubsub" ;; esac
case "$SCENARIO" in fanout|multiplex) ;; *) die "SCENARIO must be fanout or multiplex" ;; esac
case "$PEER" in none|nchan) ;; *) die "PEER must be none or nchan" ;; esac
case "$REDIS_KIND" in shared|private) ;; *) die "REDIS must be shared or private" ;; esac

# --- Redis address (loopback only) -------------------------------------------------------------
hostport="${BENCH_REDIS_URL#*://}"; hostport="${hostport##*@}"; hostport="${hostport%%/*}"
REDIS_HOST="${hostport%%:*}"; REDIS_PORT="${hostport##*:}"
[ "$REDIS_PORT" = "$hostport" ] && REDIS_PORT=6379
case "$REDIS_HOST" in 127.*|localhost) ;; *) die "REDIS_URL must point at a loopback address, got $REDIS_HOST" ;; esac
rcli() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }
command -v redis-cli >/dev/null || apt_install redis-tools
command -v curl >/dev/null || apt_install curl
if [ "$REDIS_KIND" = shared ]; then
  rcli ping >/dev/null 2>&1 || die "no Redis answers at $REDIS_HOST:$REDIS_PORT"
fi

# --- file descriptors: each side holds one socket per stream ------------------------------------
hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ]; then ulimit -n 1048576 2>/dev/null || true; else ulimit -n "$hard"; fi
max_streams="$STREAMS"
[ "$SCENARIO" = multiplex ] && max_streams=$((PAGES * 6))
need=$((max_streams + 512))
soft="$(ulimit -n)"
[ "$soft" = unlimited ] || [ "$soft" -ge "$need" ] || die "$max_streams streams need $need open files per process, the limit is $soft"

# --- build --------------------------------------------------------------------------------------
JAR="${HUB_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
HUB_SRC="$ROOT"
SERVER_BIN="${SERVER_BIN:-}"
if [ -n "$SERVER_BIN" ]; then
  [ -x "$SERVER_BIN" ] || die "SERVER_BIN=$SERVER_BIN is not an executable"
  server_cmd=("$SERVER_BIN")
else
  server_cmd=(java)
fi
if [ -n "${HUB_JAR:-}" ]; then
  # another checkout's jar (…/target/quarkus-app/quarkus-run.jar): its sources name the hub in the label
  HUB_SRC="$(cd "$(dirname "$HUB_JAR")/../.." 2>/dev/null && pwd || echo "$ROOT")"
  say "hub: $HUB_JAR (not built here)"
elif [ "$SKIP_BUILD" != 1 ] && [ -z "$SERVER_BIN" ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    say "building the jar (./mvnw -q -B package -DskipTests)"
    (cd "$ROOT" && ./mvnw -q -B package -DskipTests)
  fi
fi
[ -n "$SERVER_BIN" ] || [ -f "$JAR" ] || die "no $JAR (build failed or SKIP_BUILD=1 without a jar)"
GEN_JAR="$HERE/target/loadgen.jar"
if [ "$SKIP_BUILD" != 1 ]; then
  if [ ! -f "$GEN_JAR" ] || [ -n "$(find "$HERE/src" "$HERE/pom.xml" -newer "$GEN_JAR" -print -quit)" ]; then
    say "building the load generator (./mvnw -q -B -f bench/pom.xml package)"
    (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml package)
  fi
fi
[ -f "$GEN_JAR" ] || die "no $GEN_JAR (build failed or SKIP_BUILD=1 without a jar)"

notify_note=""
if [ "$NOTIFY" = default ]; then
  default_notify="$(grep -ohE 'WithDefault\("(none|pubsub)"\)' "$HUB_SRC/src/main/java/dev/eventhub/config/HubConfig.java" 2>/dev/null \
    | head -1 | grep -oE 'none|pubsub' || true)"
  notify_note=" (the hub's default${default_notify:+: $default_notify})"
fi

# --- Nchan: Debian's nginx with libnginx-mod-nchan, installed when missing -----------------------
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so
if [ "$PEER" = nchan ] && { ! command -v nginx >/dev/null || [ ! -f "$NCHAN_MODULE" ]; }; then
  apt_install nginx libnginx-mod-nchan
  [ -f "$NCHAN_MODULE" ] || die "libnginx-mod-nchan is installed but $NCHAN_MODULE is missing"
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
NGINX_PID=""
NCHAN_DIR=""
cleanup() {
  local rc=$?
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true   # the master stops its workers
    for _ in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$NGINX_PID" 2>/dev/null && kill -KILL "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    say "stopped nginx/Nchan (pid $NGINX_PID); its log: $LOGDIR/nchan-$RUN_ID.log"
  fi
  [ -n "$NCHAN_DIR" ] && { cp "$NCHAN_DIR/error.log" "$LOGDIR/nchan-$RUN_ID.log" 2>/dev/null || true; rm -rf "$NCHAN_DIR"; }
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
  command -v redis-server >/dev/null || apt_install redis-server
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
server_env=(PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 REALTIME_POLL_INTERVAL="$POLL"
  REALTIME_REDIS_KEY_PREFIX="$PREFIX" REALTIME_PUBLISH_KEYS="$PUBLISH_KEY" REALTIME_PUBLISH_RATE=1000000
  REALTIME_PUBLISH_BURST=1000000)
[ "$NOTIFY" = default ] || server_env+=(REALTIME_NOTIFY="$NOTIFY")
if [ "$MODE" = redis ]; then
  server_env+=(REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT")
fi
server_env+=(MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}")
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
LUA_DIR="$HUB_SRC/src/main/resources/lua"
ls "$LUA_DIR"/*.lua >/dev/null 2>&1 || LUA_DIR="$ROOT/src/main/resources/lua" # HUB_JAR outside a checkout
if [ "$MODE" = redis ] && ls "$LUA_DIR"/*.lua >/dev/null 2>&1; then
  SCRIPT_CMDS="$(grep -ohE "redis\.p?call\(['\"][A-Za-z]+" "$LUA_DIR"/*.lua \
    | sed -E "s/.*['\"]//" | tr 'A-Z' 'a-z' | sort -u | paste -sd, -)"
fi

# --- start Nchan, when asked for: same Redis, free loopback port, a config of this run's own ------
PEER_ARGS=()
NCHAN_LABEL=""
if [ "$PEER" = nchan ]; then
  NCHAN_PORT="$(free_port)" || die "no free port found"
  NCHAN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bench-nchan.XXXXXX")"
  mkdir -p "$NCHAN_DIR/tmp"
  # Nchan's keys live under this run's prefix too, so the cleanup's SCAN removes them
  cat >"$NCHAN_DIR/nginx.conf" <<NGINX
load_module $NCHAN_MODULE;
worker_processes $NCHAN_WORKERS;
worker_rlimit_nofile $((need * 2));
daemon off;
pid $NCHAN_DIR/nginx.pid;
error_log $NCHAN_DIR/error.log warn;
events { worker_connections $((need * 2)); }
http {
  access_log off;
  client_body_temp_path $NCHAN_DIR/tmp;
  proxy_temp_path $NCHAN_DIR/tmp;
  fastcgi_temp_path $NCHAN_DIR/tmp;
  uwsgi_temp_path $NCHAN_DIR/tmp;
  scgi_temp_path $NCHAN_DIR/tmp;
  upstream bench_redis { nchan_redis_server redis://$REDIS_HOST:$REDIS_PORT; }
  server {
    listen 127.0.0.1:$NCHAN_PORT;
    # publish: POST /pub/<channel>; keep 100 messages for 1 h, like the hub's history
    location ~ ^/pub/(.+)\$ {
      nchan_publisher;
      nchan_channel_id \$1;
      nchan_redis_pass bench_redis;
      nchan_redis_namespace "${PREFIX}nchan";
      nchan_message_buffer_length 100;
      nchan_message_timeout 1h;
    }
    # subscribe: GET /sub/<channel>[,<channel>...] as EventSource (several channels: one multiplexed stream)
    location ~ ^/sub/(.+)\$ {
      nchan_subscriber eventsource;
      nchan_channel_id \$1;
      nchan_channel_id_split_delimiter ",";
      nchan_redis_pass bench_redis;
      nchan_redis_namespace "${PREFIX}nchan";
    }
  }
}
NGINX
  say "starting nginx/Nchan on 127.0.0.1:$NCHAN_PORT (config $NCHAN_DIR/nginx.conf, Redis $REDIS_HOST:$REDIS_PORT)"
  nginx -p "$NCHAN_DIR" -c "$NCHAN_DIR/nginx.conf" -e "$NCHAN_DIR/error.log" >"$NCHAN_DIR/stdout.log" 2>&1 &
  NGINX_PID=$!
  up=""
  for _ in $(seq 1 100); do
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NCHAN_DIR/stdout.log" "$NCHAN_DIR/error.log" >&2; die "nginx exited during startup"; }
    code="$(curl -s -o /dev/null -w '%{http_code}' -X POST --data '{"bench":"ping"}' "http://127.0.0.1:$NCHAN_PORT/pub/bench.ping" || true)"
    case "$code" in 20?) up=1; break ;; esac
    sleep 0.1
  done
  [ -n "$up" ] || die "Nchan did not accept a publish in 10 s (last answer ${code:-none}; log: $NCHAN_DIR/error.log)"
  NCHAN_LABEL="; peer $(nginx -v 2>&1 | sed 's/^nginx version: //') with nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null || echo '?'), worker_processes $NCHAN_WORKERS"
  say "Nchan up (nginx master pid $NGINX_PID)"
  PEER_ARGS=(--peer nchan --peer-port "$NCHAN_PORT" --peer-pid "$NGINX_PID")
fi

LABEL="SCENARIO=$SCENARIO MODE=$MODE NOTIFY=$NOTIFY$notify_note POLL=$POLL REDIS=$REDIS_KIND WARMUP=${WARMUP}s${SERVER_ENV:+ SERVER_ENV=$SERVER_ENV}${SERVER_JAVA_OPTS:+; hub JVM: $SERVER_JAVA_OPTS}; hub sources at $(git -C "$HUB_SRC" log -1 --format=%h -- src pom.xml 2>/dev/null || echo '?')${HUB_JAR:+ ($JAR)}$NCHAN_LABEL"
GEN_ARGS=(--port "$PORT" --publish-key "$PUBLISH_KEY" --streams "$STREAMS" --topics "$TOPICS" --rate "$RATE" --duration "$DURATION"
  --idle "$IDLE" --warmup "$WARMUP" --redis "$REDIS_HOST:$REDIS_PORT" --prefix "$PREFIX" --server-pid "$SERVER_PID"
  --open-timeout "$OPEN_TIMEOUT" --clk-tck "$(getconf CLK_TCK)" --pub-conns "$PUB_CONNS" --sse-threads "$SSE_THREADS"
  --baseline "$BASELINE" --baseline-streams "$BASELINE_STREAMS" --baseline-poll-ms "$BASELINE_POLL_MS"
  --scenario "$SCENARIO" --pages "$PAGES" --trips "$TRIPS" "${PEER_ARGS[@]}"
  --label "$LABEL" --md-out "$HERE/results-latest.md")
case "$POLL" in
  *ms) GEN_ARGS+=(--hub-poll-ms "${POLL%ms}") ;;
  *s) GEN_ARGS+=(--hub-poll-ms "$(( ${POLL%s} * 1000 ))") ;;
esac
[ -n "$SCRIPT_CMDS" ] && GEN_ARGS+=(--script-commands "$SCRIPT_CMDS")

# a bound on the whole generator: per phase opening, warm-up, idle, load, two drains (at most 60 s
# each while deliveries still arrive) and margins
phases=1
[ "$PEER" = nchan ] && phases=$((phases + 1))
[ "$SCENARIO" = multiplex ] && phases=$((phases + 1))
[ "$SCENARIO" = fanout ] && [ "$BASELINE" != off ] && phases=$((phases + 1))
GEN_LIMIT=$(( phases * (OPEN_TIMEOUT + WARMUP + IDLE + DURATION * 2 + 2 * 60 + 60) + 60 ))
say "load generator (at most $GEN_LIMIT s): ${GEN_ARGS[*]}"
gen_rc=0
# shellcheck disable=SC2086
timeout -k 10 "$GEN_LIMIT" java $GEN_JAVA_OPTS -jar "$GEN_JAR" "${GEN_ARGS[@]}" || gen_rc=$?
[ "$gen_rc" = 124 ] && die "the load generator did not finish in $GEN_LIMIT s and was stopped"
[ "$gen_rc" = 0 ] || die "the load generator failed (exit $gen_rc)"

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  say "WARNING: the hub (pid $SERVER_PID) was no longer running when the load generator finished; run.sh did not"
  say "stop it (something else did, or it crashed: see $SERVER_LOG). The hub figures of this run are void."
  exit 3
fi
if [ -n "$NGINX_PID" ] && ! kill -0 "$NGINX_PID" 2>/dev/null; then
  say "WARNING: nginx/Nchan (pid $NGINX_PID) was no longer running at the end: the Nchan figures of this run are void."
  exit 3
fi
warns="$(grep -cE ' (WARN|ERROR) ' "$SERVER_LOG" || true)"
if [ "${warns:-0}" -gt 0 ]; then
  say "the server logged $warns WARN/ERROR lines; first ones:"
  grep -m5 -E ' (WARN|ERROR) ' "$SERVER_LOG" >&2 || true
fi
say "results written to bench/results-latest.md"
exit 0
}
