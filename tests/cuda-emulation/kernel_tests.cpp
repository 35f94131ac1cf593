// Reference checks of the CUDA kernels (engine/Rerank.Engine/Backends/Cuda/Kernels) run on the CPU through emu.h:
// each block runs its threads as OS threads, warps synchronise through barriers, so warp shuffles, __syncthreads
// and shared memory behave as on a GPU. References are plain loops following the CPU backend's semantics.
#include "kernels.gen.cpp"
#include <cstdio>
#include <random>
#include <algorithm>
static std::mt19937 rng(42);
static std::vector<float> randn(size_t n) { std::normal_distribution<float> d; std::vector<float> v(n); for (auto& x : v) x = d(rng); return v; }
static std::vector<float> mask01(size_t n, float keep) { std::uniform_real_distribution<float> u; std::vector<float> v(n); for (auto& x : v) x = u(rng) < keep ? 1.f : 0.f; return v; }
static int fails = 0;
static void check(const char* name, const std::vector<float>& got, const std::vector<float>& want, double tol = 1e-5)
{
    double worst = 0; for (size_t i = 0; i < want.size(); i++) { if (got[i] == want[i]) continue; if (std::isnan(got[i]) || std::isinf(got[i]) || std::isinf(want[i])) { worst = INFINITY; break; } worst = std::max(worst, std::fabs(got[i] - want[i]) / std::max(1.0, (double)std::fabs(want[i]))); }
    bool ok = worst <= tol; fails += !ok; printf("%-40s %s  max err %.3g\n", name, ok ? "ok  " : "FAIL", worst);
}
static RrWalk walk(std::vector<int> dims) { RrWalk w{}; w.rank = dims.size(); for (size_t i = 0; i < dims.size(); i++) w.dims[i] = dims[i]; return w; }
static void bstrides(std::vector<int> small, std::vector<int> big, int* out) { int off = big.size() - small.size(); int s = 1; for (int d = big.size() - 1; d >= 0; d--) { int sd = d - off; out[d] = (sd < 0 || small[sd] == 1) ? 0 : s; if (sd >= 0) s *= small[sd]; } }
static std::vector<int> coords(long long i, const std::vector<int>& dims) { std::vector<int> c(dims.size()); for (int d = dims.size() - 1; d >= 0; d--) { c[d] = i % dims[d]; i /= dims[d]; } return c; }
static long long bindex(const std::vector<int>& c, const std::vector<int>& small) { int off = c.size() - small.size(); long long idx = 0; for (size_t d = 0; d < small.size(); d++) idx = idx * small[d] + (small[d] == 1 ? 0 : c[d + off]); return idx; }
static long long prod(const std::vector<int>& d) { long long p = 1; for (int x : d) p *= x; return p; }

int main()
{
    { // binary broadcast a [4,1,5,7] - b [3,1,7]
        std::vector<int> ya{4, 3, 5, 7}, as{4, 1, 5, 7}, bs{3, 1, 7};
        auto a = randn(prod(as)), b = randn(prod(bs)); int n = prod(ya); std::vector<float> y(n), want(n);
        RrWalk w = walk(ya); bstrides(as, ya, w.s0); bstrides(bs, ya, w.s1);
        launch(2, 1, 256, 0, [&] { rr_binary_broadcast(1, n, a.data(), b.data(), y.data(), w); });
        for (int i = 0; i < n; i++) { auto c = coords(i, ya); want[i] = a[bindex(c, as)] - b[bindex(c, bs)]; }
        check("binary_broadcast sub", y, want, 0);
    }
    { // reduce_to_shape src [4,3,5,7] -> dst [3,1,7]
        std::vector<int> ss{4, 3, 5, 7}, ds{3, 1, 7};
        auto s = randn(prod(ss)); int dc = prod(ds); std::vector<float> d(dc, 0.f), want(dc, 0.f);
        RrWalk w = walk(ss); int dst[6]; bstrides(ds, ss, dst);
        long long st = 1; for (int k = ss.size() - 1; k >= 0; k--) { w.s0[k] = st; st *= ss[k]; w.s1[k] = dst[k] != 0; }
        launch(2, 1, 256, 0, [&] { rr_reduce_to_shape(dc, prod(ss) / dc, s.data(), d.data(), 0, w); });
        for (long long i = 0; i < prod(ss); i++) want[bindex(coords(i, ss), ds)] += s[i];
        check("reduce_to_shape", d, want, 1e-5);
    }
    for (int causal = 0; causal < 2; causal++) for (int logm = 0; logm < 2; logm++)
    { // softmax x [8,6,60] mask [8,1,60] (or causal [3,2,9,12] no mask)
        std::vector<int> xs = causal ? std::vector<int>{3, 2, 9, 12} : std::vector<int>{8, 6, 60}; std::vector<int> ms{8, 1, 60};
        int c = xs.back(), nq = xs[xs.size() - 2]; long long n = prod(xs); int rows = n / c;
        auto x = randn(n); auto m = mask01(prod(ms), 0.7f); if (!causal) for (int j = 0; j < 60; j++) m[60 * 3 + j] = 0; // a fully masked row
        std::vector<float> y(n), want(n);
        RrWalk w = walk(xs); if (!causal) bstrides(ms, xs, w.s0);
        const float* mp = causal ? nullptr : m.data();
        launch(3, 1, 256, 0, [&] { rr_softmax(rows, c, nq, causal, logm, x.data(), mp, y.data(), w); });
        for (int r = 0; r < rows; r++) {
            int limit = causal ? (r % nq) + (c - nq) : c - 1; double mx = -INFINITY;
            auto keep = [&](int j) { if (j > limit) return false; if (!mp) return true; auto cc = coords((long long)r * c + j, xs); return m[bindex(cc, ms)] != 0.f; };
            for (int j = 0; j < c; j++) if (keep(j)) mx = std::max(mx, (double)x[r * c + j]);
            if (std::isinf(mx)) { for (int j = 0; j < c; j++) want[r * c + j] = logm ? -INFINITY : 0.f; continue; }
            double sum = 0; for (int j = 0; j < c; j++) if (keep(j)) sum += std::exp(x[r * c + j] - mx);
            for (int j = 0; j < c; j++) want[r * c + j] = keep(j) ? (logm ? (float)(x[r * c + j] - mx - std::log(sum)) : (float)(std::exp(x[r * c + j] - mx) / sum)) : (logm ? -INFINITY : 0.f);
        }
        char name[64]; snprintf(name, 64, "softmax causal=%d log=%d", causal, logm); check(name, y, want, 2e-5);
        // backward
        auto dy = randn(n); std::vector<float> dx(n, 0.5f), wdx(n, 0.5f);
        launch(2, 1, 256, 0, [&] { rr_softmax_backward(rows, c, logm, y.data(), dy.data(), dx.data()); });
        for (int r = 0; r < rows; r++) { double acc = 0; for (int j = 0; j < c; j++) { float yy = y[r * c + j]; if (logm) acc += std::isinf(yy) ? 0 : dy[r * c + j]; else acc += dy[r * c + j] * yy; }
            for (int j = 0; j < c; j++) { float yy = y[r * c + j]; if (logm) { if (!std::isinf(yy)) wdx[r * c + j] += dy[r * c + j] - std::exp(yy) * acc; } else wdx[r * c + j] += yy * (dy[r * c + j] - acc); } }
        snprintf(name, 64, "softmax_backward causal=%d log=%d", causal, logm); check(name, dx, wdx, 2e-5);
    }
    { // layer norm + backward
        int rows = 70, d = 48; auto x = randn(rows * d), g = randn(d), b = randn(d); std::vector<float> y(rows * d), mean(rows), rstd(rows), wy(rows * d), wm(rows), wr(rows);
        launch(2, 1, 256, 0, [&] { rr_layer_norm(rows, d, 1e-5f, x.data(), g.data(), b.data(), y.data(), mean.data(), rstd.data()); });
        for (int r = 0; r < rows; r++) { double mu = 0; for (int j = 0; j < d; j++) mu += x[r * d + j]; mu /= d; double q = 0; for (int j = 0; j < d; j++) q += (x[r * d + j] - mu) * (x[r * d + j] - mu); double rs = 1 / std::sqrt(q / d + 1e-5);
            wm[r] = mu; wr[r] = rs; for (int j = 0; j < d; j++) wy[r * d + j] = (x[r * d + j] - mu) * rs * g[j] + b[j]; }
        check("layer_norm y", y, wy, 1e-4); check("layer_norm mean", mean, wm, 1e-5); check("layer_norm rstd", rstd, wr, 1e-4);
        auto dy = randn(rows * d); std::vector<float> dx(rows * d, 0.f), dg(d, 1.f), db(d, 2.f), wdx(rows * d, 0.f), wdg(d, 1.f), wdb(d, 2.f);
        launch(2, 1, 256, 0, [&] { rr_layer_norm_backward_input(rows, d, x.data(), g.data(), mean.data(), rstd.data(), dy.data(), dx.data()); });
        launch(3, 1, 256, 0, [&] { rr_layer_norm_backward_params(rows, d, x.data(), mean.data(), rstd.data(), dy.data(), dg.data(), db.data()); });
        for (int r = 0; r < rows; r++) { double s1 = 0, s2 = 0; for (int j = 0; j < d; j++) { double dxh = dy[r * d + j] * g[j]; double xh = (x[r * d + j] - mean[r]) * rstd[r]; s1 += dxh; s2 += dxh * xh; wdg[j] += dy[r * d + j] * xh; wdb[j] += dy[r * d + j]; }
            for (int j = 0; j < d; j++) { double dxh = dy[r * d + j] * g[j]; double xh = (x[r * d + j] - mean[r]) * rstd[r]; wdx[r * d + j] += rstd[r] * (dxh - s1 / d - xh * s2 / d); } }
        check("layer_norm_backward dx", dx, wdx, 1e-4); check("layer_norm_backward dgamma", dg, wdg, 1e-4); check("layer_norm_backward dbeta", db, wdb, 1e-4);
    }
    { // gather / scatter batched
        int B = 4, N = 10, D = 8, K = 6; auto src = randn(B * N * D); std::vector<int> idx(B * K); std::uniform_int_distribution<int> u(-1, N - 1); for (auto& i : idx) i = u(rng);
        std::vector<float> dst(B * K * D), want(B * K * D); int total = B * K * D;
        launch(2, 1, 256, 0, [&] { rr_gather_rows(total, D, N, 1, K, idx.data(), src.data(), dst.data()); });
        for (int i = 0; i < B * K; i++) for (int c = 0; c < D; c++) want[i * D + c] = idx[i] < 0 ? 0.f : src[((i / K) * N + idx[i]) * D + c];
        check("gather_rows batched", dst, want, 0);
        auto dy = randn(total); std::vector<float> ds(B * N * D, 1.f), wds(B * N * D, 1.f);
        launch(2, 1, 256, 0, [&] { rr_scatter_add_rows(total, D, N, 1, K, idx.data(), dy.data(), ds.data()); });
        for (int i = 0; i < B * K; i++) if (idx[i] >= 0) for (int c = 0; c < D; c++) wds[((i / K) * N + idx[i]) * D + c] += dy[i * D + c];
        check("scatter_add_rows", ds, wds, 1e-5);
    }
    { // permute [3,5,4,6] -> 0213
        std::vector<int> ss{3, 5, 4, 6}, perm{0, 2, 1, 3}, ds{3, 4, 5, 6}; auto s = randn(prod(ss)); int n = prod(ds); std::vector<float> d(n), want(n);
        RrWalk w = walk(ds); int sst[4]; long long st = 1; for (int k = 3; k >= 0; k--) { sst[k] = st; st *= ss[k]; } for (int k = 0; k < 4; k++) w.s0[k] = sst[perm[k]];
        launch(2, 1, 256, 0, [&] { rr_permute(n, s.data(), d.data(), 0, w); });
        for (int i = 0; i < n; i++) { auto c = coords(i, ds); std::vector<int> sc(4); for (int k = 0; k < 4; k++) sc[perm[k]] = c[k]; long long si = 0; for (int k = 0; k < 4; k++) si = si * ss[k] + sc[k]; want[i] = s[si]; }
        check("permute 0213", d, want, 0);
    }
    { // reduce / expand axis
        int O = 4, N = 9, I = 6; auto s = randn(O * N * I); std::vector<float> d(O * I, 3.f), want(O * I, 3.f);
        launch(1, 1, 256, 0, [&] { rr_reduce_axis(O, N, I, 0.5f, s.data(), d.data(), 1); });
        for (int o = 0; o < O; o++) for (int i = 0; i < I; i++) { double a = 0; for (int k = 0; k < N; k++) a += s[(o * N + k) * I + i]; want[o * I + i] += 0.5 * a; }
        check("reduce_axis accumulate", d, want, 1e-5);
        auto e = randn(O * I); std::vector<float> x(O * N * I, 1.f), wx(O * N * I, 1.f); int total = O * N * I;
        launch(1, 1, 256, 0, [&] { rr_expand_axis(total, N, I, 2.f, e.data(), x.data(), 0); });
        for (int o = 0; o < O; o++) for (int k = 0; k < N; k++) for (int i = 0; i < I; i++) wx[(o * N + k) * I + i] = 2.f * e[o * I + i];
        check("expand_axis", x, wx, 0);
    }
    for (int useShared = 0; useShared < 2; useShared++) for (int causal = 0; causal < 2; causal++)
    { // attention
        int B = 2, nq = 6, nk = 10, H = 2, dk = 4, dm = H * dk; auto q = randn(B * nq * dm), k = randn(B * nk * dm), v = randn(B * nk * dm); auto m = mask01(B * nk, 0.7f);
        for (int j = 0; j < nk; j++) m[j] = 0; // batch 0 fully masked
        std::vector<float> o(B * nq * dm, 9.f), want(B * nq * dm, 0.f); float scale = 1 / std::sqrt((float)dk); int warps = 8;
        size_t shared = (warps * (nk + dk) + (useShared ? 2 * nk * dk : 0)) * 4;
        launch(B * H, 2, 256, shared, [&] { rr_heads_attention(nq, nk, H, dk, causal, scale, q.data(), k.data(), v.data(), m.data(), o.data(), useShared); });
        for (int b = 0; b < B; b++) for (int h = 0; h < H; h++) for (int i = 0; i < nq; i++) {
            std::vector<double> s(nk); double mx = -INFINITY; int limit = causal ? i + nk - nq : nk - 1;
            for (int j = 0; j < nk; j++) { if (j > limit || m[b * nk + j] == 0) { s[j] = -INFINITY; continue; } double a = 0; for (int p = 0; p < dk; p++) a += q[(b * nq + i) * dm + h * dk + p] * k[(b * nk + j) * dm + h * dk + p]; s[j] = a * scale; mx = std::max(mx, s[j]); }
            if (std::isinf(mx)) continue; double sum = 0; for (int j = 0; j < nk; j++) { s[j] = std::isinf(s[j]) ? 0 : std::exp(s[j] - mx); sum += s[j]; }
            for (int p = 0; p < dk; p++) { double a = 0; for (int j = 0; j < nk; j++) a += s[j] * v[(b * nk + j) * dm + h * dk + p]; want[(b * nq + i) * dm + h * dk + p] = a / sum; } }
        char name[64]; snprintf(name, 64, "heads_attention shared=%d causal=%d", useShared, causal); check(name, o, want, 1e-5);
    }
    { // sum of squares
        int n = 5000; auto x = randn(n); int blocks = 3; std::vector<double> part(blocks); double want = 0; for (float v : x) want += (double)v * v;
        launch(blocks, 1, 256, 0, [&] { rr_sum_squares(n, x.data(), part.data()); });
        double got = 0; for (double p : part) got += p; check("sum_squares", {(float)(got / n)}, {(float)(want / n)}, 1e-6);
    }
    { // unary gelu + backward, bias_activation
        int n = 777; auto x = randn(n); std::vector<float> y(n), wy(n);
        launch(2, 1, 256, 0, [&] { rr_unary(RR_GELU, n, x.data(), y.data(), 1.f, 0.f); });
        for (int i = 0; i < n; i++) wy[i] = 0.5 * x[i] * (1 + std::tanh(0.7978845608 * (x[i] + 0.044715 * x[i] * x[i] * x[i])));
        check("unary gelu", y, wy, 1e-5);
        auto bias = randn(7); std::vector<float> z(n); for (int i = 0; i < n; i++) z[i] = x[i]; std::vector<float> wz(n); int cols = 7; int nn = 770;
        launch(1, 1, 256, 0, [&] { rr_bias_activation(nn, cols, bias.data(), 1, z.data()); });
        for (int i = 0; i < n; i++) wz[i] = i < nn ? std::max(0.f, x[i] + bias[i % cols]) : x[i];
        check("bias_activation relu", z, wz, 0);
    }
    { // copy blocks accumulate
        auto s = randn(10 * 12); std::vector<float> d(6 * 20, 1.f), w(6 * 20, 1.f); int total = 12 * 6;
        launch(1, 1, 256, 0, [&] { rr_copy_blocks(total, 12, s.data(), 0, 12, d.data(), 2, 20, 1); });
        for (int i = 0; i < 6; i++) for (int j = 0; j < 12; j++) w[2 + i * 20 + j] += s[i * 12 + j];
        check("copy_blocks accumulate", d, w, 0);
    }
    printf("%s\n", fails ? "FAILURES" : "all ok");
    return fails;
}
