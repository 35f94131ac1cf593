#!/usr/bin/env bash
# Runs the CUDA kernels on the CPU (no GPU, no CUDA toolkit; needs g++ with C++20) against plain-loop references:
# catches indexing, broadcasting, masking and warp-reduction mistakes before a GPU is at hand. See docs/gpu.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$here/gen-kernels.sh" > "$work/kernels.gen.cpp"
cp "$here/emu.h" "$here/kernel_tests.cpp" "$work/"
g++ -std=c++20 -O1 -pthread "$work/kernel_tests.cpp" -o "$work/kernel_tests"
"$work/kernel_tests"
