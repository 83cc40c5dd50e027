#!/usr/bin/env bash
# Share-link download benchmark (issue #5): streams a generated ~2 GB series through the running server's
# /s/{token}/download and compares it, interleaved in the same run, with `cat files > /dev/null` on the same files and with
# the ceilings below it (naspacs-sharebench, benchmark only):
#   tcp-sendfile   the same bytes over raw loopback TCP, sendfile per file (no user-space copy), one HTTP response
#   tcp-copy       the same, read(1 MiB) + send
#   kestrel-plain  Kestrel serving the same bytes, chunked, no zip and no CRC
#   loopback       two threads of one process, 1 MiB sends/receives of the same byte count (no files, no curl)
# curl -o /dev/null is the client for every HTTP reader; its CPU seconds (user+sys) are reported, and so are the server's.
# Samples the NasPacs server's RSS during each zip download. The corpus lives in /tmp and is deleted at the end.
#
# Usage: benchmarks/sharing/run.sh [RUNS=5] [SIZE_MB=2048]
#   CONFIG=Release (default) or Debug; NO_BUILD=1 uses the existing build of that configuration.
set -euo pipefail
CONFIG=${CONFIG:-Release}
RUNS=${1:-5}
SIZE_MB=${2:-2048}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/naspacs-share-bench.XXXXXX)
PORT=${PORT:-5093}
CEILING_PORT=${CEILING_PORT:-5190}
BASE=http://127.0.0.1:$PORT
ADMIN_PASSWORD=bench-$RANDOM-$RANDOM-admin
SERVER_PID=
BENCH_PID=
cleanup() {
  for pid in $SERVER_PID $BENCH_PID; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "corpus: $SIZE_MB MB in $WORK/nas" >&2
/usr/bin/python3 "$REPO/benchmarks/sharing/make_series.py" "$WORK/nas/series" "$SIZE_MB" 400 >&2

if [[ "${NO_BUILD:-}" != 1 ]]; then
  dotnet build -c "$CONFIG" "$REPO/src/NasPacs.Api" -v q -nologo >&2
  dotnet build -c "$CONFIG" "$REPO/benchmarks/sharing/NasPacs.ShareBench" -v q -nologo >&2
fi
BENCH="$REPO/benchmarks/sharing/NasPacs.ShareBench/bin/$CONFIG/net10.0/naspacs-sharebench"
"$BENCH" serve "$WORK/nas/series" "$CEILING_PORT" > "$WORK/sharebench.log" 2>&1 &
BENCH_PID=$!
NasPacs__DataPath="$WORK/data" NasPacs__Roots__bench__Path="$WORK/nas" NasPacs__Security__AdminPassword="$ADMIN_PASSWORD" \
  Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$REPO/src/NasPacs.Api/bin/$CONFIG/net10.0/NasPacs.Api.dll" --urls "$BASE" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -sf "$BASE/health/live" > /dev/null && break; sleep 0.5; done

# Sign in when the server has authentication (issue #8); then every call carries the session and its CSRF token.
JAR=$WORK/cookies; CSRF=
if curl -sf -c "$JAR" -b "$JAR" "$BASE/api/auth/session" -o "$WORK/session.json"; then
  CSRF=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['csrf'])" "$WORK/session.json")
  curl -sf -c "$JAR" -b "$JAR" -H "X-CSRF-TOKEN: $CSRF" -H 'Content-Type: application/json' \
    -d "{\"name\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/auth/login" > /dev/null
  curl -sf -c "$JAR" -b "$JAR" "$BASE/api/auth/session" -o "$WORK/session.json"
  CSRF=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['csrf'])" "$WORK/session.json")
fi
api() { curl -sf -c "$JAR" -b "$JAR" -H "X-CSRF-TOKEN: $CSRF" "$@"; }

# Wait for the index, then share the one series.
for _ in $(seq 1 600); do
  KEY=$(api "$BASE/api/search?root=bench" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['items'][0]['series_key'] if d['total'] and d['items'][0]['file_count']==400 else '')" || true)
  [[ -n "$KEY" ]] && break; sleep 1
done
[[ -n "$KEY" ]] || { echo "the series was not indexed" >&2; exit 1; }
URL=$(api -H 'Content-Type: application/json' -d "{\"root\":\"bench\",\"series_key\":\"$KEY\"}" "$BASE/api/shares" | python3 -c "import json,sys; print(json.load(sys.stdin)['url'])")

FILES=("$WORK"/nas/series/*.dcm)
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" > /dev/null   # warm the page cache for every reader
for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$((CEILING_PORT + 2))/plain" && break; sleep 0.5; done
kill -0 "$BENCH_PID" 2>/dev/null || { echo "naspacs-sharebench did not start (ports $CEILING_PORT-$((CEILING_PORT + 2)) in use?):" >&2; cat "$WORK/sharebench.log" >&2; exit 1; }

cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }   # user+sys CPU seconds of a process so far
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
row() {  # run reader start end client_cpu server_cpu [rss_before_kb rss_peak_kb]
  python3 -c "
import sys
run, reader, start, end, client, server = sys.argv[1:7]
s = float(end) - float(start)
rss = ','.join(f'{int(kb) / 1024:.1f}' for kb in sys.argv[7:9]) if len(sys.argv) > 8 else ','
print(f'{run},{reader},{s:.3f},{$BYTES / 1e6 / s:.1f},{client},{server},{rss}')" "$@"
}
fetch() {  # run reader url server_pid [sample-rss]
  local before peak start end cpu_before
  cpu_before=$(cpu_s "$4"); [[ -n "${5:-}" ]] && { before=$(rss_kb); peak=$before; }
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/curl.time" curl -sf -o /dev/null "$3" & local CURL=$!
  # Only the zip download samples RSS (the sampling costs CPU the others do not pay).
  while [[ -n "${5:-}" ]] && kill -0 "$CURL" 2>/dev/null; do now=$(rss_kb); (( now > peak )) && peak=$now; sleep 0.05; done
  wait "$CURL"; end=$(date +%s.%N)
  local client; client=$(awk 'END {printf "%.2f", $1 + $2}' "$WORK/curl.time")
  local server; server=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$cpu_before" "$(cpu_s "$4")")
  row "$1" "$2" "$start" "$end" "$client" "$server" ${before:+"$before" "$peak"}
}

echo "run,reader,seconds,mb_per_s,client_cpu_s,server_cpu_s,rss_before_mb,rss_peak_mb" | tee "$WORK/results.csv"
READERS=(cat tcp-sendfile tcp-copy kestrel-plain zip loopback)
for run in $(seq 1 "$RUNS"); do
  # Rotate the order each run, so no reader always follows the same one.
  for i in "${!READERS[@]}"; do
    reader=${READERS[$(( (i + run - 1) % ${#READERS[@]} ))]}
    case $reader in
      cat)
        start=$(date +%s.%N); /usr/bin/time -f '%U %S' -o "$WORK/cat.time" cat "${FILES[@]}" > /dev/null; end=$(date +%s.%N)
        row "$run" cat "$start" "$end" "$(awk 'END {printf "%.2f", $1 + $2}' "$WORK/cat.time")" "" ;;
      tcp-sendfile) fetch "$run" "$reader" "http://127.0.0.1:$CEILING_PORT/" "$BENCH_PID" ;;
      tcp-copy) fetch "$run" "$reader" "http://127.0.0.1:$((CEILING_PORT + 1))/" "$BENCH_PID" ;;
      kestrel-plain) fetch "$run" "$reader" "http://127.0.0.1:$((CEILING_PORT + 2))/plain" "$BENCH_PID" ;;
      zip) fetch "$run" "$reader" "$URL/download" "$SERVER_PID" rss ;;
      loopback) echo "$run,loopback,$("$BENCH" loopback "$BYTES"),,,," ;;
    esac
  done | tee -a "$WORK/results.csv"
done
echo "bytes=$BYTES load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" commit=$(git -C "$REPO" rev-parse --short HEAD) config=$CONFIG" >&2
python3 - "$WORK/results.csv" <<'PY' >&2
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
med = lambda reader, key: statistics.median(float(r[key]) for r in rows if r['reader'] == reader and r[key])
cat = med('cat', 'mb_per_s')
print('medians: reader, MB/s, % of cat, client CPU s, server CPU s')
for reader in ['cat', 'loopback', 'tcp-sendfile', 'tcp-copy', 'kestrel-plain', 'zip']:
    speed = med(reader, 'mb_per_s')
    client = med(reader, 'client_cpu_s') if reader != 'loopback' else float('nan')
    server = med(reader, 'server_cpu_s') if reader not in ('cat', 'loopback') else float('nan')
    print(f'  {reader:14} {speed:8.1f} {100 * speed / cat:5.0f} % {client:6.2f} {server:6.2f}')
growth = [float(r['rss_peak_mb']) - float(r['rss_before_mb']) for r in rows if r['reader'] == 'zip']
print(f'  zip RSS growth per download: {min(growth):.1f}-{max(growth):.1f} MB')
PY
