#!/usr/bin/env bash
# SMB over emulated latency (issue #7): a 10,000-file share served by a private smbd on 127.0.0.1,
# reached through a C# proxy that delays every chunk by D ms each way.
#   benchmarks/smb/run.sh                 # D = 0.25 and 2 ms, 10,000 files of 2 KB in 100 folders
#   benchmarks/smb/run.sh --delays 0,2 --files 20000
#   benchmarks/smb/run.sh --runs 3 --compare /tmp/smb-bench-before   # interleave an older build (or several: repeat --compare)
#   benchmarks/smb/run.sh --runs 3 --variant SMB_BENCH_ENCRYPT=0       # interleave this build with other settings
#   benchmarks/smb/run.sh --delays 2 --index 10000 --index-only         # the indexer over SMB: first index and re-index
#     of a share of 10,000 generated DICOM files (benchmarks/corpus/make_corpus.py), 8 and 64 header readers
#     (SMB_BENCH_INDEX_WORKERS=8,64); without --index-only the client's own measurements follow
# An older build for --compare: git worktree add /tmp/old <commit> && dotnet build -c Release
#   /tmp/old/benchmarks/smb/NasPacs.Smb.Benchmark -o /tmp/smb-bench-before
set -euo pipefail
delays="0.25,2"; files=10000; baseline=1000; runs=1; compare=""; variants=(); index=0
while [ $# -gt 0 ]; do
  case "$1" in
    --delays) delays="$2"; shift 2;;
    --files) files="$2"; shift 2;;
    --baseline) baseline="$2"; shift 2;;
    --runs) runs="$2"; shift 2;;
    --compare) compare="$compare $2"; shift 2;;  # may be given more than once
    --variant) variants+=("$2"); shift 2;;       # this build again with these VAR=value settings; may be repeated
    --index) index="$2"; shift 2;;               # DICOM files in the [dicom] share the indexer runs over (0: none)
    --index-only) export SMB_BENCH_ONLY_INDEX=1; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d /tmp/naspacs-smb-bench.XXXXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=smbtest; password="Pw-bench-$RANDOM"
chmod 755 "$dir"  # mktemp makes it 0700; the share user must traverse it
mkdir -p "$dir"/{share,warmup,dicom,private,lock,state,cache,pid,ncalrpc}
# The share measured, and a second one of 1,000 files the client reads first, so that the measured pass runs
# steady-state code (tiered JIT) without touching the measured files beforehand.
for target in "share $files 100" "warmup 1000 10"; do
set -- $target
python3 - "$dir/$1" "$2" "$3" <<'PY'
import os, sys, random
root, n, folders = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); random.seed(1)
for i in range(n):
    d = os.path.join(root, f"d{i % folders:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.dcm"), "wb") as f:
        f.write(random.randbytes(2048))
PY
done
if [ "$index" -gt 0 ]; then
  # 20 instances per series, 3 series per study, 2 studies per patient: as many patients as that takes.
  patients=$(( (index + 119) / 120 ))
  /usr/bin/python3 "$here/../corpus/make_corpus.py" --out "$dir/dicom" --patients "$patients" --studies-per-patient 2 \
    --series-per-study 3 --instances-per-series 20 --seed 7 >/dev/null
  rm -f "$dir/dicom/manifest.json"
  chmod -R a+rX "$dir/dicom"
  export SMB_BENCH_INDEX_SHARE=dicom
fi
cat > "$dir/smb.conf" <<CONF
[global]
server role = standalone server
interfaces = 127.0.0.1
bind interfaces only = yes
smb ports = $port
disable netbios = yes
server min protocol = SMB2_10
passdb backend = tdbsam:$dir/private/passdb.tdb
private dir = $dir/private
lock directory = $dir/lock
state directory = $dir/state
cache directory = $dir/cache
pid directory = $dir/pid
ncalrpc dir = $dir/ncalrpc
load printers = no
printing = bsd
printcap name = /dev/null
disable spoolss = yes
map to guest = never
[share]
path = $dir/share
read only = yes
valid users = $user
[warmup]
path = $dir/warmup
read only = yes
valid users = $user
[dicom]
path = $dir/dicom
read only = yes
valid users = $user
CONF
id "$user" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$user"
printf '%s\n%s\n' "$password" "$password" | smbpasswd -c "$dir/smb.conf" -s -a "$user" >/dev/null
smbd --foreground --no-process-group --debug-stdout -s "$dir/smb.conf" >"$dir/smbd.log" 2>&1 &
smbd_pid=$!
# smbd and its children still write to their folders while they exit, so rm -rf can fail at first: retry a few times.
cleanup() {
  kill "$smbd_pid" 2>/dev/null || true
  wait "$smbd_pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$dir" 2>/dev/null || true
    [ -e "$dir" ] || break
    sleep 0.5
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM
for _ in $(seq 100); do
  (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1
done
build="$dir/bench"
dotnet build -c Release "$here/NasPacs.Smb.Benchmark" -o "$build" >"$dir/build.log" || { cat "$dir/build.log"; exit 1; }
echo "commit $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- "$here/../../src/NasPacs.Smb" || echo ' + uncommitted changes'), $(nproc) cores"
export SMB_BENCH_SMBD_CONF="$dir/smb.conf"  # the harness reports this smbd's CPU per file
for run in $(seq "$runs"); do
  echo "## run $run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for older in $compare; do
    echo "### older build ($older)"
    SMB_BENCH_SKIP_SMBCLIENT=1 dotnet "$older/NasPacs.Smb.Benchmark.dll" "$port" "$user" "$password" "$delays" "$baseline"
  done
  for variant in "${variants[@]}"; do
    echo "### variant ($variant)"
    env $variant SMB_BENCH_SKIP_SMBCLIENT=1 dotnet "$build/NasPacs.Smb.Benchmark.dll" "$port" "$user" "$password" "$delays" "$baseline"
  done
  [ -z "$compare" ] && [ ${#variants[@]} -eq 0 ] || echo "### this build"
  dotnet "$build/NasPacs.Smb.Benchmark.dll" "$port" "$user" "$password" "$delays" "$baseline"
done
