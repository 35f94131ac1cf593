#!/usr/bin/env bash
# Builds a fake libcuda.so.1, libcublas.so.12 and libnvrtc.so into DIR (default: a temp folder, printed): the driver API
# over host memory (streams, graph capture and replay, pinned host memory), every kernel run on CPU threads through
# emu.h, a reference column-major SGEMM queued on its handle's stream, and an NVRTC that only lists the kernels. Then
#   RERANK_CUDA_PATH=DIR rerank gpu check
#   RERANK_CUDA_PATH=DIR dotnet test tests/Rerank.Engine.Tests -c Release --filter "FullyQualifiedName~Cuda"
# exercise the whole C# backend (bindings, argument marshalling, cuBLAS mapping, device moves, CUDA graphs) without a
# GPU or a CUDA toolkit (scripts/cuda-emulation.sh runs them).
# A test aid only: it proves the host side and the kernels' logic, not GPU performance or the real driver.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
k="$here/../../engine/Rerank.Engine/Backends/Cuda/Kernels"
out=${1:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$here/gen-kernels.sh" > "$work/kernels.gen.cpp"
python3 "$here/wrappers.py" "$k"/*.cu > "$work/wrappers.gen.cpp"
cp "$here/emu.h" "$here/fake_cuda.cpp" "$here/fake_cublas.cpp" "$here/fake_nvrtc.cpp" "$work/"
g++ -std=c++20 -O2 -pthread -shared -fPIC -Wl,-soname,libcuda.so.1 "$work/fake_cuda.cpp" -o "$out/libcuda.so.1"
g++ -std=c++20 -O2 -shared -fPIC "$work/fake_cublas.cpp" -o "$out/libcublas.so.12" -L"$out" -l:libcuda.so.1 -Wl,-rpath,'$ORIGIN'
g++ -std=c++20 -O2 -shared -fPIC "$work/fake_nvrtc.cpp" -o "$out/libnvrtc.so"
echo "$out"
