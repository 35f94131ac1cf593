// Losses, the squared-norm reduction and the optimizer steps.

// y = max(x,0) − x·t + log(1 + e^{−|x|}).
extern "C" __global__ void rr_bce_with_logits(int n, const float* x, const float* t, float* y)
{
    RR_GRID_STRIDE(i, n)
    {
        float v = x[i];
        y[i] = fmaxf(v, 0.0f) - v * t[i] + logf(1.0f + expf(-fabsf(v)));
    }
}

extern "C" __global__ void rr_bce_with_logits_backward(int n, const float* x, const float* t, const float* dy, float* dx)
{
    RR_GRID_STRIDE(i, n) dx[i] += dy[i] * (1.0f / (1.0f + expf(-x[i])) - t[i]);
}

// y = p·(log p − log q), 0 where p = 0.
extern "C" __global__ void rr_kl_div(int n, const float* logQ, const float* p, float* y)
{
    RR_GRID_STRIDE(i, n) y[i] = p[i] > 0.0f ? p[i] * (logf(p[i]) - logQ[i]) : 0.0f;
}

extern "C" __global__ void rr_kl_div_backward(int n, const float* p, const float* dy, float* dlogQ)
{
    RR_GRID_STRIDE(i, n) dlogQ[i] -= p[i] * dy[i];
}

// partials[block] = Σ x² over the block's grid-stride share, in double (the host adds the partials in order).
extern "C" __global__ void rr_sum_squares(int n, const float* x, double* partials)
{
    __shared__ double s[256];
    double acc = 0.0;
    RR_GRID_STRIDE(i, n)
    {
        double v = x[i];
        acc += v * v;
    }

    s[threadIdx.x] = acc;
    __syncthreads();
    for (int k = blockDim.x / 2; k > 0; k >>= 1)
    {
        if (threadIdx.x < k) s[threadIdx.x] += s[threadIdx.x + k];
        __syncthreads();
    }

    if (threadIdx.x == 0) partials[blockIdx.x] = s[0];
}

// Adam (Kingma & Ba, Alg. 1): m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − α m̂ / (√v̂ + ε);
// coupled weight decay adds wd·θ to g, decoupled (AdamW, Loshchilov & Hutter) subtracts lr·wd·θ.
extern "C" __global__ void rr_adam_step(int n, float* param, const float* grad, float* m, float* v, float beta1, float beta2, float eps, float lr, float weightDecay, int decoupled, float stepSize, float sqrtBc2)
{
    RR_GRID_STRIDE(i, n)
    {
        float g = grad[i];
        float p = param[i];
        if (!decoupled && weightDecay != 0.0f) g += weightDecay * p;
        float mi = beta1 * m[i] + (1.0f - beta1) * g;
        float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        float update = stepSize * mi / (sqrtf(vi) / sqrtBc2 + eps);
        if (decoupled && weightDecay != 0.0f) update += lr * weightDecay * p;
        param[i] = p - update;
    }
}

// SGD with optional (Nesterov) momentum: g = ∇ + wd·θ; v ← μ v + g; θ ← θ − lr·(nesterov ? g + μ v : v).
extern "C" __global__ void rr_sgd_step(int n, float* param, const float* grad, float* velocity, float lr, float momentum, float weightDecay, int nesterov)
{
    RR_GRID_STRIDE(i, n)
    {
        float g = grad[i] + weightDecay * param[i];
        if (velocity)
        {
            float vi = momentum * velocity[i] + g;
            velocity[i] = vi;
            g = nesterov ? g + momentum * vi : vi;
        }

        param[i] -= lr * g;
    }
}
