#!/usr/bin/env bash
# Runs on a GPU host from scripts/gpu-publish.sh's folder (copied there as verify.sh), with no .NET installed:
#   ./verify.sh [LOGDIR]    (default: verify-logs/)
# gpu info, every kernel against the CPU backend (gpu check), the xunit GPU tests (rerank-gpu-tests, CUDA graph tests
# included), the benchmark at B = 1, 16, 64, 256, 1024, 4096 (bench gpu: engine CPU vs engine CUDA eager and replaying
# CUDA graphs vs PyTorch eager and with CUDA graphs where torch is installed), the exported NAR4Rec scorer on the
# engine and ONNX Runtime, CPU and CUDA (bench onnx --cuda) and the NAR4Rec GPU experiment.
# Each step's output goes to LOGDIR; exit 1 when the kernel checks or the GPU tests fail, 3 when there is no GPU.
set -uo pipefail
cd "$(dirname "$0")"
logs=${1:-verify-logs}
mkdir -p "$logs"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}
step() { echo "=== $1 ($(date +%T))"; }
step "gpu info"
./rerank gpu info 2>&1 | tee "$logs/gpu-info.txt"
if grep -q "no GPU" "$logs/gpu-info.txt"; then
  echo "no usable GPU (see above); set RERANK_CUDA_PATH to the folders holding libnvrtc and libcublas if they are elsewhere" >&2
  exit 3
fi
step "gpu check"
./rerank gpu check 2>&1 | tee "$logs/gpu-check.txt"
check=${PIPESTATUS[0]}
step "GPU tests"
./rerank-gpu-tests 2>&1 | tee "$logs/gpu-tests.txt" | grep -v "^Passed "
tests=${PIPESTATUS[0]}
for b in 1 16 64 256 1024 4096; do
  step "bench gpu B = $b"
  ./rerank bench gpu --batch "$b" --seconds 0.5 --out "$logs/bench-gpu-b$b.json" 2>&1 | tee "$logs/bench-gpu-b$b.txt"
done
step "bench onnx (engine vs ONNX Runtime, CPU and CUDA)"
./rerank bench onnx --cuda --threads "$(nproc)" 2>&1 | tee "$logs/bench-onnx.txt"
step "experiment nar4rec-gpu"
./rerank run experiments/nar4rec-gpu.yaml --out "$logs/nar4rec-gpu" 2>&1 | tee "$logs/nar4rec-gpu.txt"
echo "gpu check exit $check, GPU tests exit $tests; logs in $logs/"
[ "$check" -eq 0 ] && [ "$tests" -eq 0 ]
