#!/usr/bin/env bash
# The README's test command: builds the solution (laying out plugins), runs every test project, then walks a third-party
# plugin author's path end to end (scripts/pack.sh, then scripts/sdk-e2e.sh: template → test → pack → check → install →
# run, in an empty temp folder; RERANK_SKIP_E2E=1 skips it) and runs the CUDA backend's graph tests on the emulated
# driver (scripts/cuda-emulation.sh; needs g++, which .ci/run installs). Extra arguments go to `dotnet test`.
# Prints one closing line "Tests: N passed, N failed, N skipped" summed over all test assemblies, with the end-to-end
# and emulation results.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test Framework.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=0; failed=0; skipped=0
while IFS= read -r line; do
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line"); f=$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line"); s=$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^(Passed|Failed)! ' "$log")
rm -f "$log"

e2e="skipped (RERANK_SKIP_E2E=1)"
if [ "$status" -ne 0 ] || [ "$passed" -eq 0 ]; then
  e2e="not run (the tests failed)"
elif [ "${RERANK_SKIP_E2E:-0}" != "1" ]; then
  echo
  echo "== plugin SDK end to end: scripts/pack.sh, scripts/sdk-e2e.sh"
  if bash scripts/pack.sh && bash scripts/sdk-e2e.sh; then e2e="passed"; else e2e="FAILED"; status=1; fi
fi

emulation="not run (the tests failed)"
if [ "$status" -eq 0 ] && [ "$passed" -gt 0 ]; then
  if command -v g++ >/dev/null 2>&1; then
    echo
    echo "== CUDA backend on the emulated driver: scripts/cuda-emulation.sh"
    if out=$(bash scripts/cuda-emulation.sh 2>&1); then emulation=$(tail -1 <<<"$out" | sed 's/^CUDA emulation: //'); else emulation="FAILED"; status=1; fi
    echo "$out"
  elif [ "${CI:-}" = "true" ]; then
    emulation="FAILED (g++ missing; .ci/run installs it)"; status=1
  else
    emulation="skipped (no g++: apt-get install g++)"
  fi
fi

echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped; plugin SDK end to end: ${e2e}; CUDA emulation: ${emulation}"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
