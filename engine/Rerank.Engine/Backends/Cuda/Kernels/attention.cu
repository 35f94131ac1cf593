// Fused multi-head attention for inference on head-interleaved layouts (q [B, Nq, H·dk], k and v [B, Nk, H·dk]).
// One block per (batch, head) along x and a share of the queries along y; each warp takes one query at a time:
// scores s_j = q·k_j/√dk (lane j, j+32, …), masked keys and (causal) keys after the query −∞, softmax by warp
// reductions, then o_p = Σ_j p_j v_jp (lane p, p+32, …). K and V of the head are staged in shared memory when
// they fit (useShared), else read from global memory; dynamic shared memory holds [K | V] then per warp
// [scores (nk) | query (dk)].
extern "C" __global__ void rr_heads_attention(int nq, int nk, int heads, int dk, int causal, float scale, const float* q, const float* k, const float* v, const float* keyMask, float* out, int useShared)
{
    extern __shared__ float smem[];
    int dm = heads * dk;
    int bh = blockIdx.x;
    int b = bh / heads;
    int h = bh % heads;
    int warps = blockDim.x / RR_WARP;
    int warp = threadIdx.x / RR_WARP;
    int lane = threadIdx.x % RR_WARP;
    const float* kBase = k + (long long)b * nk * dm + h * dk;
    const float* vBase = v + (long long)b * nk * dm + h * dk;
    const float* ks = kBase;
    const float* vs = vBase;
    int ld = dm;
    float* scratch = smem;
    if (useShared)
    {
        float* sk = smem;
        float* sv = smem + nk * dk;
        for (int t = threadIdx.x; t < nk * dk; t += blockDim.x)
        {
            int j = t / dk;
            int p = t % dk;
            sk[t] = kBase[(long long)j * dm + p];
            sv[t] = vBase[(long long)j * dm + p];
        }

        __syncthreads();
        ks = sk;
        vs = sv;
        ld = dk;
        scratch = smem + 2 * nk * dk;
    }

    float* sc = scratch + warp * (nk + dk);
    float* sq = sc + nk;
    const float* maskRow = keyMask ? keyMask + (long long)b * nk : 0;
    for (int i = blockIdx.y * warps + warp; i < nq; i += gridDim.y * warps)
    {
        const float* qi = q + ((long long)b * nq + i) * dm + h * dk;
        for (int p = lane; p < dk; p += RR_WARP) sq[p] = qi[p];
        __syncwarp();
        int limit = causal ? i + (nk - nq) : nk - 1;
        float mx = RR_NEG_INF;
        for (int j = lane; j < nk; j += RR_WARP)
        {
            float s = RR_NEG_INF;
            if (j <= limit && (!maskRow || maskRow[j] != 0.0f))
            {
                const float* kj = ks + (long long)j * ld;
                float acc = 0.0f;
                for (int p = 0; p < dk; p++) acc += sq[p] * kj[p];
                s = acc * scale;
            }

            sc[j] = s;
            mx = fmaxf(mx, s);
        }

        mx = rr_warp_max(mx);
        float* oi = out + ((long long)b * nq + i) * dm + h * dk;
        if (mx == RR_NEG_INF)
        {
            for (int p = lane; p < dk; p += RR_WARP) oi[p] = 0.0f;
            __syncwarp();
            continue;
        }

        float sum = 0.0f;
        for (int j = lane; j < nk; j += RR_WARP)
        {
            float e = expf(sc[j] - mx);
            sc[j] = e;
            sum += e;
        }

        float inv = 1.0f / rr_warp_sum(sum);
        __syncwarp();
        for (int p = lane; p < dk; p += RR_WARP)
        {
            float acc = 0.0f;
            for (int j = 0; j < nk; j++) acc += sc[j] * vs[(long long)j * ld + p];
            oi[p] = acc * inv;
        }

        __syncwarp();
    }
}
