import XCTest
@testable import TapestryTensor

final class BLASKernelsTests: XCTestCase {
    func testBestCoreFollowsTheCPUsVectorExtensions() {
        let avx512: Set<Substring> = ["sse2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]
        XCTAssertEqual(BLAS.bestCore(cpuFlags: avx512.union(["avx512_bf16"])), "Cooperlake")
        XCTAssertEqual(BLAS.bestCore(cpuFlags: avx512), "SkylakeX")
        XCTAssertEqual(BLAS.bestCore(cpuFlags: ["sse2", "avx", "avx2", "fma"]), "Haswell")
        XCTAssertNil(BLAS.bestCore(cpuFlags: ["sse2", "avx"]), "no AVX2: keep what OpenBLAS chose")
        XCTAssertNil(BLAS.bestCore(cpuFlags: ["avx2"]), "AVX2 without FMA is not Haswell")
    }

    func testOnlySSEEraCoresAreReplaced() {
        XCTAssertLessThan(BLAS.vectorLevel(ofCore: "Prescott"), BLAS.vectorLevel(ofCore: "Haswell"))
        XCTAssertLessThan(BLAS.vectorLevel(ofCore: "Zen"), BLAS.vectorLevel(ofCore: "SkylakeX"))
        XCTAssertEqual(BLAS.vectorLevel(ofCore: "Cooperlake"), BLAS.vectorLevel(ofCore: "SKYLAKEX"))
        XCTAssertGreaterThan(BLAS.vectorLevel(ofCore: "SomeFutureCore"), BLAS.vectorLevel(ofCore: "Cooperlake"),
                             "an unknown core is never replaced")
    }

    /// On this machine, after Tapestry's first BLAS call, OpenBLAS runs kernels that use the CPU's
    /// widest vector extension (the case that failed: Debian's 0.3.21 chose SSE3 "Prescott" on a
    /// 5th-generation Xeon, 5× slower), and its results are still right.
    func testOpenBLASUsesTheBestKernelsThisCPUSupports() throws {
        guard let initial = BLAS.coreName else { throw XCTSkip("the BLAS in use is not OpenBLAS") }
        if getenv("OPENBLAS_CORETYPE") != nil { throw XCTSkip("OPENBLAS_CORETYPE is set; OpenBLAS obeys it") }
        let a = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor<Float>(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(a.matmul(b).scalars, [58, 64, 139, 154])
        let flags = try XCTUnwrap(BLAS.cpuFlags(), "/proc/cpuinfo has a flags line")
        let core = try XCTUnwrap(BLAS.coreName)
        if let best = BLAS.bestCore(cpuFlags: flags) {
            XCTAssertGreaterThanOrEqual(BLAS.vectorLevel(ofCore: core), BLAS.vectorLevel(ofCore: best),
                                        "OpenBLAS chose \(initial), now runs \(core); this CPU supports \(best)")
        }
        XCTAssertTrue(BLAS.openBLASConfiguration?.contains("core: \(core)") ?? false)
        XCTAssertEqual(BLAS.threadCount, 1, "Tapestry splits GEMMs itself; OpenBLAS runs on the caller's thread")
    }
}
