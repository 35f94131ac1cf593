// A CPU emulation of the CUDA built-ins the Rerank kernels use (run.sh); not a CUDA implementation, a test aid.
#include <cmath>
#include <cstring>
#include <thread>
#include <barrier>
#include <vector>
#include <mutex>
#include <functional>
#include <memory>
struct Dim { unsigned x = 1, y = 1, z = 1; };
thread_local Dim threadIdx, blockIdx;
Dim blockDim, gridDim;
struct Warp { std::barrier<> bar{32}; float slots[32]; };
thread_local Warp* tw; thread_local int tlane;
std::barrier<>* blockBar;
std::mutex atomicMutex;
float* g_smem;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __int_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __shfl_xor_sync(unsigned, float v, int o) { tw->slots[tlane] = v; tw->bar.arrive_and_wait(); float r = tw->slots[tlane ^ o]; tw->bar.arrive_and_wait(); return r; }
inline void __syncwarp() { tw->bar.arrive_and_wait(); }
inline void __syncthreads() { blockBar->arrive_and_wait(); }
inline float atomicAdd(float* p, float v) { std::lock_guard<std::mutex> g(atomicMutex); float o = *p; *p = o + v; return o; }
template <class F> void launch(unsigned gx, unsigned gy, unsigned bx, size_t smemBytes, F f)
{
    gridDim = {gx, gy, 1}; blockDim = {bx, 1, 1};
    std::vector<float> smem(smemBytes / 4 + 1); g_smem = smem.data();
    for (unsigned by = 0; by < gy; by++)
        for (unsigned b = 0; b < gx; b++)
        {
            std::barrier<> bar(bx); blockBar = &bar;
            std::vector<std::unique_ptr<Warp>> warps; for (unsigned w = 0; w < bx / 32; w++) warps.emplace_back(new Warp());
            std::vector<std::thread> ts;
            for (unsigned t = 0; t < bx; t++)
                ts.emplace_back([&, t] { threadIdx = {t, 0, 0}; blockIdx = {b, by, 0}; tw = warps[t / 32].get(); tlane = t % 32; f(); });
            for (auto& th : ts) th.join();
        }
}
