// A fake libcuda.so.1 over host memory: every kernel of kernels.gen.cpp runs through emu.h. Test aid only.
// Streams are real objects; stream capture records every launch (parameters copied by value, as the driver does),
// copy and memset into a graph that cuGraphLaunch replays in order, and refuses what the real driver refuses while a
// stream is capturing: synchronising it, copies to or from pageable host memory (only cuMemHostAlloc'd memory may be
// captured), cuMemAlloc outside relaxed capture mode. A refused call invalidates the capture (cuStreamEndCapture then
// fails), so a test proves the host code captures only what a GPU would replay.
#include <map>
#include <set>
#include <string>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <vector>
#include <functional>
typedef void (*Call)(void**);
static std::map<std::string, Call>& table() { static std::map<std::string, Call> t; return t; }
static std::map<Call, std::vector<size_t>>& sizes() { static std::map<Call, std::vector<size_t>> s; return s; }
#include "kernels.gen.cpp"
#include "wrappers.gen.cpp"
typedef int CUresult;
typedef unsigned long long CUdeviceptr;
enum { Unsupported = 900, Invalidated = 901, NotPermitted = 800 };
struct FakeStream { bool capturing = false; bool invalid = false; int mode = 0; std::vector<std::function<void()>> nodes; };
struct FakeGraph { std::vector<std::function<void()>> nodes; };
static std::mutex g_state;
static std::set<FakeStream*> g_streams;
static std::map<uintptr_t, size_t> g_pinned;
static bool pinned(const void* p, size_t n)
{
    std::lock_guard<std::mutex> g(g_state);
    auto it = g_pinned.upper_bound((uintptr_t)p);
    if (it == g_pinned.begin()) return false;
    --it;
    return (uintptr_t)p + n <= it->first + it->second;
}
static bool anyStrictCapture()
{
    std::lock_guard<std::mutex> g(g_state);
    for (auto* s : g_streams) if (s->capturing && s->mode != 2) return true;
    return false;
}
// Runs f now, or records it when the stream is capturing; refused (and the capture invalidated) when !capturable.
static CUresult submit(void* stream, bool capturable, std::function<void()> f)
{
    auto* s = (FakeStream*)stream;
    if (s && s->capturing)
    {
        if (!capturable) { s->invalid = true; return Unsupported; }
        s->nodes.push_back(std::move(f));
        return 0;
    }
    f();
    return 0;
}
// For the fake cuBLAS (linked against this library): queue a GEMM on a stream the same way.
int rrfake_submit(void* stream, std::function<void()> f) { return submit(stream, true, std::move(f)); }
extern "C" {
CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return 0; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return 0; }
CUresult cuDeviceGet(int* d, int o) { *d = o; return 0; }
CUresult cuDeviceGetName(char* name, int len, int) { snprintf(name, len, "Emulated GPU (CPU threads)"); return 0; }
CUresult cuDeviceGetAttribute(int* v, int attr, int) { *v = attr == 75 ? 8 : attr == 76 ? 0 : attr == 16 ? 1 : 0; return 0; }
CUresult cuDeviceTotalMem_v2(size_t* b, int) { *b = 1ull << 30; return 0; }
CUresult cuDevicePrimaryCtxRetain(void** c, int) { *c = (void*)0x1; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void*) { return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t n)
{
    if (anyStrictCapture()) return Unsupported;
    void* m = calloc(1, n); if (!m) return 2; memset(m, 0xAB, n); *p = (CUdeviceptr)m; return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) { if (anyStrictCapture()) return Unsupported; free((void*)p); return 0; }
CUresult cuMemHostAlloc(void** p, size_t n, unsigned) { *p = calloc(1, n ? n : 1); std::lock_guard<std::mutex> g(g_state); g_pinned[(uintptr_t)*p] = n; return *p ? 0 : 2; }
CUresult cuMemFreeHost(void* p) { { std::lock_guard<std::mutex> g(g_state); g_pinned.erase((uintptr_t)p); } free(p); return 0; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void* s, size_t n, void* st) { return submit(st, pinned(s, n), [=] { memcpy((void*)d, s, n); }); }
CUresult cuMemcpyDtoHAsync_v2(void* d, CUdeviceptr s, size_t n, void* st) { return submit(st, pinned(d, n), [=] { memcpy(d, (void*)s, n); }); }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, void* st) { return submit(st, true, [=] { memmove((void*)d, (void*)s, n); }); }
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned v, size_t n, void* st) { return submit(st, true, [=] { unsigned* p = (unsigned*)d; for (size_t i = 0; i < n; i++) p[i] = v; }); }
CUresult cuStreamCreate(void** s, unsigned) { auto* f = new FakeStream(); std::lock_guard<std::mutex> g(g_state); g_streams.insert(f); *s = f; return 0; }
CUresult cuStreamDestroy_v2(void* s) { { std::lock_guard<std::mutex> g(g_state); g_streams.erase((FakeStream*)s); } delete (FakeStream*)s; return 0; }
CUresult cuCtxSynchronize() { std::lock_guard<std::mutex> g(g_state); for (auto* s : g_streams) if (s->capturing) { s->invalid = true; return Unsupported; } return 0; }
CUresult cuStreamSynchronize(void* s) { auto* f = (FakeStream*)s; if (f && f->capturing) { f->invalid = true; return Unsupported; } return 0; }
CUresult cuStreamBeginCapture_v2(void* s, int mode)
{
    auto* f = (FakeStream*)s;
    if (!f || f->capturing) return 1;
    f->capturing = true; f->invalid = false; f->mode = mode; f->nodes.clear();
    return 0;
}
CUresult cuStreamEndCapture(void* s, void** graph)
{
    auto* f = (FakeStream*)s;
    if (!f || !f->capturing) return 1;
    f->capturing = false;
    *graph = nullptr;
    if (f->invalid) { f->nodes.clear(); return Invalidated; }
    auto* g = new FakeGraph(); g->nodes.swap(f->nodes); *graph = g;
    return 0;
}
CUresult cuStreamIsCapturing(void* s, int* status) { auto* f = (FakeStream*)s; *status = !f || !f->capturing ? 0 : f->invalid ? 2 : 1; return 0; }
CUresult cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long) { auto* g = new FakeGraph(*(FakeGraph*)graph); *exec = g; return 0; }
CUresult cuGraphLaunch(void* exec, void* s)
{
    auto* f = (FakeStream*)s;
    if (f && f->capturing) { f->invalid = true; return Unsupported; }
    for (auto& node : ((FakeGraph*)exec)->nodes) node();
    return 0;
}
CUresult cuGraphExecDestroy(void* exec) { delete (FakeGraph*)exec; return 0; }
CUresult cuGraphDestroy(void* graph) { delete (FakeGraph*)graph; return 0; }
CUresult cuEventCreate(void** e, unsigned) { *e = (void*)0x3; return 0; }
CUresult cuEventDestroy_v2(void*) { return 0; }
CUresult cuEventRecord(void*, void*) { return 0; }
CUresult cuEventSynchronize(void*) { return 0; }
CUresult cuEventElapsedTime(float* ms, void*, void*) { *ms = 0; return 0; }
CUresult cuModuleLoadData(void** m, const void* image) { *m = (void*)0x4; return image ? 0 : 1; }
CUresult cuModuleUnload(void*) { return 0; }
CUresult cuModuleGetFunction(void** f, void*, const char* name) { auto it = table().find(name); if (it == table().end()) return 500; *f = (void*)it->second; return 0; }
CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared, void* stream, void** params, void** extra)
{
    if (gz != 1 || by != 1 || bz != 1 || extra || bx % 32 || shared > 48 * 1024) return 1;
    Call c = (Call)f;
    // the parameters are read now (by value), as the driver does: the caller's stack may be gone at replay
    const auto& sz = sizes()[c];
    std::vector<std::vector<char>> saved;
    for (size_t i = 0; i < sz.size(); i++) saved.emplace_back((char*)params[i], (char*)params[i] + sz[i]);
    return submit(stream, true, [=] {
        std::vector<void*> a;
        for (auto& p : saved) a.push_back((void*)p.data());
        static std::mutex one; // the emulator's launch state is global: one kernel at a time (a stream is ordered anyway)
        std::lock_guard<std::mutex> g(one);
        launch(gx, gy, bx, shared, [&] { c(a.data()); });
    });
}
CUresult cuGetErrorString(int r, const char** s) { *s = r == Unsupported ? "operation not permitted when stream is capturing" : r == Invalidated ? "operation failed due to a previous error during capture" : "fake error"; return 0; }
CUresult cuGetErrorName(int r, const char** s) { *s = r == Unsupported ? "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED" : r == Invalidated ? "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED" : "CUDA_ERROR_FAKE"; return 0; }
}
