// A fake libnvrtc.so: "compiles" a source to a PTX-shaped text with one .entry per extern "C" __global__ kernel (the
// fake driver ignores the image and runs the kernels from their C++ build), so the emulated backend starts where no
// CUDA toolkit is installed. It checks nothing of the CUDA C: the kernels' logic is compiled by g++ (run.sh,
// build-fake-libs.sh) and, on a real NVRTC, by KernelCompilerTests. Test aid only.
#include <cstring>
#include <regex>
#include <string>
struct Program { std::string source, ptx; };
extern "C" {
int nvrtcVersion(int* major, int* minor) { *major = 13; *minor = 0; return 0; }
int nvrtcGetNumSupportedArchs(int* n) { *n = 1; return 0; }
int nvrtcGetSupportedArchs(int* a) { a[0] = 80; return 0; }
int nvrtcCreateProgram(void** p, const char* src, const char*, int, const char* const*, const char* const*) { *p = new Program{src, ""}; return 0; }
int nvrtcCompileProgram(void* p, int, const char* const*)
{
    auto* prog = (Program*)p;
    std::regex entry("extern \"C\" __global__ void (\\w+)\\(");
    prog->ptx = "// fake PTX (tests/cuda-emulation/fake_nvrtc.cpp)\n.version 8.0\n.target sm_80\n";
    for (std::sregex_iterator it(prog->source.begin(), prog->source.end(), entry), end; it != end; ++it)
        prog->ptx += ".visible .entry " + (*it)[1].str() + "()\n{\n}\n";
    return 0;
}
int nvrtcDestroyProgram(void** p) { delete (Program*)*p; *p = nullptr; return 0; }
int nvrtcGetProgramLogSize(void*, size_t* n) { *n = 1; return 0; }
int nvrtcGetProgramLog(void*, char* log) { log[0] = 0; return 0; }
int nvrtcGetPTXSize(void* p, size_t* n) { *n = ((Program*)p)->ptx.size() + 1; return 0; }
int nvrtcGetPTX(void* p, char* out) { std::memcpy(out, ((Program*)p)->ptx.c_str(), ((Program*)p)->ptx.size() + 1); return 0; }
const char* nvrtcGetErrorString(int) { return "NVRTC_ERROR (fake)"; }
}
