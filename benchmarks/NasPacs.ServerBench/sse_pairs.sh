#!/bin/sh
# Does a live dashboard slow indexing? Interleaved pairs of full index runs of one corpus, with 0 and with N clients on
# /api/index/events (order alternating), each on a fresh index by a freshly started server; prints each run's own
# duration (the server's started_at to last_updated), the server's CPU seconds during the run, and the medians.
#
# usage: sse_pairs.sh <corpus folder> [pairs=3] [dashboards=20] [work folder=/tmp/np-sse]
#   CONFIG=Release (default) builds NasPacs.Api and this tool into <work>/api and <work>/bench; NO_BUILD=1 skips that.
# A corpus of 100,000 files: python3 benchmarks/corpus/make_corpus.py … or naspacs-serverbench corpus <out> 1000 2 5 10.
set -eu
corpus=$(realpath "$1"); pairs=${2:-3}; dashboards=${3:-20}; work=${4:-/tmp/np-sse}; port=${PORT:-5187}
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd); config=${CONFIG:-Release}
mkdir -p "$work/data"
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c "$config" "$repo/src/NasPacs.Api" -o "$work/api" -v q -nologo >/dev/null
  dotnet build -c "$config" "$here" -o "$work/bench" -v q -nologo >/dev/null
fi
url=http://127.0.0.1:$port
password='sse-bench-admin-password'

start_server() {
  (cd "$work/api" && NasPacs__DataPath="$work/data" NasPacs__Roots__sse__Path="$corpus" NasPacs__IndexEmptyRootsOnStart=false \
    NASPACS_ADMIN_PASSWORD="$password" NasPacs__Security__ApiRequestsPerMinute=1000000 Logging__LogLevel__Default=Warning \
    Urls=$url exec ./NasPacs.Api --contentRoot "$work/api") >>"$work/server.log" 2>&1 &
  server=$!
  i=0
  until curl -sf "$url/health/live" >/dev/null; do i=$((i + 1)); [ $i -lt 300 ] || { echo "server did not start" >&2; exit 1; }; sleep 0.2; done
}

cpu() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }

token() {
  [ -s "$work/token" ] && return
  jar="$work/cookies"; rm -f "$jar"
  csrf() { curl -sf -c "$jar" -b "$jar" "$url/api/auth/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])'; }
  curl -sf -c "$jar" -b "$jar" -H "X-CSRF-TOKEN: $(csrf)" -H 'Content-Type: application/json' \
    -d "{\"name\":\"admin\",\"password\":\"$password\"}" "$url/api/auth/login" >/dev/null
  curl -sf -c "$jar" -b "$jar" -H "X-CSRF-TOKEN: $(csrf)" -H 'Content-Type: application/json' -d '{"name":"sse-bench"}' \
    "$url/api/auth/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])' >"$work/token"
}

run() {
  rm -f "$work/data/sse.db" "$work/data/sse.db-wal" "$work/data/sse.db-shm" "$work/data/sse.status.json"
  start_server
  token
  load=$(cut -d' ' -f1 /proc/loadavg)
  before=$(cpu)
  line=$(NASPACS_TOKEN=$(cat "$work/token") "$work/bench/naspacs-serverbench" sse "$url" sse "$1")
  after=$(cpu)
  kill "$server"; wait "$server" 2>/dev/null || true
  tick=$(getconf CLK_TCK)
  echo "$line server_cpu_seconds=$(echo "scale=2; ($after - $before) / $tick" | bc) load=$load" | tee -a "$work/results.txt"
}

: >"$work/results.txt"
p=1
while [ $p -le "$pairs" ]; do
  if [ $((p % 2)) -eq 1 ]; then run 0; run "$dashboards"; else run "$dashboards"; run 0; fi
  p=$((p + 1))
done

python3 - "$work/results.txt" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r"(\w+)=(\S+)", line)) for line in open(sys.argv[1]) if line.strip()]
groups = {}
for r in rows:
    groups.setdefault(r["dashboards"], []).append(r)
for n, rs in sorted(groups.items(), key=lambda kv: int(kv[0])):
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    print(f"dashboards={n} runs={len(rs)} median_seconds={med('seconds'):.2f} median_server_cpu_seconds={med('server_cpu_seconds'):.2f} "
          f"median_events_per_dashboard={med('events_per_dashboard'):.0f}")
# Paired ratios, in run order: pair p is runs 2p-1 and 2p.
ratios = {"seconds": [], "server_cpu_seconds": []}
for a, b in zip(rows[0::2], rows[1::2]):
    with_, without = (a, b) if int(a["dashboards"]) > 0 else (b, a)
    for k in ratios:
        ratios[k].append(float(with_[k]) / float(without[k]))
for k, v in ratios.items():
    print(f"paired ratio with/without, {k}: " + ", ".join(f"{x:.3f}" for x in v) + f"; median {statistics.median(v):.3f}")
PY
