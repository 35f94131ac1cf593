// Shared helpers of the Rerank CUDA kernels (compiled at run time by NVRTC; no system headers).
#define RR_MAX_RANK 6
#define RR_WARP 32
#define RR_NEG_INF __int_as_float(0xff800000)

// A tensor walk: dims of the iterated (output) tensor and, per operand, its strides in that index space (0 = broadcast).
struct RrWalk
{
    int rank;
    int dims[RR_MAX_RANK];
    int s0[RR_MAX_RANK];
    int s1[RR_MAX_RANK];
};

__device__ __forceinline__ float rr_warp_sum(float v)
{
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float rr_warp_max(float v)
{
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// gelu(x) = 0.5·x·(1 + tanh(u)) = x·σ(2u), u = √(2/π)(x + 0.044715x³) (tanh approximation, as the CPU backend).
__device__ __forceinline__ float rr_gelu(float x)
{
    float u = 0.7978845608f * (x + 0.044715f * x * x * x);
    return x / (1.0f + expf(-2.0f * u));
}

// gelu'(x) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(u).
__device__ __forceinline__ float rr_gelu_derivative(float x)
{
    float u = 0.7978845608f * (x + 0.044715f * x * x * x);
    float t = 1.0f - 2.0f / (1.0f + expf(2.0f * u));
    float du = 0.7978845608f * (1.0f + 3.0f * 0.044715f * x * x);
    return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du;
}

// Unary op codes follow the engine's UnaryOp enum.
#define RR_AFFINE 0
#define RR_RELU 1
#define RR_GELU 2
#define RR_SIGMOID 3
#define RR_TANH 4
#define RR_EXP 5
#define RR_LOG 6
#define RR_SQUARE 7
#define RR_SQRT 8

__device__ __forceinline__ float rr_unary(int op, float x, float alpha, float beta)
{
    switch (op)
    {
        case RR_AFFINE: return x * alpha + beta;
        case RR_RELU: return fmaxf(x, 0.0f);
        case RR_GELU: return rr_gelu(x);
        case RR_SIGMOID: return 1.0f / (1.0f + expf(-x));
        case RR_TANH: return tanhf(x);
        case RR_EXP: return expf(x);
        case RR_LOG: return logf(x);
        case RR_SQUARE: return x * x;
        default: return sqrtf(x);
    }
}

#define RR_GRID_STRIDE(i, n) for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)
