// A fake libcublas.so.12: column-major reference SGEMM (BLAS semantics). Test aid only.
#include <cstddef>
extern "C" {
int cublasCreate_v2(void** h) { *h = (void*)0x5; return 0; }
int cublasDestroy_v2(void*) { return 0; }
int cublasGetVersion_v2(void*, int* v) { *v = 120000; return 0; }
int cublasSetStream_v2(void*, void*) { return 0; }
static void gemm(int ta, int tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc)
{
    for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) {
        double acc = 0;
        for (int l = 0; l < k; l++) acc += (double)(ta ? A[l + (size_t)i * lda] : A[i + (size_t)l * lda]) * (tb ? B[j + (size_t)l * ldb] : B[l + (size_t)j * ldb]);
        C[i + (size_t)j * ldc] = (float)(alpha * acc + (beta == 0 ? 0.0 : beta * C[i + (size_t)j * ldc]));
    }
}
int cublasSgemm_v2(void*, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc)
{ if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7; gemm(ta, tb, m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc); return 0; }
int cublasSgemmStridedBatched(void*, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda, long long sa, const float* B, int ldb, long long sb, const float* beta, float* C, int ldc, long long sc, int batches)
{ if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7; for (int b = 0; b < batches; b++) gemm(ta, tb, m, n, k, *alpha, A + b * sa, lda, B + b * sb, ldb, *beta, C + b * sc, ldc); return 0; }
}
