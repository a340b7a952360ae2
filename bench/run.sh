#!/usr/bin/env bash
# Compares plantrack with nginx serving the very same bytes as static files, per core.
#
#   bench/run.sh            # 4 s per run, 3 rounds; DURATION=10 ROUNDS=5 bench/run.sh for more
#
# Starts plantrack (release build) on a new embedded database and nginx (one worker) on
# loopback, both pinned to one core (SERVER_CPU, default 1), and drives them with wrk pinned to
# the other core (CLIENT_CPU, default 0; one thread, 64 connections): on a 2-core machine a client
# that shares the servers' cores measures its own starvation, not the servers. For each page
# (the overview, an indicator page, the indicators API) the two servers run alternately ROUNDS
# times; it prints the median requests/s, p50 and p99 of each and the median of the rounds'
# ratios plantrack/nginx, then the same pages for a signed-in official (a real session: the
# page kept for the role, with the reader's own navigation) and plantrack's resident memory.
# Then it adds a whole country's synthetic plans (SYNTHETIC_PLANS, default 20,000, × 40
# indicators × 15 years with history: 12 million figures), vacuums them as a database's keeper
# does after a bulk load (else autovacuum works through them on the servers' core during the
# runs), restarts plantrack (reporting its start-up time), checks that the pages' queries use indexes
# (no sequential scan of observation or revision) and runs the same load again while another
# plan's figures change once a second, as analysts elsewhere keep editing. Everything listens on
# 127.0.0.1 only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-4}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=64
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
SYNTHETIC_PLANS=${SYNTHETIC_PLANS:-20000}
PLAN=chongqing-sti-2021-2025
PATHS=("/" "/plans/$PLAN/indicators/rd-intensity" "/api/v1/plans/$PLAN/indicators")
NAMES=("overview" "indicator page" "indicators API")

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v taskset >/dev/null || missing+=(util-linux)
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
TRICKLE_PID=""
cleanup() {
  [ -n "$TRICKLE_PID" ] && kill "$TRICKLE_PID" 2>/dev/null || true
  [ -n "$SERVE_PID" ] && kill -TERM "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

start_plantrack() {
  env -u DATABASE_URL RUST_LOG=plantrack=info taskset -c "$SERVER_CPU" "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" \
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
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | python3 -c '
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
worker_processes 1;
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
  taskset -c "$SERVER_CPU" "$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
  sleep 0.3
}

# The median of its arguments.
median() {
  python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.2f}")' "$@"
}

# Signs in as an official (made once per data directory) and prints the session cookie.
signed_in_cookie() {
  if [ ! -f "$WORK/bench-user" ]; then
    printf 'bench-official-%s\n' "$RANDOM$RANDOM" >"$WORK/bench-user"
    env -u DATABASE_URL "$BIN" --data-dir "$WORK/data" user add bench --role official --password-stdin \
      <"$WORK/bench-user" >>"$WORK/serve.log" 2>&1
  fi
  local jar="$WORK/cookies" csrf
  rm -f "$jar"
  csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "username=bench" \
    --data-urlencode "password=$(cat "$WORK/bench-user")" --data-urlencode "next=/" "http://127.0.0.1:$PORT/login"
  awk '$6 == "plantrack_session" {print "plantrack_session=" $7}' "$jar"
}

# Runs the load on each page against both servers, alternating, and prints the table.
compare() {
  printf '\n%s (wrk -t1 -c%d on core %s, servers on core %s, %ss per run, %s rounds alternating, medians, %s)\n' \
    "$1" "$CONNECTIONS" "$CLIENT_CPU" "$SERVER_CPU" "$DURATION" "$ROUNDS" "$(date -u +%Y-%m-%d)"
  printf '%-16s %12s %9s %9s %12s %9s %9s %7s\n' page "plantrack r/s" "p50 ms" "p99 ms" "nginx r/s" "p50 ms" "p99 ms" ratio
  for i in "${!PATHS[@]}"; do
    local url="${PATHS[$i]}" prps=() pp50=() pp99=() nrps=() np50=() np99=() ratios=() errors=0
    curl -fs "http://127.0.0.1:$PORT$url" >/dev/null # the first reader fills the cache
    for _ in $(seq 1 "$ROUNDS"); do
      read -r r p50 p99 err < <(load "http://127.0.0.1:$PORT$url")
      prps+=("$r") pp50+=("$p50") pp99+=("$p99")
      errors=$((errors + err))
      read -r n q50 q99 _ < <(load "http://127.0.0.1:$NGINX_PORT$url")
      nrps+=("$n") np50+=("$q50") np99+=("$q99")
      ratios+=("$(python3 -c "print($r/$n)")")
    done
    printf '%-16s %12.0f %9s %9s %12.0f %9s %9s %7s' "${NAMES[$i]}" "$(median "${prps[@]}")" "$(median "${pp50[@]}")" \
      "$(median "${pp99[@]}")" "$(median "${nrps[@]}")" "$(median "${np50[@]}")" "$(median "${np99[@]}")" "$(median "${ratios[@]}")"
    [ "$errors" != 0 ] && printf '  (%s non-2xx from plantrack)' "$errors"
    printf '\n'
  done
  # The same pages for a signed-in official: the page kept for the role, with their own
  # navigation counts, what officials and analysts wait for.
  local cookie
  cookie=$(signed_in_cookie)
  if [ -z "$cookie" ]; then
    echo "could not sign in; see $WORK/serve.log" >&2
    return
  fi
  for i in "${!PATHS[@]}"; do
    local rps=() p50s=() p99s=() errs=0
    for _ in $(seq 1 "$ROUNDS"); do
      read -r r p50 p99 err < <(load -H "Cookie: $cookie" "http://127.0.0.1:$PORT${PATHS[$i]}")
      rps+=("$r") p50s+=("$p50") p99s+=("$p99")
      errs=$((errs + err))
    done
    printf '%-16s %12.0f %9s %9s   (signed in: own navigation on the page kept for the role)' "${NAMES[$i]}" "$(median "${rps[@]}")" \
      "$(median "${p50s[@]}")" "$(median "${p99s[@]}")"
    [ "$errs" != 0 ] && printf '  (%s non-2xx)' "$errs"
    printf '\n'
  done
  printf 'plantrack resident memory after the runs: %s MiB\n' "$(rss_mib)"
}

# Changes one figure of another plan once a second, as publishing does (the change notifies that
# plan), counting the changes in $WORK/edits; stopped by stop_trickle.
start_trickle() {
  : >"$WORK/edits"
  (
    while :; do
      taskset -c "$CLIENT_CPU" "${PSQL[@]}" -At -c "update observation set value = value + 0.01, version = version + 1
        where observation_id = (select o.observation_id from observation o join indicator i using (indicator_id)
                                join plan p using (plan_id)
                                where p.slug = 'synthetic-00001' and i.code = 'ind-1' and o.year = 2025)" >/dev/null &&
        echo edit >>"$WORK/edits"
      sleep 1
    done
  ) &
  TRICKLE_PID=$!
}

stop_trickle() {
  kill "$TRICKLE_PID" 2>/dev/null || true
  wait "$TRICKLE_PID" 2>/dev/null || true
  TRICKLE_PID=""
  printf 'Edits to another plan during the runs (one a second): %s\n' "$(wc -l <"$WORK/edits")"
}

echo "plantrack $(git describe --always --dirty 2>/dev/null || echo unknown), $(nproc) cores, $(uname -r)"
if [ "$(nproc)" -lt 2 ]; then
  echo "needs 2 cores: one for the servers, one for the client" >&2
  exit 1
fi
start_plantrack
start_nginx
compare "Default database (2 plans)"

# The same pages beside a large database.
PSQL=(psql -q -X -v ON_ERROR_STOP=1 "host=$WORK/data/postgres port=5432 user=postgres dbname=plantrack")
load_started=$(date +%s)
"${PSQL[@]}" -v plans="$SYNTHETIC_PLANS" -f bench/synthetic.sql
printf '\nLoaded %s synthetic plans in %s s\n' "$SYNTHETIC_PLANS" "$(($(date +%s) - load_started))"
vacuum_started=$(date +%s)
"${PSQL[@]}" -c "vacuum" -c "checkpoint"
printf 'Vacuumed and checkpointed in %s s\n' "$(($(date +%s) - vacuum_started))"
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
plans=$("${PSQL[@]}" -At -c "select count(*) from plan")
indicators=$("${PSQL[@]}" -At -c "select count(*) from indicator")
start_trickle
compare "Large database ($plans plans, $indicators indicators, $observations figures; another plan edited once a second)"
stop_trickle
