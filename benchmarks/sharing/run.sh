#!/usr/bin/env bash
# Share-link download benchmark (issue #5): streams a generated ~2 GB series through the running server's
# /s/{token}/download and compares it with `cat files > /dev/null` on the same files, interleaved in the same run;
# samples the server's RSS during each download. The corpus lives in /tmp and is deleted at the end.
#
# Usage: benchmarks/sharing/run.sh [RUNS=5] [SIZE_MB=2048]
#   CONFIG=Release (default) or Debug; NO_BUILD=1 uses the existing build of that configuration.
set -euo pipefail
CONFIG=${CONFIG:-Release}
RUNS=${1:-5}
SIZE_MB=${2:-2048}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/naspacs-share-bench.XXXXXX)
PORT=5093
BASE=http://127.0.0.1:$PORT
ADMIN_PASSWORD=bench-$RANDOM-$RANDOM-admin
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "corpus: $SIZE_MB MB in $WORK/nas" >&2
/usr/bin/python3 "$REPO/benchmarks/sharing/make_series.py" "$WORK/nas/series" "$SIZE_MB" 400 >&2

[[ "${NO_BUILD:-}" == 1 ]] || dotnet build -c "$CONFIG" "$REPO/src/NasPacs.Api" -v q -nologo >&2
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
cat "${FILES[@]}" > /dev/null   # warm the page cache for both readers

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
echo "run,reader,seconds,mb_per_s,rss_before_mb,rss_peak_mb"
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N); cat "${FILES[@]}" > /dev/null; end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'$run,cat,{s:.3f},{$BYTES/1e6/s:.1f},,')" "$start" "$end"

  before=$(rss_kb); peak=$before
  start=$(date +%s.%N)
  curl -sf -o /dev/null "$URL/download" & CURL=$!
  while kill -0 "$CURL" 2>/dev/null; do now=$(rss_kb); (( now > peak )) && peak=$now; sleep 0.1; done
  wait "$CURL"; end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'$run,server,{s:.3f},{$BYTES/1e6/s:.1f},{$before/1024:.1f},{$peak/1024:.1f}')" "$start" "$end"
done
echo "bytes=$BYTES load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" commit=$(git -C "$REPO" rev-parse --short HEAD) config=$CONFIG" >&2
