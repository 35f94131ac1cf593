#!/usr/bin/env bash
# Writes to stdout the kernels as one C++ translation unit for emu.h (run.sh, build-fake-libs.sh): common.cuh and every
# .cu file, with the two CUDA-only spellings replaced (−∞ by its <cmath> name, the extern shared buffer by emu.h's).
set -euo pipefail
k="$(cd "$(dirname "$0")" && pwd)/../../engine/Rerank.Engine/Backends/Cuda/Kernels"
echo '#include "emu.h"'
sed 's/#define RR_NEG_INF __int_as_float(0xff800000)/#define RR_NEG_INF (-INFINITY)/' "$k/common.cuh"
for f in elementwise softmax indexing training attention; do
  sed 's/extern __shared__ float smem\[\];/float* smem = g_smem;/; s/extern "C" //' "$k/$f.cu"
done
