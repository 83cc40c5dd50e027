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
if [[ "${NASPACS_BENCH_NO_BUILD:-}" != 1 ]]; then
  echo "building the I/O floor (Release) into $floor_out"
  dotnet publish benchmarks/NasPacs.IoFloor -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$floor_out" --nologo -v quiet
  echo "building the naspacs CLI (Release, ReadyToRun for linux-x64) into $cli_out"
  # For a runtime, so the publish is ReadyToRun (precompiled; see src/NasPacs.Cli/NasPacs.Cli.csproj).
  if ! dotnet publish src/NasPacs.Cli -c Release -r linux-x64 --self-contained false -o "$cli_out" --nologo -v quiet; then
    echo "warning: the naspacs CLI did not build; its rows will be pending" >&2
    rm -rf "$cli_out"
  fi
fi
for tool in gdcmscanner /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (Debian packages libgdcm-tools, python3-pydicom)" >&2; exit 2; }
done
exec /usr/bin/python3 benchmarks/indexing/bench.py --floor "$floor_out/naspacs-iofloor" --naspacs "$cli_out/naspacs" "$@"
