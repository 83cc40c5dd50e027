#!/bin/bash
# Uploads the files given as arguments to $ORTHANC_URL/instances in ONE curl process, so that curl reuses one
# keep-alive connection for all of them (--next starts the next transfer on the same connection pool).
# xargs -P runs several of these at once: that is the baseline's concurrency.
set -euo pipefail
args=()
for f in "$@"; do
  [ ${#args[@]} -gt 0 ] && args+=(--next)
  args+=(-sS -f -o /dev/null -u "$ORTHANC_AUTH" -H "Content-Type: application/dicom" -H "Expect:" --data-binary "@$f" "${ORTHANC_URL}instances")
done
exec curl "${args[@]}"
