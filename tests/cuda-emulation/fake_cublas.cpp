// A fake libcublas.so.12: column-major reference SGEMM (BLAS semantics), queued on the handle's stream through the
// fake driver (so a GEMM is recorded while that stream is capturing a graph). Test aid only.
#include <cstddef>
#include <functional>
int rrfake_submit(void* stream, std::function<void()> f);
struct Handle { void* stream = nullptr; };
extern "C" {
int cublasCreate_v2(void** h) { *h = new Handle(); return 0; }
int cublasDestroy_v2(void* h) { delete (Handle*)h; return 0; }
int cublasGetVersion_v2(void*, int* v) { *v = 130000; return 0; }
int cublasSetStream_v2(void* h, void* s) { ((Handle*)h)->stream = s; return 0; }
static void gemm(int ta, int tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc)
{
    for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) {
        double acc = 0;
        for (int l = 0; l < k; l++) acc += (double)(ta ? A[l + (size_t)i * lda] : A[i + (size_t)l * lda]) * (tb ? B[j + (size_t)l * ldb] : B[l + (size_t)j * ldb]);
        C[i + (size_t)j * ldc] = (float)(alpha * acc + (beta == 0 ? 0.0 : beta * C[i + (size_t)j * ldc]));
    }
}
int cublasSgemm_v2(void* h, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc)
{
    if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7;
    float a = *alpha, b = *beta; // host pointer mode: read at the call, as cuBLAS does
    return rrfake_submit(((Handle*)h)->stream, [=] { gemm(ta, tb, m, n, k, a, A, lda, B, ldb, b, C, ldc); }) ? 13 : 0;
}
int cublasSgemmStridedBatched(void* h, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda, long long sa, const float* B, int ldb, long long sb, const float* beta, float* C, int ldc, long long sc, int batches)
{
    if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7;
    float a = *alpha, b = *beta;
    return rrfake_submit(((Handle*)h)->stream, [=] { for (int i = 0; i < batches; i++) gemm(ta, tb, m, n, k, a, A + i * sa, lda, B + i * sb, ldb, b, C + i * sc, ldc); }) ? 13 : 0;
}
}
