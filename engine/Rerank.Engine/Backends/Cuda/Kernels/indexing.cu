// Gathers, scatters, block copies, permutes and axis reductions (IBackend indexing and shape kernels).

// dst[i,:] = src[(srcBatched ? i / perBatch : 0)·rowsPerBatch + index[i], :], zeros for a negative index.
extern "C" __global__ void rr_gather_rows(int total, int d, int rowsPerBatch, int srcBatched, int perBatch, const int* index, const float* src, float* dst)
{
    RR_GRID_STRIDE(t, total)
    {
        long long i = t / d;
        int col = (int)(t % d);
        int row = index[i];
        if (row < 0)
        {
            dst[t] = 0.0f;
            continue;
        }

        long long batch = srcBatched ? i / perBatch : 0;
        dst[t] = src[(batch * rowsPerBatch + row) * d + col];
    }
}

// The gather's backward: dsrc[row] += dy[i] (indices may repeat, hence the atomics).
extern "C" __global__ void rr_scatter_add_rows(int total, int d, int rowsPerBatch, int srcBatched, int perBatch, const int* index, const float* dy, float* dsrc)
{
    RR_GRID_STRIDE(t, total)
    {
        long long i = t / d;
        int col = (int)(t % d);
        int row = index[i];
        if (row < 0) continue;
        long long batch = srcBatched ? i / perBatch : 0;
        atomicAdd(dsrc + (batch * rowsPerBatch + row) * d + col, dy[t]);
    }
}

// count blocks of block elements: dst[dstOffset + i·dstStride + j] (+)= src[srcOffset + i·srcStride + j].
extern "C" __global__ void rr_copy_blocks(int total, int block, const float* src, int srcOffset, int srcStride, float* dst, int dstOffset, int dstStride, int accumulate)
{
    RR_GRID_STRIDE(t, total)
    {
        long long i = t / block;
        long long j = t % block;
        float v = src[srcOffset + i * srcStride + j];
        float* to = dst + dstOffset + i * dstStride + j;
        *to = accumulate ? *to + v : v;
    }
}

// dst (+)= src permuted: w.dims = dst's shape, w.s0[d] = src's stride of the dim that becomes dst dim d.
extern "C" __global__ void rr_permute(int n, const float* src, float* dst, int accumulate, RrWalk w)
{
    RR_GRID_STRIDE(i, n)
    {
        long long rem = i;
        long long off = 0;
        for (int d = w.rank - 1; d >= 0; d--)
        {
            int c = (int)(rem % w.dims[d]);
            rem /= w.dims[d];
            off += (long long)c * w.s0[d];
        }

        dst[i] = accumulate ? dst[i] + src[off] : src[off];
    }
}

// dst[o,i] (+)= scale·Σ_k src[o,k,i].
extern "C" __global__ void rr_reduce_axis(int outer, int n, int inner, float scale, const float* src, float* dst, int accumulate)
{
    RR_GRID_STRIDE(t, (long long)outer * inner)
    {
        long long o = t / inner;
        long long i = t % inner;
        float s = 0.0f;
        for (int k = 0; k < n; k++) s += src[(o * n + k) * inner + i];
        dst[t] = accumulate ? dst[t] + scale * s : scale * s;
    }
}

// dst[o,k,i] (+)= scale·src[o,i].
extern "C" __global__ void rr_expand_axis(int total, int n, int inner, float scale, const float* src, float* dst, int accumulate)
{
    RR_GRID_STRIDE(t, total)
    {
        long long i = t % inner;
        long long o = t / ((long long)n * inner);
        float v = scale * src[o * inner + i];
        dst[t] = accumulate ? dst[t] + v : v;
    }
}

// y[r] = x[r, index[r]], 0 where the index is negative.
extern "C" __global__ void rr_pick_last(int rows, int c, const int* index, const float* x, float* y)
{
    RR_GRID_STRIDE(r, rows) y[r] = index[r] < 0 ? 0.0f : x[r * c + index[r]];
}

// Greedy slates, one warp per row r of scores [rows, l, n]: position j takes the best candidate not taken at an earlier
// position (the row's picks so far, read back from out); ties go to the lowest index, as in the CPU backend.
extern "C" __global__ void rr_greedy_slates(int rows, int l, int n, const float* s, int* out)
{
    const int none = 0x7fffffff;
    int warps = blockDim.x / RR_WARP;
    int lane = threadIdx.x % RR_WARP;
    for (long long r = (long long)blockIdx.x * warps + threadIdx.x / RR_WARP; r < rows; r += (long long)gridDim.x * warps)
    {
        int* o = out + r * l;
        for (int j = 0; j < l; j++)
        {
            const float* row = s + (r * l + j) * (long long)n;
            float bv = 0.0f;
            int bi = none;
            for (int c = lane; c < n; c += RR_WARP)
            {
                bool taken = false;
                for (int k = 0; k < j; k++) taken |= o[k] == c;
                if (!taken && (bi == none || row[c] > bv))
                {
                    bv = row[c];
                    bi = c;
                }
            }

            for (int off = 16; off > 0; off >>= 1)
            {
                float ov = __shfl_xor_sync(0xffffffffu, bv, off);
                int oi = __shfl_xor_sync(0xffffffffu, bi, off);
                if (oi != none && (bi == none || ov > bv || (ov == bv && oi < bi)))
                {
                    bv = ov;
                    bi = oi;
                }
            }

            if (lane == 0) o[j] = bi;
            __syncwarp();
        }
    }
}

extern "C" __global__ void rr_pick_last_backward(int rows, int c, const int* index, const float* dy, float* dx)
{
    RR_GRID_STRIDE(r, rows)
    {
        if (index[r] >= 0) dx[r * c + index[r]] += dy[r];
    }
}
