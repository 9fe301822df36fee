#!/usr/bin/env bash
# Load test over HTTP, side by side with Redis (Benchmarks/README.md, "Load test over HTTP, side by
# side with Redis"; targets in DESIGN §7):
#
#   - `siting serve` on loopback over two databases built here in a temporary folder: the demo one
#     (`siting init`) and one with 1,000,000 seeded outlets more (`siting init`, then
#     `siting import outlets` of the Store suite's generated CSV);
#   - wrk (-t2) at 8, 32 and 128 connections against GET /v1/outlets/nearby (limit=10, radius=5000,
#     rotating through 10,000 seeded query points where people are) and the trivial GET /livez;
#   - redis-server (its own port, no persistence) holding the same outlet positions, measured with
#     redis-benchmark GEOSEARCH ... BYRADIUS 5 km ASC COUNT 10 WITHDIST at the same concurrencies, over
#     a sample of 20 of the query points (redis-benchmark repeats one command; it cannot rotate);
#   - a soak on the 1M database (nearby, 32 connections), the server's RSS sampled every 5 s.
#
# Prints one markdown report on standard output (progress goes to standard error); --report FILE
# writes it to FILE too. Exits 1 when any request failed (a missed ratio target is reported, not fatal).
#
# Usage: Benchmarks/load/run.sh [--quick] [--report FILE] [--keep] [--outlets N] [--server-log-level L]
#   --quick               3 s runs (1 s warm-up), a 10 s soak: a smoke run
#   --report FILE         also write the report to FILE
#   --keep                keep the temporary folder (databases, points, logs) and say where it is
#   --outlets N           outlets generated for the large database (default 1000000)
#   --server-log-level L  siting serve's --log-level (default info, the server's default, which logs
#                         one line per request to standard error; here into a file)
# Environment: SWIFT (default swift).
set -euo pipefail

usage() { sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'; }

QUICK=0 REPORT="" KEEP=0 OUTLETS=1000000 LOG_LEVEL=info
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --report) [ $# -ge 2 ] || { usage >&2; exit 2; }; REPORT=$2; shift ;;
        --report=*) REPORT=${1#--report=} ;;
        --keep) KEEP=1 ;;
        --outlets) [ $# -ge 2 ] || { usage >&2; exit 2; }; OUTLETS=$2; shift ;;
        --outlets=*) OUTLETS=${1#--outlets=} ;;
        --server-log-level) [ $# -ge 2 ] || { usage >&2; exit 2; }; LOG_LEVEL=$2; shift ;;
        --server-log-level=*) LOG_LEVEL=${1#--server-log-level=} ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$OUTLETS" in ''|*[!0-9]*) echo "run.sh: --outlets takes a whole number" >&2; exit 2 ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SWIFT=${SWIFT:-swift}
if [ -n "$REPORT" ]; then
    mkdir -p "$(dirname "$REPORT")"
    REPORT="$(cd "$(dirname "$REPORT")" && pwd)/$(basename "$REPORT")"
fi

if [ "$QUICK" = 1 ]; then DURATION=3 WARMUP=1 SOAK=10; else DURATION=10 WARMUP=2 SOAK=60; fi
CONCURRENCIES=(8 32 128)
THREADS=2              # wrk -t2
POINT_COUNT=10000      # query points where people are
POINT_SEED=202         # the Nearby suite's query-point seed
OUTLET_SEED=1000       # the Store suite's seed for its 1M CSV
REDIS_SAMPLE=20        # query points redis-benchmark is run over, one run each
SOAK_CONCURRENCY=32
RSS_EVERY=5            # seconds between RSS samples in the soak

log() { printf '%s [load] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }
human() { awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6; else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3; else printf "%d", n }'; }
thousands() { LC_ALL=C awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------------------------------------------
# 1. What it needs: wrk, redis-server, redis-tools (and the build's own packages), then release builds.

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
apt_install() {
    log "installing system packages: $*"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v "$SWIFT" >/dev/null || die "Swift 6 is required: install a Swift toolchain from swift.org first."
missing=()
pkg-config --exists proj sqlite3 2>/dev/null || missing+=(pkg-config libproj-dev libsqlite3-dev proj-data)
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
{ command -v redis-cli && command -v redis-benchmark; } >/dev/null || missing+=(redis-tools)
command -v curl >/dev/null || missing+=(curl ca-certificates)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

log "building siting (release, .build-load)"
(cd "$ROOT" && "$SWIFT" build -c release --scratch-path .build-load --product siting >&2)
SITING="$(cd "$ROOT" && "$SWIFT" build -c release --scratch-path .build-load --show-bin-path)/siting"
log "building LoadTestData (Benchmarks, release, .build-load)"
(cd "$ROOT/Benchmarks" && "$SWIFT" build -c release --scratch-path .build-load --product LoadTestData >&2)
DATA_TOOL="$(cd "$ROOT/Benchmarks" && "$SWIFT" build -c release --scratch-path .build-load --show-bin-path)/LoadTestData"
LUA="$HERE/requests.lua"

# ---------------------------------------------------------------------------------------------------
# Processes started here, stopped on every exit.

WORK=$(mktemp -d "${TMPDIR:-/tmp}/siting-load.XXXXXX")
SERVER_PID="" REDIS_PID="" WRK_PID=""
stop_pid() {  # stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop_pid "$WRK_PID"; stop_pid "$SERVER_PID"; stop_pid "$REDIS_PID"
    if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port from a random start (another agent or test may hold any fixed one).
free_port() {
    local port=$(( 20000 + RANDOM % 30000 )) tries
    for tries in $(seq 1 200); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
        port=$(( port + 1 ))
    done
    die "no free port found"
}

# ---------------------------------------------------------------------------------------------------
# 2. Data: the demo database, the large one, the query points.

BIG=$(human "$OUTLETS")
LOAD_START=$(loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
SECONDS=0

log "siting init: demo database"
"$SITING" init --db "$WORK/demo.gpkg" --geodata "$ROOT/Geodata" >"$WORK/init-demo.log" 2>&1 \
    || { cat "$WORK/init-demo.log" >&2; die "siting init failed"; }

log "writing $OUTLETS seeded outlets (seed $OUTLET_SEED) and $POINT_COUNT query points (seed $POINT_SEED)"
t0=$SECONDS
"$DATA_TOOL" outlets --count "$OUTLETS" --seed "$OUTLET_SEED" --geodata "$ROOT/Geodata" --output "$WORK/outlets-$BIG.csv"
"$DATA_TOOL" points --count "$POINT_COUNT" --seed "$POINT_SEED" --geodata "$ROOT/Geodata" --output "$WORK/points.txt"
GENERATE_SECONDS=$(( SECONDS - t0 ))

log "siting init + siting import outlets: the $BIG database"
t0=$SECONDS
"$SITING" init --db "$WORK/$BIG.gpkg" --geodata "$ROOT/Geodata" >"$WORK/init-$BIG.log" 2>&1 \
    || { cat "$WORK/init-$BIG.log" >&2; die "siting init failed"; }
"$SITING" import outlets "$WORK/outlets-$BIG.csv" --db "$WORK/$BIG.gpkg" >"$WORK/import-$BIG.log" 2>&1 \
    || { cat "$WORK/import-$BIG.log" >&2; die "siting import outlets failed"; }
IMPORT_SECONDS=$(( SECONDS - t0 ))
[ "$KEEP" = 1 ] || rm -f "$WORK/outlets-$BIG.csv"

# What each database holds, exported back (the large export also feeds Redis).
for db in demo "$BIG"; do
    "$SITING" export outlets --db "$WORK/$db.gpkg" --format csv -o "$WORK/export-$db.csv" >/dev/null 2>"$WORK/export-$db.log" \
        || { cat "$WORK/export-$db.log" >&2; die "siting export outlets failed"; }
done
DEMO_COUNT=$(( $(wc -l <"$WORK/export-demo.csv") - 1 ))
BIG_COUNT=$(( $(wc -l <"$WORK/export-$BIG.csv") - 1 ))
log "demo: $DEMO_COUNT outlets; $BIG: $BIG_COUNT outlets"

# The Redis sample: REDIS_SAMPLE points spread evenly through the list (every 500th of 10,000).
awk -v step=$(( POINT_COUNT / REDIS_SAMPLE )) 'NR % step == 1 || step == 1' "$WORK/points.txt" | head -n "$REDIS_SAMPLE" >"$WORK/redis-sample.txt"

# ---------------------------------------------------------------------------------------------------
# 4a. Redis: its own port, no persistence, the large database's outlet positions (GEOADD, piped).

RPORT=$(free_port)
log "redis-server on 127.0.0.1:$RPORT, loading $BIG_COUNT positions"
redis-server --port "$RPORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" --daemonize no >/dev/null 2>&1 &
REDIS_PID=$!
for i in $(seq 1 100); do
    [ "$(redis-cli -p "$RPORT" ping 2>/dev/null)" = PONG ] && break
    kill -0 "$REDIS_PID" 2>/dev/null || { cat "$WORK/redis.log" >&2; die "redis-server did not start"; }
    sleep 0.1
done
# CSV (RFC 4180, CRLF) to RESP: GEOADD outlets lon lat id. Quoted fields before lon/lat are split properly.
LC_ALL=C awk '
    function field(line, n,    i, c, q, k, out) {  # the n-th field of a CSV line with quotes
        k = 1; q = 0; out = ""
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { if (k == n) out = out c; i++ } else q = 0 } else if (k == n) out = out c }
            else if (c == "\"") q = 1
            else if (c == ",") { if (k == n) return out; k++ }
            else if (k == n) out = out c
        }
        return out
    }
    function bulk(s) { return "$" length(s) "\r\n" s "\r\n" }
    { sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; if (!col["id"] || !col["lon"] || !col["lat"]) exit 3; next }
    {
        if (index($0, "\"") == 0) { id = $col["id"]; lon = $col["lon"]; lat = $col["lat"] }
        else { id = field($0, col["id"]); lon = field($0, col["lon"]); lat = field($0, col["lat"]) }
        printf "*5\r\n$6\r\nGEOADD\r\n$7\r\noutlets\r\n%s%s%s", bulk(lon), bulk(lat), bulk(id)
    }' FS=, "$WORK/export-$BIG.csv" | redis-cli -p "$RPORT" --pipe >"$WORK/redis-load.log" 2>&1 \
    || { cat "$WORK/redis-load.log" >&2; die "loading Redis failed"; }
REDIS_COUNT=$(redis-cli -p "$RPORT" zcard outlets)
[ "$REDIS_COUNT" = "$BIG_COUNT" ] || die "Redis holds $REDIS_COUNT positions, the database $BIG_COUNT"
REDIS_MEMORY=$(redis-cli -p "$RPORT" info memory | awk -F: '/^used_memory_rss_human:/ { sub(/\r/, ""); print $2 }')
REDIS_VERSION=$(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')

# ---------------------------------------------------------------------------------------------------
# Measurements. Each row: target|database|concurrency|req/s|p50 ms|p99 ms|errors|error detail.

ROWS=()
TOTAL_ERRORS=0
declare -A RPS RESPONSE_BYTES START_RSS END_RSS

# run_wrk NAME DB_LABEL CONCURRENCY SECONDS MODE → sets W_RPS W_P50 W_P99 W_ERRORS W_DETAIL W_BYTES
run_wrk() {
    local name=$1 db=$2 c=$3 seconds=$4 mode=$5 out line
    out="$WORK/wrk-$name-$db-$c.txt"
    local args=(livez)
    [ "$mode" = nearby ] && args=(nearby "$WORK/points.txt" "$THREADS")
    wrk -t"$THREADS" -c"$c" -d"${seconds}s" -s "$LUA" "http://127.0.0.1:$PORT" -- "${args[@]}" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || { cat "$out" >&2; die "wrk failed"; }
    WRK_PID=""
    line=$(grep '^RESULT ' "$out") || { cat "$out" >&2; die "wrk printed no RESULT line"; }
    eval "$(echo "$line" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/local r_/')"
    W_RPS=$(awk -v n="$r_requests" -v us="$r_duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    W_P50=$(awk -v us="$r_p50_us" 'BEGIN { printf "%.2f", us / 1000 }')
    W_P99=$(awk -v us="$r_p99_us" 'BEGIN { printf "%.2f", us / 1000 }')
    W_ERRORS=$(( r_connect + r_read + r_write + r_status + r_timeout ))
    W_DETAIL="connect $r_connect, read $r_read, write $r_write, status ≥ 400 $r_status, timeout $r_timeout"
    W_BYTES=$(( r_requests > 0 ? r_bytes / r_requests : 0 ))
}

# measure NAME DB_LABEL CONCURRENCY MODE: a warm-up run, then the measured one, one table row.
measure() {
    local name=$1 db=$2 c=$3 mode=$4
    run_wrk "$name-warmup" "$db" "$c" "$WARMUP" "$mode"
    TOTAL_ERRORS=$(( TOTAL_ERRORS + W_ERRORS ))
    [ "$W_ERRORS" = 0 ] || log "errors in the warm-up of $name, $db, c=$c: $W_DETAIL"
    run_wrk "$name" "$db" "$c" "$DURATION" "$mode"
    TOTAL_ERRORS=$(( TOTAL_ERRORS + W_ERRORS ))
    RPS["$name|$db|$c"]=$W_RPS
    RESPONSE_BYTES["$name|$db"]=$W_BYTES
    ROWS+=("$name|$db|$c|$W_RPS|$W_P50|$W_P99|$W_ERRORS|$W_DETAIL")
    log "$(printf '%-22s %-5s c=%-3s %7s req/s  p50 %6s ms  p99 %6s ms  errors %s' "$name" "$db" "$c" "$W_RPS" "$W_P50" "$W_P99" "$W_ERRORS")"
}

# Redis: redis-benchmark repeats one command, so each concurrency is one run per sample point
# (REDIS_SAMPLE of them), all of the same number of requests, as wrk's rotation asks every point
# equally often. GEOSEARCH costs Redis in proportion to the outlets around the point (it measures and
# sorts every member of the geohash boxes covering the circle, COUNT only trims the answer), so the
# points differ by 1000x; a calibration pass (REDIS_CALIBRATION requests a point with redis-cli, timed
# by Redis's own commandstats) sizes the runs to take about DURATION in all, with at least 100 requests and one
# per connection. redis-benchmark runs single-threaded: with --threads its rate is only as exact as
# a 250 ms tick, which is most of a short run (Redis itself is single-threaded; one client thread
# keeps it busy).
# req/s: all requests over all the runs' time (equal requests per point: the harmonic mean of the
# points' rates); p50, p99: medians of the runs' p50 and p99.
REDIS_CALIBRATION=16
redis_command() {  # redis_command "LAT LNG" → the GEOSEARCH arguments
    local lat=${1% *} lng=${1#* }
    echo "GEOSEARCH outlets FROMLONLAT $lng $lat BYRADIUS 5 km ASC COUNT 10 WITHDIST"
}
run_redis_benchmark() {  # run_redis_benchmark CONCURRENCY REQUESTS "LAT LNG" → R_RPS R_P50 R_P99 R_ERRORS
    local c=$1 n=$2 point=$3 out="$WORK/redis-benchmark.out" err="$WORK/redis-benchmark.err"
    # shellcheck disable=SC2046
    redis-benchmark -h 127.0.0.1 -p "$RPORT" -c "$c" -n "$n" --precision 3 --csv \
        $(redis_command "$point") >"$out" 2>"$err" || { cat "$out" "$err" >&2; die "redis-benchmark failed"; }
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    read -r R_RPS R_P50 R_P99 < <(awk -F'","' 'NR == 2 { print $2, $5, $7 }' "$out")
    [ -n "${R_RPS:-}" ] || { cat "$out" "$err" >&2; die "redis-benchmark printed no result"; }
    R_ERRORS=$(grep -ci 'error' "$err" || true)
}
# calibrate_redis: the warm-up, and REDIS_ROUND_SECONDS, Redis's time for one request to every sample
# point (plus 20 µs a request for the network).
calibrate_redis() {
    local point round
    redis-cli -p "$RPORT" config resetstat >/dev/null
    while read -r point; do
        # shellcheck disable=SC2046
        redis-cli -p "$RPORT" -r "$REDIS_CALIBRATION" $(redis_command "$point") >/dev/null
    done <"$WORK/redis-sample.txt"
    round=$(redis-cli -p "$RPORT" info commandstats | awk -F'[=,]' -v k="$REDIS_CALIBRATION" -v points="$REDIS_SAMPLE" \
        '/^cmdstat_geosearch:/ { printf "%.6f", $4 / 1e6 / k + points * 20e-6 }')
    [ -n "$round" ] || die "no GEOSEARCH statistics from Redis"
    REDIS_ROUND_SECONDS=$round
    log "Redis calibration: one request to each of the $REDIS_SAMPLE sample points takes ${round} s"
}
declare -A REDIS_PER_POINT
measure_redis() {
    local c=$1 n total_n=0 total_seconds=0 errors=0 p50s=() p99s=() point
    n=$(awk -v round="$REDIS_ROUND_SECONDS" -v d="$DURATION" -v c="$c" 'BEGIN { n = int(d / round); if (n < 100) n = 100; print (n < c ? c : n) }')
    while read -r point; do
        run_redis_benchmark "$c" "$n" "$point"
        total_n=$(( total_n + n ))
        total_seconds=$(awk -v t="$total_seconds" -v n="$n" -v r="$R_RPS" 'BEGIN { printf "%.6f", t + n / r }')
        p50s+=("$R_P50"); p99s+=("$R_P99")
        errors=$(( errors + R_ERRORS ))
    done <"$WORK/redis-sample.txt"
    local rps p50 p99
    rps=$(awk -v n="$total_n" -v t="$total_seconds" 'BEGIN { printf "%.0f", n / t }')
    p50=$(printf '%s\n' "${p50s[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    p99=$(printf '%s\n' "${p99s[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    TOTAL_ERRORS=$(( TOTAL_ERRORS + errors ))
    RPS["redis|$BIG|$c"]=$rps
    REDIS_PER_POINT["$c"]=$n
    ROWS+=("Redis GEOSEARCH|$BIG|$c|$rps|$p50|$p99|$errors|error replies or messages on redis-benchmark's standard error: $errors")
    log "$(printf '%-22s %-5s c=%-3s %7s req/s  p50 %6s ms  p99 %6s ms  errors %s' "Redis GEOSEARCH" "$BIG" "$c" "$rps" "$p50" "$p99" "$errors") ($n requests a point, ${total_seconds} s)"
}

# start_server DB_LABEL: siting serve on a free loopback port; sets PORT, SERVER_PID.
start_server() {
    local db=$1 i
    PORT=$(free_port)
    log "siting serve --db $db.gpkg on 127.0.0.1:$PORT"
    "$SITING" serve --db "$WORK/$db.gpkg" --host 127.0.0.1 --port "$PORT" --reload-poll-seconds 0 \
        --log-level "$LOG_LEVEL" >"$WORK/serve-$db.out" 2>"$WORK/serve-$db.log" &
    SERVER_PID=$!
    for i in $(seq 1 600); do
        curl -fsS -o /dev/null "http://127.0.0.1:$PORT/livez" 2>/dev/null && break
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/serve-$db.log" >&2; die "siting serve exited"; }
        sleep 0.1
    done
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/livez" || die "siting serve did not answer /livez within 60 s"
    START_RSS["$db"]=$(rss_kib "$SERVER_PID")
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Siting and Redis on the sample points: how many results each returns within 5 km, limit 10.
compare_answers() {
    local point lat lng siting_total=0 redis_total=0 count
    while read -r point; do
        lat=${point% *}; lng=${point#* }
        count=$(curl -fsS "http://127.0.0.1:$PORT/v1/outlets/nearby?lat=$lat&lng=$lng&limit=10&radius=5000" | sed -n 's/^{.*"count":\([0-9]*\),.*/\1/p')
        [ -n "$count" ] || die "no count in the nearby answer for $point"
        siting_total=$(( siting_total + count ))
        # shellcheck disable=SC2046
        count=$(redis-cli -p "$RPORT" $(redis_command "$point") | grep -c '^O' || true)
        redis_total=$(( redis_total + count ))
        redis-cli -p "$RPORT" GEOSEARCH outlets FROMLONLAT "$lng" "$lat" BYRADIUS 5 km | wc -l >>"$WORK/within-5km.txt"
    done <"$WORK/redis-sample.txt"
    WITHIN=$(sort -n "$WORK/within-5km.txt" | awk '{ a[NR] = $1 } END { printf "%d to %d, median %d", a[1], a[NR], NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    ANSWERS="On the $REDIS_SAMPLE sample points (within 5 km, at most 10 each) siting nearby returned $siting_total results in all and Redis GEOSEARCH $redis_total"
}

# ---------------------------------------------------------------------------------------------------
# 3. and 4. Each database: for each concurrency, /livez then nearby (then Redis, next to the 1M run,
# so the ratios compare runs made minutes apart at most on a machine whose load moves).

for db in demo "$BIG"; do
    start_server "$db"
    first=$(head -n 1 "$WORK/points.txt")
    curl -fsS -o "$WORK/sample-$db.json" -w '%{http_code}' \
        "http://127.0.0.1:$PORT/v1/outlets/nearby?lat=${first% *}&lng=${first#* }&limit=10&radius=5000" >"$WORK/sample-$db.status" \
        || die "the first nearby request failed on $db"
    if [ "$db" = "$BIG" ]; then compare_answers; log "$ANSWERS; outlets within 5 km: $WITHIN"; calibrate_redis; fi
    for c in "${CONCURRENCIES[@]}"; do
        measure "livez" "$db" "$c" livez
        measure "nearby" "$db" "$c" nearby
        if [ "$db" = "$BIG" ]; then measure_redis "$c"; fi
    done
    if [ "$db" = "$BIG" ]; then
        # 5. The soak: nearby at SOAK_CONCURRENCY for SOAK seconds, RSS every RSS_EVERY seconds.
        log "soak: nearby on $db, c=$SOAK_CONCURRENCY, ${SOAK} s"
        soak_out="$WORK/wrk-soak.txt"
        RSS_SAMPLES=("$(rss_kib "$SERVER_PID")")
        wrk -t"$THREADS" -c"$SOAK_CONCURRENCY" -d"${SOAK}s" -s "$LUA" "http://127.0.0.1:$PORT" -- nearby "$WORK/points.txt" "$THREADS" >"$soak_out" 2>&1 &
        WRK_PID=$!
        for i in $(seq 1 $(( SOAK / RSS_EVERY ))); do
            sleep "$RSS_EVERY"
            RSS_SAMPLES+=("$(rss_kib "$SERVER_PID")")
        done
        wait "$WRK_PID" || { cat "$soak_out" >&2; die "wrk failed in the soak"; }
        WRK_PID=""
        RSS_SAMPLES+=("$(rss_kib "$SERVER_PID")")
        line=$(grep '^RESULT ' "$soak_out") || { cat "$soak_out" >&2; die "wrk printed no RESULT line in the soak"; }
        eval "$(echo "$line" | sed 's/^RESULT //' | tr ' ' '\n' | sed 's/^/soak_/')"
        SOAK_ERRORS=$(( soak_connect + soak_read + soak_write + soak_status + soak_timeout ))
        TOTAL_ERRORS=$(( TOTAL_ERRORS + SOAK_ERRORS ))
        SOAK_RPS=$(awk -v n="$soak_requests" -v us="$soak_duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
        SOAK_P50=$(awk -v us="$soak_p50_us" 'BEGIN { printf "%.2f", us / 1000 }')
        SOAK_P99=$(awk -v us="$soak_p99_us" 'BEGIN { printf "%.2f", us / 1000 }')
        SOAK_DETAIL="connect $soak_connect, read $soak_read, write $soak_write, status ≥ 400 $soak_status, timeout $soak_timeout"
        log "soak: $soak_requests requests, $SOAK_RPS req/s, errors $SOAK_ERRORS; RSS (KiB) ${RSS_SAMPLES[*]}"
    fi
    END_RSS["$db"]=$(rss_kib "$SERVER_PID")
    stop_pid "$SERVER_PID"; SERVER_PID=""
done
stop_pid "$REDIS_PID"; REDIS_PID=""
LOAD_END=$(loadavg)
ELAPSED=$SECONDS

# ---------------------------------------------------------------------------------------------------
# 6. The report.

mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t ? "met" : "**not met**") }'; }

RSS_MAX=$(printf '%s\n' "${RSS_SAMPLES[@]}" | awk 'NR == 1 { max = $1 } $1 > max { max = $1 } END { print max }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null | grep -q . && echo " (with uncommitted changes under Sources/)" || true)
WRK_VERSION=$({ wrk -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')

report() {
    echo "## Siting load test: HTTP side by side with Redis"
    echo
    echo "$STARTED, $(nproc) cores shared by the server, the load generator and whatever else runs" \
        "(load average $LOAD_START at the start, $LOAD_END at the end); siting $COMMIT$DIRTY, release build;" \
        "wrk $WRK_VERSION (-t$THREADS), Redis $REDIS_VERSION. Runs of ${DURATION} s after a ${WARMUP} s warm-up" \
        "at the same concurrency$([ "$QUICK" = 1 ] && echo ' (--quick)'); ${ELAPSED} s in all."
    echo
    echo "| target | database | concurrency | req/s | p50 (ms) | p99 (ms) | errors |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    local row target db c rps p50 p99 errors detail
    for row in "${ROWS[@]}"; do
        IFS='|' read -r target db c rps p50 p99 errors detail <<<"$row"
        case "$target" in
            livez) target='`GET /livez`' ;;
            nearby) target='`GET /v1/outlets/nearby`' ;;
        esac
        echo "| $target | $db | $c | $(thousands "$rps") | $p50 | $p99 | $errors |"
    done
    echo
    echo "Ratios (DESIGN §7: nearby at least 0.90 of the trivial route; at $BIG outlets at least Redis's throughput):"
    echo
    echo "| concurrency | nearby ÷ livez, demo | nearby ÷ livez, $BIG | nearby ($BIG) ÷ Redis |"
    echo "|---:|---:|---:|---:|"
    local r1 r2 r3
    for c in "${CONCURRENCIES[@]}"; do
        r1=$(ratio "${RPS[nearby|demo|$c]}" "${RPS[livez|demo|$c]}")
        r2=$(ratio "${RPS[nearby|$BIG|$c]}" "${RPS[livez|$BIG|$c]}")
        r3=$(ratio "${RPS[nearby|$BIG|$c]}" "${RPS[redis|$BIG|$c]}")
        echo "| $c | $r1 ($(verdict "$r1" 0.90)) | $r2 ($(verdict "$r2" 0.90)) | $r3 ($(verdict "$r3" 1.0)) |"
    done
    echo
    echo "Soak: nearby on the $BIG database, $SOAK_CONCURRENCY connections, ${SOAK} s: $(thousands "$soak_requests") requests," \
        "$(thousands "$SOAK_RPS") req/s, p50 $SOAK_P50 ms, p99 $SOAK_P99 ms, errors $SOAK_ERRORS ($SOAK_DETAIL)." \
        "Server RSS every ${RSS_EVERY} s: first $(mib "${RSS_SAMPLES[0]}"), last $(mib "${RSS_SAMPLES[${#RSS_SAMPLES[@]}-1]}")," \
        "max $(mib "$RSS_MAX") (KiB: ${RSS_SAMPLES[*]})."
    echo
    echo "Notes:"
    echo "- Databases: demo = \`siting init\` ($(thousands "$DEMO_COUNT") outlets); $BIG = \`siting init\` then" \
        "\`siting import outlets\` of $(thousands "$OUTLETS") seeded outlets (BenchmarkData's \`OutletGenerator\`, seed $OUTLET_SEED," \
        "the Store suite's data): $(thousands "$BIG_COUNT") outlets; generating took ${GENERATE_SECONDS} s, init + import ${IMPORT_SECONDS} s." \
        "Server RSS once loaded (and after its runs): demo $(mib "${START_RSS[demo]}") ($(mib "${END_RSS[demo]}")), $BIG $(mib "${START_RSS[$BIG]}") ($(mib "${END_RSS[$BIG]}")); Redis $REDIS_MEMORY (used_memory_rss_human) for the same $(thousands "$REDIS_COUNT") positions."
    echo "- Nearby requests: \`/v1/outlets/nearby?lat=…&lng=…&limit=10&radius=5000\`, rotating through $(thousands "$POINT_COUNT")" \
        "seeded points where people are (BenchmarkData's \`SettlementPlacement\`, seed $POINT_SEED, the Nearby suite's query points)," \
        "from the wrk script \`Benchmarks/load/requests.lua\`; /livez goes through the same script. Mean response:" \
        "nearby $(thousands "${RESPONSE_BYTES[nearby|$BIG]}") bytes on $BIG, $(thousands "${RESPONSE_BYTES[nearby|demo]}") on demo; livez $(thousands "${RESPONSE_BYTES[livez|demo]}") (headers included)."
    echo "- Redis: \`GEOSEARCH outlets FROMLONLAT lng lat BYRADIUS 5 km ASC COUNT 10 WITHDIST\` with redis-benchmark" \
        "(one client thread: Redis is single-threaded, and --threads makes short runs' rates only as exact as a 250 ms tick). redis-benchmark repeats one command and cannot rotate points, so each concurrency is" \
        "$REDIS_SAMPLE runs, one per sample point (every $(( POINT_COUNT / REDIS_SAMPLE ))th query point), of the same number of requests" \
        "($(for c in "${CONCURRENCIES[@]}"; do printf '%s at %s, ' "$(thousands "${REDIS_PER_POINT[$c]}")" "$c"; done | sed 's/, $//')), sized by a calibration pass" \
        "($REDIS_CALIBRATION requests a point with redis-cli, timed by Redis's commandstats; also the warm-up) to take about ${DURATION} s in all, with at least 100 requests and one per connection:" \
        "req/s is all requests over all the runs' time (the harmonic mean of the points' rates, as wrk's rotation weighs them); p50 and p99 are the medians of the runs' p50 and p99." \
        "GEOSEARCH's cost grows with the outlets near the point (it measures and sorts every member of the geohash boxes covering the circle; COUNT only trims the answer):" \
        "the sample points have ${WITHIN:-?} outlets within 5 km." \
        "Redis answers ids and distances only; siting answers whole outlet records (hours, services, both coordinate systems)." \
        "${ANSWERS:-}."
    echo "- Errors: wrk's connect, read, write and timeout (2 s) errors and responses with status ≥ 400 (wrk does not" \
        "count 3xx; none are expected here), warm-ups included in the exit status; for Redis, error replies reported by redis-benchmark."
    echo "- Server: \`siting serve --db … --host 127.0.0.1 --port P --reload-poll-seconds 0 --log-level $LOG_LEVEL\`" \
        "$([ "$LOG_LEVEL" = info ] && echo '(info, the default, logs one line per request; here into a file)')."
    local failures=""
    for row in "${ROWS[@]}"; do
        IFS='|' read -r target db c rps p50 p99 errors detail <<<"$row"
        [ "$errors" = 0 ] || failures+="  - $target, $db, c=$c: $detail"$'\n'
    done
    if [ "$TOTAL_ERRORS" != 0 ]; then
        echo "- **Requests failed** ($TOTAL_ERRORS in all, warm-ups and soak included):"
        printf '%s' "$failures"
    fi
}

if [ -n "$REPORT" ]; then report | tee "$REPORT"; else report; fi
if [ "$TOTAL_ERRORS" != 0 ]; then
    log "$TOTAL_ERRORS requests failed (see the report)"
    exit 1
fi
