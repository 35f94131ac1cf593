#!/usr/bin/env bash
# Builds a fake libcuda.so.1 and libcublas.so.12 into DIR (default: a temp folder, printed): the driver API over host
# memory, every kernel run on CPU threads through emu.h, a reference column-major SGEMM. With the real NVRTC present,
#   RERANK_CUDA_PATH=DIR rerank gpu check
#   RERANK_CUDA_PATH=DIR dotnet test tests/Rerank.Engine.Tests -c Release --filter "FullyQualifiedName~Cuda"
# exercise the whole C# backend (bindings, argument marshalling, cuBLAS mapping, device moves) without a GPU.
# A test aid only: it proves the host side and the kernels' logic, not GPU performance or the real driver.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
k="$here/../../engine/Rerank.Engine/Backends/Cuda/Kernels"
out=${1:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo '#include "emu.h"'
  sed 's/#define RR_NEG_INF __int_as_float(0xff800000)/#define RR_NEG_INF (-INFINITY)/' "$k/common.cuh"
  for f in elementwise softmax indexing training attention; do
    sed 's/extern __shared__ float smem\[\];/float* smem = g_smem;/; s/extern "C" //' "$k/$f.cu"
  done
} > "$work/kernels.gen.cpp"
python3 "$here/wrappers.py" "$k"/*.cu > "$work/wrappers.gen.cpp"
cp "$here/emu.h" "$here/fake_cuda.cpp" "$here/fake_cublas.cpp" "$work/"
g++ -std=c++20 -O2 -pthread -shared -fPIC "$work/fake_cuda.cpp" -o "$out/libcuda.so.1"
g++ -std=c++20 -O2 -shared -fPIC "$work/fake_cublas.cpp" -o "$out/libcublas.so.12"
echo "$out"
