#!/usr/bin/env bash
# The indexing benchmark of issue #3, in one command:
#   benchmarks/indexing/run.sh [--files 20000] [--runs 3] [--tools naspacs-first,...] [--keep-corpus]
#   benchmarks/indexing/run.sh --rss-sizes 100000,300000      # naspacs peak RSS slope towards 1M files
# Builds the I/O floor and the naspacs CLI in Release into their own folders (so it never collides with
# Debug builds), then runs bench.py (see its --help). NASPACS_BENCH_NO_BUILD=1 skips the builds.
set -euo pipefail
cd "$(dirname "$0")/../.."

floor_out=/tmp/naspacs-bench-floor
cli_out=/tmp/naspacs-bench-cli

# Publishes a project for linux-x64 as native AOT (no JIT: start-up ~0.1 CPU-s instead of ~0.7; needs clang and the
# ILCompiler package the SDK picks), or ReadyToRun (precompiled, framework-dependent) when AOT fails. The floor and
# the CLI are built the same way, so neither gets a start-up advantage over the other.
publish() {
  local project=$1 out=$2
  rm -rf "$out"
  echo "building $project (Release, native AOT for linux-x64) into $out"
  if dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -p:PublishReadyToRun=false -o "$out" --nologo -v quiet; then
    return 0
  fi
  echo "warning: the native AOT build of $project failed; building ReadyToRun instead" >&2
  rm -rf "$out"
  if ! dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out" --nologo -v quiet; then
    echo "warning: $project did not build; its rows will be pending" >&2
    rm -rf "$out"
  fi
}

if [[ "${NASPACS_BENCH_NO_BUILD:-}" != 1 ]]; then
  publish benchmarks/NasPacs.IoFloor "$floor_out"
  publish src/NasPacs.Cli "$cli_out"
fi
for tool in gdcmscanner /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (Debian packages libgdcm-tools, python3-pydicom, python3-numpy)" >&2; exit 2; }
done
# The corpus generator needs pydicom, and numpy for the set with pixel data.
/usr/bin/python3 -c "import pydicom, numpy" 2>/dev/null \
  || { echo "missing a Python module: install the Debian packages python3-pydicom and python3-numpy" >&2; exit 2; }
exec /usr/bin/python3 benchmarks/indexing/bench.py --floor "$floor_out/naspacs-iofloor" --naspacs "$cli_out/naspacs" "$@"
