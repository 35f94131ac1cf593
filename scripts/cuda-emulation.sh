#!/usr/bin/env bash
# The CUDA backend without a GPU or a CUDA toolkit (needs g++ with C++20): the kernels' logic against plain loops
# (tests/cuda-emulation/run.sh), then the C# backend's CUDA graph tests on the emulated driver — a fake libcuda,
# libcublas and libnvrtc built by tests/cuda-emulation/build-fake-libs.sh, whose stream capture records and replays
# like the real driver and refuses what a capturing stream refuses. Run by scripts/test.sh after the test projects
# are built; extra arguments replace the test filter (e.g. "FullyQualifiedName~Cuda" for every GPU test: ~10 min).
# Prints "CUDA emulation: N passed" or why it failed; exit 0 only when every step passed.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-"FullyQualifiedName~DeviceGraph"}
libs=$(mktemp -d)
trap 'rm -rf "$libs"' EXIT
bash tests/cuda-emulation/run.sh | tail -1
bash tests/cuda-emulation/build-fake-libs.sh "$libs" >/dev/null
log=$(mktemp)
set +e
RERANK_CUDA_PATH="$libs" dotnet test tests/Rerank.Engine.Tests -c Release --nologo --no-build --filter "$filter" >"$log" 2>&1
status=$?
set -e
grep -E "^(Passed|Failed)!|^  Failed |Error Message|Aborted" "$log" || tail -20 "$log"
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' "$log" | head -1)
skipped=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' "$log" | head -1)
rm -f "$log"
if [ "$status" -ne 0 ] || [ "${passed:-0}" -eq 0 ] || [ "${skipped:-0}" -ne 0 ]; then
  echo "CUDA emulation: FAILED (exit $status, ${passed:-0} passed, ${skipped:-0} skipped: a skip means the emulated driver did not load)" >&2
  exit 1
fi
echo "CUDA emulation: ${passed} passed"
