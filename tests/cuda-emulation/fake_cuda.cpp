// A fake libcuda.so.1 over host memory: every kernel of kernels.gen.cpp runs through emu.h. Test aid only.
#include <map>
#include <string>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
typedef void (*Call)(void**);
static std::map<std::string, Call>& table() { static std::map<std::string, Call> t; return t; }
#include "kernels.gen.cpp"
#include "wrappers.gen.cpp"
typedef int CUresult;
typedef unsigned long long CUdeviceptr;
extern "C" {
CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int* v) { *v = 12040; return 0; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return 0; }
CUresult cuDeviceGet(int* d, int o) { *d = o; return 0; }
CUresult cuDeviceGetName(char* name, int len, int) { snprintf(name, len, "Emulated GPU (CPU threads)"); return 0; }
CUresult cuDeviceGetAttribute(int* v, int attr, int) { *v = attr == 75 ? 8 : attr == 76 ? 0 : attr == 16 ? 1 : 0; return 0; }
CUresult cuDeviceTotalMem_v2(size_t* b, int) { *b = 1ull << 30; return 0; }
CUresult cuDevicePrimaryCtxRetain(void** c, int) { *c = (void*)0x1; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void*) { return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t n) { void* m = calloc(1, n); memset(m, 0xAB, n); *p = (CUdeviceptr)m; return m ? 0 : 2; }
CUresult cuMemFree_v2(CUdeviceptr p) { free((void*)p); return 0; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void* s, size_t n, void*) { memcpy((void*)d, s, n); return 0; }
CUresult cuMemcpyDtoHAsync_v2(void* d, CUdeviceptr s, size_t n, void*) { memcpy(d, (void*)s, n); return 0; }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, void*) { memmove((void*)d, (void*)s, n); return 0; }
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned v, size_t n, void*) { unsigned* p = (unsigned*)d; for (size_t i = 0; i < n; i++) p[i] = v; return 0; }
CUresult cuStreamCreate(void** s, unsigned) { *s = (void*)0x2; return 0; }
CUresult cuStreamDestroy_v2(void*) { return 0; }
CUresult cuStreamSynchronize(void*) { return 0; }
CUresult cuEventCreate(void** e, unsigned) { *e = (void*)0x3; return 0; }
CUresult cuEventDestroy_v2(void*) { return 0; }
CUresult cuEventRecord(void*, void*) { return 0; }
CUresult cuEventSynchronize(void*) { return 0; }
CUresult cuEventElapsedTime(float* ms, void*, void*) { *ms = 0; return 0; }
CUresult cuModuleLoadData(void** m, const void* image) { *m = (void*)0x4; return image ? 0 : 1; }
CUresult cuModuleUnload(void*) { return 0; }
CUresult cuModuleGetFunction(void** f, void*, const char* name) { auto it = table().find(name); if (it == table().end()) return 500; *f = (void*)it->second; return 0; }
CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared, void*, void** params, void** extra)
{
    if (gz != 1 || by != 1 || bz != 1 || extra || bx % 32 || shared > 48 * 1024) return 1;
    Call c = (Call)f;
    static std::mutex one; // the emulator's launch state is global: one kernel at a time (a stream is ordered anyway)
    std::lock_guard<std::mutex> g(one);
    launch(gx, gy, bx, shared, [&] { c(params); });
    return 0;
}
CUresult cuGetErrorString(int, const char** s) { *s = "fake error"; return 0; }
CUresult cuGetErrorName(int, const char** s) { *s = "CUDA_ERROR_FAKE"; return 0; }
}
