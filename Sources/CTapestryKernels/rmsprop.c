// RMSprop's update, one pass over the weights and their slots (see tapestry_kernels.h).
#include "tapestry_kernels.h"
#include "clones.h"

// The Swift rule this replaced rounded every product and sum; so does this, so results stay
// bit-identical across the AVX-512, AVX2 and baseline versions (and match Keras's float32 ops).
#pragma clang fp contract(off)

/// Swift's min(max(x, −c), c), which lets NaN through (fminf/fmaxf would not).
TK_INLINE float clamp(float x, float c) {
    float low = -c >= x ? -c : x;
    return c < low ? c : low;
}

TK_INLINE void update(long count, float *restrict w, const float *restrict gr, float *restrict v,
                      float *restrict m, float *restrict a, int centered, int with_momentum,
                      float lr, float rho, float one_minus_rho, float momentum, float eps,
                      float decay, float scale, float clip) {
    for (long i = 0; i < count; i++) {
        const float g = clamp(gr[i] * scale, clip);
        const float velocity = rho * v[i] + one_minus_rho * (g * g);
        v[i] = velocity;
        float denominator = velocity + eps;
        if (centered) {
            const float avg = rho * a[i] + one_minus_rho * g;
            a[i] = avg;
            denominator = velocity - avg * avg + eps;
        }
        // IEEE square root: NaN below zero, as Swift's vectorizableSquareRoot.
        const float increment = (lr * g) / __builtin_elementwise_sqrt(denominator);
        const float decayed = w[i] - w[i] * decay;
        if (with_momentum) {
            const float moment = momentum * m[i] + increment;
            m[i] = moment;
            w[i] = decayed - moment;
        } else {
            w[i] = decayed - increment;
        }
    }
}

TK_CLONES
void tk_rmsprop(long count, float *weights, const float *gradients, float *velocity, float *moment, float *average,
                float learning_rate, float rho, float one_minus_rho, float momentum, float epsilon,
                float decay, float gradient_scale, float clip_value) {
    // One specialised, vectorised loop per variant rather than a flag test per element.
    const int centered = average != 0, with_momentum = moment != 0;
    if (!centered && !with_momentum)
        update(count, weights, gradients, velocity, 0, 0, 0, 0, learning_rate, rho, one_minus_rho, momentum, epsilon,
               decay, gradient_scale, clip_value);
    else if (!centered)
        update(count, weights, gradients, velocity, moment, 0, 0, 1, learning_rate, rho, one_minus_rho, momentum,
               epsilon, decay, gradient_scale, clip_value);
    else if (!with_momentum)
        update(count, weights, gradients, velocity, 0, average, 1, 0, learning_rate, rho, one_minus_rho, momentum,
               epsilon, decay, gradient_scale, clip_value);
    else
        update(count, weights, gradients, velocity, moment, average, 1, 1, learning_rate, rho, one_minus_rho, momentum,
               epsilon, decay, gradient_scale, clip_value);
}
