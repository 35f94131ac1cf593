// Row kernels, one warp per row: (log-)softmax with a broadcast mask and causal limit, its backward, layer norm.

// w.dims = x's shape, w.s0 = the mask's broadcast strides in x's index space. A dropped entry (mask 0, or a key after the
// query when causal: j > (r mod nq) + (c − nq)) gets −∞ before the max; a row with nothing kept is 0 (−∞ for log).
extern "C" __global__ void rr_softmax(int rows, int c, int nq, int causal, int logMode, const float* x, const float* mask, float* y, RrWalk w)
{
    int warps = blockDim.x / RR_WARP;
    int lane = threadIdx.x % RR_WARP;
    for (long long r = (long long)blockIdx.x * warps + threadIdx.x / RR_WARP; r < rows; r += (long long)gridDim.x * warps)
    {
        const float* xr = x + r * c;
        float* yr = y + r * c;
        int limit = causal ? (int)(r % nq) + (c - nq) : c - 1;
        const float* mr = 0;
        int mLast = 0;
        if (mask)
        {
            long long rem = r;
            long long off = 0;
            for (int d = w.rank - 2; d >= 0; d--)
            {
                int cd = (int)(rem % w.dims[d]);
                rem /= w.dims[d];
                off += (long long)cd * w.s0[d];
            }

            mr = mask + off;
            mLast = w.s0[w.rank - 1];
        }

        float mx = RR_NEG_INF;
        for (int j = lane; j < c; j += RR_WARP)
        {
            bool keep = j <= limit && (!mr || mr[(long long)j * mLast] != 0.0f);
            if (keep) mx = fmaxf(mx, xr[j]);
        }

        mx = rr_warp_max(mx);
        if (mx == RR_NEG_INF)
        {
            for (int j = lane; j < c; j += RR_WARP) yr[j] = logMode ? RR_NEG_INF : 0.0f;
            continue;
        }

        float sum = 0.0f;
        for (int j = lane; j < c; j += RR_WARP)
        {
            bool keep = j <= limit && (!mr || mr[(long long)j * mLast] != 0.0f);
            if (keep) sum += expf(xr[j] - mx);
        }

        sum = rr_warp_sum(sum);
        float ls = logf(sum);
        float inv = 1.0f / sum;
        for (int j = lane; j < c; j += RR_WARP)
        {
            bool keep = j <= limit && (!mr || mr[(long long)j * mLast] != 0.0f);
            float shifted = xr[j] - mx;
            yr[j] = keep ? (logMode ? shifted - ls : expf(shifted) * inv) : (logMode ? RR_NEG_INF : 0.0f);
        }
    }
}

// dx += softmax: y ⊙ (dy − ⟨dy, y⟩); log-softmax: dy − e^y·Σ dy over kept entries (y = −∞ marks a dropped one).
extern "C" __global__ void rr_softmax_backward(int rows, int c, int logMode, const float* y, const float* dy, float* dx)
{
    int warps = blockDim.x / RR_WARP;
    int lane = threadIdx.x % RR_WARP;
    for (long long r = (long long)blockIdx.x * warps + threadIdx.x / RR_WARP; r < rows; r += (long long)gridDim.x * warps)
    {
        const float* yr = y + r * c;
        const float* gr = dy + r * c;
        float* dr = dx + r * c;
        float acc = 0.0f;
        for (int j = lane; j < c; j += RR_WARP)
        {
            if (logMode) acc += yr[j] == RR_NEG_INF ? 0.0f : gr[j];
            else acc += gr[j] * yr[j];
        }

        acc = rr_warp_sum(acc);
        for (int j = lane; j < c; j += RR_WARP)
        {
            if (logMode)
            {
                if (yr[j] != RR_NEG_INF) dr[j] += gr[j] - expf(yr[j]) * acc;
            }
            else
            {
                dr[j] += yr[j] * (gr[j] - acc);
            }
        }
    }
}

// y = (x − μ)·rstd·γ + β per row of width d (two passes: μ, then σ²); μ and rstd are stored when given.
extern "C" __global__ void rr_layer_norm(int rows, int d, float eps, const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd)
{
    int warps = blockDim.x / RR_WARP;
    int lane = threadIdx.x % RR_WARP;
    for (long long r = (long long)blockIdx.x * warps + threadIdx.x / RR_WARP; r < rows; r += (long long)gridDim.x * warps)
    {
        const float* xr = x + r * d;
        float* yr = y + r * d;
        float s = 0.0f;
        for (int j = lane; j < d; j += RR_WARP) s += xr[j];
        float mu = rr_warp_sum(s) / d;
        float q = 0.0f;
        for (int j = lane; j < d; j += RR_WARP)
        {
            float c = xr[j] - mu;
            q += c * c;
        }

        float rs = 1.0f / sqrtf(rr_warp_sum(q) / d + eps);
        for (int j = lane; j < d; j += RR_WARP)
        {
            float v = (xr[j] - mu) * rs;
            if (gamma) v *= gamma[j];
            if (beta) v += beta[j];
            yr[j] = v;
        }

        if (lane == 0)
        {
            if (mean) mean[r] = mu;
            if (rstd) rstd[r] = rs;
        }
    }
}

// dx += rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat ⊙ xhat)), dxhat = dy ⊙ γ.
extern "C" __global__ void rr_layer_norm_backward_input(int rows, int d, const float* x, const float* gamma, const float* mean, const float* rstd, const float* dy, float* dx)
{
    int warps = blockDim.x / RR_WARP;
    int lane = threadIdx.x % RR_WARP;
    for (long long r = (long long)blockIdx.x * warps + threadIdx.x / RR_WARP; r < rows; r += (long long)gridDim.x * warps)
    {
        const float* xr = x + r * d;
        const float* gr = dy + r * d;
        float* dr = dx + r * d;
        float mu = mean[r];
        float rs = rstd[r];
        float s1 = 0.0f, s2 = 0.0f;
        for (int j = lane; j < d; j += RR_WARP)
        {
            float dxh = gamma ? gr[j] * gamma[j] : gr[j];
            s1 += dxh;
            s2 += dxh * (xr[j] - mu) * rs;
        }

        float m1 = rr_warp_sum(s1) / d;
        float m2 = rr_warp_sum(s2) / d;
        for (int j = lane; j < d; j += RR_WARP)
        {
            float dxh = gamma ? gr[j] * gamma[j] : gr[j];
            dr[j] += rs * (dxh - m1 - (xr[j] - mu) * rs * m2);
        }
    }
}

// dγ[j] += Σ_r dy[r,j]·xhat[r,j], dβ[j] += Σ_r dy[r,j]: one block per column, a fixed-order tree reduction (deterministic).
extern "C" __global__ void rr_layer_norm_backward_params(int rows, int d, const float* x, const float* mean, const float* rstd, const float* dy, float* dgamma, float* dbeta)
{
    __shared__ float sg[256];
    __shared__ float sb[256];
    for (int j = blockIdx.x; j < d; j += gridDim.x)
    {
        float g = 0.0f, b = 0.0f;
        for (long long r = threadIdx.x; r < rows; r += blockDim.x)
        {
            float v = dy[r * d + j];
            b += v;
            if (dgamma) g += v * (x[r * d + j] - mean[r]) * rstd[r];
        }

        sg[threadIdx.x] = g;
        sb[threadIdx.x] = b;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1)
        {
            if (threadIdx.x < s)
            {
                sg[threadIdx.x] += sg[threadIdx.x + s];
                sb[threadIdx.x] += sb[threadIdx.x + s];
            }

            __syncthreads();
        }

        if (threadIdx.x == 0)
        {
            if (dgamma) dgamma[j] += sg[0];
            if (dbeta) dbeta[j] += sb[0];
        }

        __syncthreads();
    }
}
