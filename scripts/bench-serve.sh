#!/usr/bin/env bash
# The serving benchmarks of docs/serving.md: initial + MMR (N = 50, L = 10) and NAR4Rec (N = 60, L = 6), 8 clients over
# loopback. Run it on an otherwise idle machine; results also go to out/bench-serve/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build host/Rerank.Cli -c Release -v quiet -nologo
rerank() { dotnet host/Rerank.Cli/bin/Release/net10.0/rerank.dll "$@"; }
out=out/bench-serve
rm -rf "$out" && mkdir -p "$out/nar4rec"
cp benchmarks/serve/nar4rec/*.yaml "$out/nar4rec/"
rerank run benchmarks/serve/nar4rec-weights.yaml --out "$out/weights" > "$out/weights.log"
rerank bench serve --out "$out/initial-mmr.json"
for pipeline in nar4rec nar4rec-single-pass; do
  rerank bench serve --pipelines "$out/nar4rec" --pipeline "$pipeline" --candidates 60 --slate-size 6 --out "$out/$pipeline.json"
done
