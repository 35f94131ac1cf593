#!/usr/bin/env bash
# The off-policy check across logging temperatures and log sizes (docs/off-policy.md, "Across logging temperatures and
# log sizes"): experiments/ope-check.yaml with the simulator's logging temperature T and its number of logged test
# requests n overridden, one run per setting, each into OUT/<name> (default OUT: out/ope-sweep), three seeds each:
#   sizes          T = 0.5 with n = 10 000, 100 000 and 1 000 000
#   temperatures   n = 100 000 with T = 0.25, 1 and 2 (T = 0.5 is the size row)
# Then `bash scripts/docs-tables.sh` rewrites the tables marked 'off_policy: sweep:…' in docs/off-policy.md.
# Usage: bash scripts/ope-sweep.sh [OUT] [NAME …]   (names: n10k n100k n1m t0.25 t1 t2; default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/ope-sweep}
shift || true
names=("$@")
if [ "${#names[@]}" -eq 0 ]; then
  names=(n10k n100k n1m t0.25 t1 t2)
fi

dotnet build host/Rerank.Cli -c Release -v q -nologo
for name in "${names[@]}"; do
  case "$name" in
    n10k) set=(--set logging_temperature=0.5 --set test_requests=10000) ;;
    n100k) set=(--set logging_temperature=0.5 --set test_requests=100000) ;;
    n1m) set=(--set logging_temperature=0.5 --set test_requests=1000000) ;;
    t0.25) set=(--set logging_temperature=0.25 --set test_requests=100000) ;;
    t1) set=(--set logging_temperature=1 --set test_requests=100000) ;;
    t2) set=(--set logging_temperature=2 --set test_requests=100000) ;;
    *) echo "ope-sweep: unknown setting '$name' (one of n10k n100k n1m t0.25 t1 t2)" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  dotnet run --no-build --project host/Rerank.Cli -c Release -- run experiments/ope-check.yaml "${set[@]}" --out "$out/$name"
  echo "ope-sweep: $name done in $(( $(date +%s) - start )) s"
done
