#!/usr/bin/env bash
# Compares plantrack with nginx serving the very same bytes as static files.
#
#   bench/run.sh            # 10 s per run; DURATION=30 bench/run.sh for longer runs
#
# Starts plantrack (release build) on a new embedded database and nginx on loopback, drives
# both with wrk (64 connections) on the overview, an indicator page and the indicators API,
# and prints requests/s, p50/p99 latency, the ratio plantrack/nginx and plantrack's resident
# memory. Then it adds a large synthetic database (200 plans × 40 indicators × 15 years with
# history), restarts plantrack (reporting its start-up time), checks that the pages' queries
# use indexes (no sequential scan of observation or revision) and runs the same load again.
# Everything listens on 127.0.0.1 only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=64
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
PLAN=chongqing-sti-2021-2025
PATHS=("/" "/plans/$PLAN/indicators/rd-intensity" "/api/v1/plans/$PLAN/indicators")
NAMES=("overview" "indicator page" "indicators API")

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  # RUNLEVEL=1 keeps the package from starting a system-wide nginx.
  apt-get update -q >/dev/null && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --quiet
BIN=$PWD/target/release/plantrack

WORK=$(mktemp -d /tmp/plantrack-bench.XXXXXX)
chmod 755 "$WORK"
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill -TERM "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

start_plantrack() {
  env -u DATABASE_URL RUST_LOG=plantrack=info "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" \
    >>"$WORK/serve.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "plantrack did not start; its log:" >&2
  cat "$WORK/serve.log" >&2
  exit 1
}

stop_plantrack() {
  kill -TERM "$SERVE_PID"
  wait "$SERVE_PID" || true
  SERVE_PID=""
}

# Seconds from "PostgreSQL ready" to "serving" in the last start (PostgreSQL's own start excluded).
startup_seconds() {
  local ready serving
  ready=$(grep -a "PostgreSQL ready" "$WORK/serve.log" | tail -1 | awk '{print $1}')
  serving=$(grep -a "plantrack is serving" "$WORK/serve.log" | tail -1 | awk '{print $1}')
  python3 -c "from datetime import datetime as d; f=lambda s: d.fromisoformat(s.replace('Z','+00:00')); print(f'{(f(\"$serving\")-f(\"$ready\")).total_seconds():.3f}')"
}

rss_mib() {
  awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$SERVE_PID/status"
}

# wrk's figures as "requests/s p50_ms p99_ms non-2xx"; extra arguments go to wrk.
load() {
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | python3 -c '
import re, sys
out = sys.stdin.read()
def ms(v):
    n, unit = re.match(r"([\d.]+)(\w+)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"\s50%\s+(\S+)", out).group(1))
p99 = ms(re.search(r"\s99%\s+(\S+)", out).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errors.group(1) if errors else 0}")'
}

start_nginx() {
  mkdir -p "$WORK/www"
  for i in "${!PATHS[@]}"; do
    curl -fs "http://127.0.0.1:$PORT${PATHS[$i]}" -o "$WORK/www/page$i"
  done
  cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location = ${PATHS[0]} { default_type "text/html; charset=utf-8"; try_files /page0 =404; }
    location = ${PATHS[1]} { default_type "text/html; charset=utf-8"; try_files /page1 =404; }
    location = ${PATHS[2]} { default_type "application/json"; try_files /page2 =404; }
  }
}
CONF
  "$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
  sleep 0.3
}

# Runs the load on each page against both servers and prints the table.
compare() {
  printf '\n%s (wrk, %d connections, %ss each, %s)\n' "$1" "$CONNECTIONS" "$DURATION" "$(date -u +%Y-%m-%d)"
  printf '%-16s %12s %9s %9s %12s %9s %9s %7s\n' page "plantrack r/s" "p50 ms" "p99 ms" "nginx r/s" "p50 ms" "p99 ms" ratio
  for i in "${!PATHS[@]}"; do
    local url="${PATHS[$i]}"
    curl -fs "http://127.0.0.1:$PORT$url" >/dev/null # the first reader fills the cache
    read -r prps pp50 pp99 perr < <(load "http://127.0.0.1:$PORT$url")
    read -r nrps np50 np99 _ < <(load "http://127.0.0.1:$NGINX_PORT$url")
    ratio=$(python3 -c "print(f'{$prps/$nrps:.2f}')")
    printf '%-16s %12s %9s %9s %12s %9s %9s %7s' "${NAMES[$i]}" "$prps" "$pp50" "$pp99" "$nrps" "$np50" "$np99" "$ratio"
    [ "$perr" != 0 ] && printf '  (%s non-2xx from plantrack)' "$perr"
    printf '\n'
  done
  # The same pages rendered live for every request (a session cookie bypasses the cache):
  # what a page costs in queries and templates, to compare across database sizes.
  for i in "${!PATHS[@]}"; do
    read -r lrps lp50 lp99 _ < <(load -H "Cookie: plantrack_session=benchmark" "http://127.0.0.1:$PORT${PATHS[$i]}")
    printf '%-16s %12s %9s %9s   (rendered live, no cache)\n' "${NAMES[$i]}" "$lrps" "$lp50" "$lp99"
  done
  printf 'plantrack resident memory after the runs: %s MiB\n' "$(rss_mib)"
}

echo "plantrack $(git describe --always --dirty 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r)"
start_plantrack
start_nginx
compare "Default database (2 plans)"

# The same pages beside a large database.
PSQL=(psql -q -X -v ON_ERROR_STOP=1 "host=$WORK/data/postgres port=5432 user=postgres dbname=plantrack")
"${PSQL[@]}" -f bench/synthetic.sql
observations=$("${PSQL[@]}" -At -c "select count(*) from observation")
revisions=$("${PSQL[@]}" -At -c "select count(*) from revision")
# Log the plan of every statement of the restarted site, to check the pages' queries.
"${PSQL[@]}" -c "load 'auto_explain'" -c "alter system set session_preload_libraries = 'auto_explain'" \
  -c "alter system set auto_explain.log_min_duration = 0" -c "select pg_reload_conf()" >/dev/null
stop_plantrack
start_plantrack
printf '\nStart-up on an existing data directory, PostgreSQL'"'"'s own start excluded: %s s\n' "$(startup_seconds)"
for i in "${!PATHS[@]}"; do curl -fs "http://127.0.0.1:$PORT${PATHS[$i]}" >/dev/null; done
curl -fs "http://127.0.0.1:$PORT/plans/$PLAN/programmes" >/dev/null
sleep 0.5
pglog="$WORK/data/postgres.log"
seq_scans=$(grep -ac "Seq Scan on \(observation\|revision\)" "$pglog" || true)
index_scans=$(grep -aoE "(Seq Scan on|Index (Only )?Scan using [a-z_0-9]+ on|Bitmap (Heap|Index) Scan on) [a-z_0-9]+" "$pglog" \
  | grep -v "pg_\|_sqlx" | sort | uniq -c | sort -rn || true)
printf 'Query plans of the pages with %s figures and %s history rows: %s sequential scans of observation or revision\n' \
  "$observations" "$revisions" "$seq_scans"
printf '%s\n' "$index_scans" | sed 's/^/  /'
"${PSQL[@]}" -c "load 'auto_explain'" -c "alter system reset session_preload_libraries" -c "alter system reset auto_explain.log_min_duration" \
  -c "select pg_reload_conf()" >/dev/null
compare "Large database (202 plans, $observations figures)"
