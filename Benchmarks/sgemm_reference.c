/* What OpenBLAS itself reaches on this machine: cblas_sgemm called from C on the shapes
 * TapestryBench measures, best of N, so the Swift numbers can be read against it.
 *   Benchmarks/sgemm-reference            (compiles with gcc -O2 -lblas and runs) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static double gflops(int m, int n, int k, int reps) {
    float *a = malloc(sizeof(float) * (size_t)m * k), *b = malloc(sizeof(float) * (size_t)k * n), *c = malloc(sizeof(float) * (size_t)m * n);
    for (size_t i = 0; i < (size_t)m * k; i++) a[i] = (float)((i * 7919) % 1000) / 1000.0f;
    for (size_t i = 0; i < (size_t)k * n; i++) b[i] = (float)((i * 104729) % 1000) / 1000.0f;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);   /* warm-up */
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
        double t = now() - t0;
        if (t < best) best = t;
    }
    free(a); free(b); free(c);
    return 2.0 * m * n * (double)k / best / 1e9;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    int shapes[][3] = {{2048, 2048, 2048}, {22500, 64, 576}, {5625, 128, 1152}, {27380, 256, 2304}};
    const char *names[] = {"2048³", "block1_conv2 im2col, one image", "block2_conv2 im2col, one image", "M=27380 K=2304 N=256"};
    double peak = 0;
    printf("sgemm from C (cblas_sgemm, best of %d)\n", reps);
    for (int i = 0; i < 4; i++) {
        double g = gflops(shapes[i][0], shapes[i][1], shapes[i][2], reps);
        if (g > peak) peak = g;
        printf("  %-34s %.1f GFLOP/s\n", names[i], g);
    }
    printf("  C sgemm peak: %.1f GFLOP/s\n", peak);
    return 0;
}
