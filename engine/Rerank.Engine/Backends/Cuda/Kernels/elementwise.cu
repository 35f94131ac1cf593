// Element-wise and broadcasting kernels (IBackend: Axpy, Binary, Unary, UnaryBackward, LinearActivated's epilogue, ReduceToShape).

extern "C" __global__ void rr_axpy(int n, float alpha, const float* x, float* y)
{
    RR_GRID_STRIDE(i, n) y[i] += alpha * x[i];
}

// op: 0 add, 1 sub, 2 mul, 3 div (BinaryOp).
__device__ __forceinline__ float rr_binary(int op, float a, float b)
{
    switch (op)
    {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        default: return a / b;
    }
}

extern "C" __global__ void rr_binary_same(int op, int n, const float* a, const float* b, float* y)
{
    RR_GRID_STRIDE(i, n) y[i] = rr_binary(op, a[i], b[i]);
}

// y has w.dims; a and b are read through w.s0 and w.s1 (NumPy broadcasting, stride 0 on broadcast dims).
extern "C" __global__ void rr_binary_broadcast(int op, int n, const float* a, const float* b, float* y, RrWalk w)
{
    RR_GRID_STRIDE(i, n)
    {
        long long rem = i;
        long long oa = 0, ob = 0;
        for (int d = w.rank - 1; d >= 0; d--)
        {
            int c = (int)(rem % w.dims[d]);
            rem /= w.dims[d];
            oa += (long long)c * w.s0[d];
            ob += (long long)c * w.s1[d];
        }

        y[i] = rr_binary(op, a[oa], b[ob]);
    }
}

extern "C" __global__ void rr_unary(int op, int n, const float* x, float* y, float alpha, float beta)
{
    RR_GRID_STRIDE(i, n) y[i] = rr_unary(op, x[i], alpha, beta);
}

// dx += dy·f'(x); y = f(x) for the ops whose derivative uses it.
extern "C" __global__ void rr_unary_backward(int op, int n, const float* x, const float* y, const float* dy, float* dx, float alpha)
{
    RR_GRID_STRIDE(i, n)
    {
        float g = dy[i];
        float d;
        switch (op)
        {
            case RR_AFFINE: d = g * alpha; break;
            case RR_RELU: d = x[i] > 0.0f ? g : 0.0f; break;
            case RR_GELU: d = g * rr_gelu_derivative(x[i]); break;
            case RR_SIGMOID: d = g * y[i] * (1.0f - y[i]); break;
            case RR_TANH: d = g * (1.0f - y[i] * y[i]); break;
            case RR_EXP: d = g * y[i]; break;
            case RR_LOG: d = g / x[i]; break;
            case RR_SQUARE: d = g * 2.0f * x[i]; break;
            default: d = g * 0.5f / y[i]; break;
        }

        dx[i] += d;
    }
}

// The epilogue of a linear layer after the GEMM: y = act(y + bias) over rows of width cols; act 0 none, 1 relu, 2 gelu.
extern "C" __global__ void rr_bias_activation(int n, int cols, const float* bias, int act, float* y)
{
    RR_GRID_STRIDE(i, n)
    {
        float v = y[i];
        if (bias) v += bias[i % cols];
        if (act == 1) v = fmaxf(v, 0.0f);
        else if (act == 2) v = rr_gelu(v);
        y[i] = v;
    }
}

// dst (+)= src summed over the dims broadcast from dst's shape to src's (w.dims): w.s0 = src strides, w.s1[d] = 1 where
// dst keeps dim d. One thread per dst element, fixed summation order (deterministic).
extern "C" __global__ void rr_reduce_to_shape(int dstCount, int reduceCount, const float* src, float* dst, int accumulate, RrWalk w)
{
    RR_GRID_STRIDE(o, dstCount)
    {
        long long rem = o;
        long long base = 0;
        for (int d = w.rank - 1; d >= 0; d--)
        {
            if (w.s1[d])
            {
                int c = (int)(rem % w.dims[d]);
                rem /= w.dims[d];
                base += (long long)c * w.s0[d];
            }
        }

        float sum = 0.0f;
        for (int t = 0; t < reduceCount; t++)
        {
            long long r = t;
            long long off = base;
            for (int d = w.rank - 1; d >= 0; d--)
            {
                if (!w.s1[d])
                {
                    int c = (int)(r % w.dims[d]);
                    r /= w.dims[d];
                    off += (long long)c * w.s0[d];
                }
            }

            sum += src[off];
        }

        dst[o] = accumulate ? dst[o] + sum : sum;
    }
}
