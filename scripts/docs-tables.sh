#!/usr/bin/env bash
# Regenerates the results tables marked in docs/*.md and README.md from the results files they name:
#   <!-- results: out/sortgen/results.json columns: pipeline,utility,hr@1% -->
#   …table, rewritten…
#   <!-- /results -->
# Run the experiments first (`rerank run experiments/X.yaml --out out/X`). A missing results file is an error naming it
# (exit 2) and that table is left as it was; the other tables are still regenerated. `git diff docs` shows what moved.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t pages < <(grep -l '<!-- *results:' docs/*.md README.md 2>/dev/null || true)
if [ "${#pages[@]}" -eq 0 ]; then
  echo "no marked tables"
  exit 0
fi
dotnet run --project host/Rerank.Cli -c Release -- report --update-docs "${pages[@]}"
