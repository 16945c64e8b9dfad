#!/usr/bin/env bash
# The native binary beside the JVM jar, in one run: size, start to first answer, RSS idle, then
# bench/run.sh's target scenario on each (5,000 streams: RSS with them open, CPU per delivery).
#
#   bench/native-vs-jar.sh            # needs target/quarkus-app (./mvnw package) and target/*-runner
#                                     # (native/build-here.sh, or ./mvnw package -Dnative)
#   STARTS (5) start-ups of each; BENCH=off skips the 5,000-stream runs; bench/run.sh's own settings
#   (STREAMS TOPICS RATE DURATION NOTIFY REDIS ...) pass through, default the target scenario.
#
# Loopback only; every process it starts it stops (by pid); each start-up is bounded to 60 s.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
cd "$ROOT"
JAR="target/quarkus-app/quarkus-run.jar"
BIN="$(ls target/*-runner 2>/dev/null | head -1 || true)"
[ -f "$JAR" ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no target/*-runner: native/build-here.sh" >&2; exit 1; }
STARTS="${STARTS:-5}"

port() { echo $((20000 + RANDOM % 12000)); }
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true' EXIT

# One start-up: ms from exec to the first 200 of /q/health/live, then RSS (MB) 5 s later, idle.
start_once() {
  local p t0 t1 rss
  p=$(port)
  t0=$(date +%s%N)
  if [ "$1" = jar ]; then
    PORT=$p QUARKUS_HTTP_HOST=127.0.0.1 java -jar "$JAR" >/dev/null 2>&1 & pid=$!
  else
    PORT=$p QUARKUS_HTTP_HOST=127.0.0.1 "$BIN" >/dev/null 2>&1 & pid=$!
  fi
  for _ in $(seq 1 60000); do
    curl -sf -o /dev/null "http://127.0.0.1:$p/q/health/live" && break
    kill -0 "$pid" 2>/dev/null || { echo "the $1 hub exited during start-up" >&2; exit 1; }
    sleep 0.001
  done
  t1=$(date +%s%N)
  sleep 5 # idle: a fixed settling time before the reading, not a wait for a condition
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

declare -A startup rss
for kind in jar native; do
  : > "target/nvj-$kind.txt"
  for _ in $(seq 1 "$STARTS"); do start_once "$kind" >> "target/nvj-$kind.txt"; done
  startup[$kind]=$(cut -d' ' -f1 "target/nvj-$kind.txt" | median)
  rss[$kind]=$(cut -d' ' -f2 "target/nvj-$kind.txt" | median)
done
size_jar=$(du -sm target/quarkus-app | cut -f1)
size_bin=$(du -m "$BIN" | cut -f1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "| $(git rev-parse --short HEAD) | jar (JVM $(java -version 2>&1 | head -1 | cut -d'"' -f2)) | native | native / jar |"
echo "|---|---|---|---|"
echo "| size on disk, MB | $size_jar (target/quarkus-app, plus a JVM) | $size_bin | $(ratio "$size_bin" "$size_jar") |"
echo "| exec to first /q/health/live answer, ms (median of $STARTS) | ${startup[jar]} | ${startup[native]} | $(ratio "${startup[native]}" "${startup[jar]}") |"
echo "| RSS idle 5 s after start, MB (median) | ${rss[jar]} | ${rss[native]} | $(ratio "${rss[native]}" "${rss[jar]}") |"

[ "${BENCH:-on}" = off ] && exit 0
# The benchmark's target scenario on each; RSS (at the end of load) and CPU per delivery from its table.
export STREAMS="${STREAMS:-5000}" TOPICS="${TOPICS:-100}" RATE="${RATE:-200}" DURATION="${DURATION:-20}"
export NOTIFY="${NOTIFY:-pubsub}" REDIS="${REDIS:-private}" BASELINE="${BASELINE:-off}" SKIP_BUILD=1
# A cell of bench/run.sh's table, by the start of its row's label ("" when the row is missing).
field() { { grep -F "| $2" "$1" || true; } | head -1 | cut -d'|' -f3 | xargs; }
declare -A cpu_k rss_load lossdup
for kind in jar native; do
  if [ "$kind" = native ]; then SERVER_BIN="$BIN" bash bench/run.sh > "target/nvj-bench-$kind.txt" 2>&1;
  else bash bench/run.sh > "target/nvj-bench-$kind.txt" 2>&1; fi
  out="target/nvj-bench-$kind.txt"
  cpu_k[$kind]=$(field "$out" "**server CPU per 1,000 deliveries/s")
  rss_load[$kind]=$(field "$out" "server RSS MB idle / end of load" | awk -F' / ' '{print $2}' | cut -d' ' -f1)
  lossdup[$kind]="$(field "$out" "loss (expected") / $(field "$out" "duplicates")"
done
echo "| RSS with $STREAMS streams open, end of load, MB | ${rss_load[jar]} | ${rss_load[native]} | $(ratio "${rss_load[native]}" "${rss_load[jar]}") |"
echo "| hub CPU per 1,000 deliveries/s, % of a core ($STREAMS streams, $TOPICS topics, $RATE/s) | ${cpu_k[jar]} | ${cpu_k[native]} | $(ratio "${cpu_k[native]}" "${cpu_k[jar]}") |"
echo "| loss / duplicates | ${lossdup[jar]} | ${lossdup[native]} | |"
echo
echo "Benchmark tables: target/nvj-bench-jar.txt, target/nvj-bench-native.txt"
