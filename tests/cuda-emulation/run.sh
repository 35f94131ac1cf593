#!/usr/bin/env bash
# Runs the CUDA kernels on the CPU (no GPU, no CUDA toolkit; needs g++ with C++20) against plain-loop references:
# catches indexing, broadcasting, masking and warp-reduction mistakes before a GPU is at hand. See docs/gpu.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
k="$here/../../engine/Rerank.Engine/Backends/Cuda/Kernels"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  echo '#include "emu.h"'
  sed 's/#define RR_NEG_INF __int_as_float(0xff800000)/#define RR_NEG_INF (-INFINITY)/' "$k/common.cuh"
  for f in elementwise softmax indexing training attention; do
    sed 's/extern __shared__ float smem\[\];/float* smem = g_smem;/; s/extern "C" //' "$k/$f.cu"
  done
} > "$work/kernels.gen.cpp"
cp "$here/emu.h" "$here/kernel_tests.cpp" "$work/"
g++ -std=c++20 -O1 -pthread "$work/kernel_tests.cpp" -o "$work/kernel_tests"
"$work/kernel_tests"
