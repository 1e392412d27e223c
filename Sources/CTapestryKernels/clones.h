// One definition of "compile this function for every vector width": on x86-64 each exported
// kernel gets an AVX-512 (x86-64-v4), an AVX2 + FMA (x86-64-v3) and a baseline version, and the
// dynamic loader binds the best one for the CPU once (an ifunc). Elsewhere: one plain version.
#ifndef TAPESTRY_KERNELS_CLONES_H
#define TAPESTRY_KERNELS_CLONES_H

#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define TK_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TK_CLONES
#endif

/// Lanes per inner loop: one AVX-512 register of floats (two AVX2 or four SSE registers).
#define TK_LANES 16
#define TK_INLINE static inline __attribute__((always_inline))

#endif
