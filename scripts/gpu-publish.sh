#!/usr/bin/env bash
# Publishes rerank self-contained for linux-x64 into artifacts/gpu/ so a GPU host without .NET can run, from that
# folder alone:   ./rerank gpu info && ./rerank gpu check && ./rerank bench gpu
# the xunit GPU tests:  ./rerank-gpu-tests          (tests/Rerank.GpuTests: the Cuda and Gpu test classes, in process)
# and experiments:  ./rerank run experiments/nar4rec-gpu.yaml --out out/nar4rec-gpu
# or all of these in one go, logs kept:  ./verify.sh
# Layout: the runtime and rerank in artifacts/gpu/, the shipped plugins in artifacts/gpu/artifacts/plugins/ (found
# automatically: the host looks for artifacts/plugins above its own folder), pipelines/ and experiments/ beside them.
# Copy or rsync artifacts/gpu/ to the GPU host; see docs/gpu.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/gpu}
rm -rf "$out"
dotnet publish host/Rerank.Cli/Rerank.Cli.csproj -c Release -r linux-x64 --self-contained -o "$out" --nologo
# The GPU test runner shares the runtime: its files are added beside rerank's, never replacing one (rerank's own
# deps.json and runtimeconfig.json must stay; the shared assemblies come from the same sources).
tests=$(mktemp -d)
trap 'rm -rf "$tests"' EXIT
dotnet publish tests/Rerank.GpuTests/Rerank.GpuTests.csproj -c Release -r linux-x64 --self-contained -o "$tests" --nologo
cp -rn "$tests"/. "$out"/
# The publish build lays the plugins out under artifacts/plugins/<id>/<version>/ (Directory.Build.props). The onnx plugin
# is laid out again on ONNX Runtime's CUDA 13 build, so `execution_provider: cuda` can run there (docs/onnx.md).
dotnet build plugins/Onnx/Onnx.csproj -c Release -p:OnnxGpu=true --nologo -v q
mkdir -p "$out/artifacts"
cp -r artifacts/plugins "$out/artifacts/plugins"
cp -r pipelines experiments "$out/"
cp scripts/gpu-verify.sh "$out/verify.sh"
echo "published to $out ($(du -sh "$out" | cut -f1)); try: DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 $out/rerank gpu info"
