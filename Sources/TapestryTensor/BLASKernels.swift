#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension BLAS {
    /// The OpenBLAS kernel set ("core") this process switched to, or nil when it kept the one
    /// OpenBLAS chose at load time. Evaluated once, before Tapestry's first BLAS call.
    ///
    /// Why: a DYNAMIC_ARCH OpenBLAS picks its kernels from the CPU's model number, and a release
    /// that predates the CPU falls back to its oldest x86-64 kernels. Debian 12's OpenBLAS 0.3.21
    /// on a 5th-generation Xeon (model 207) picks "Prescott" (SSE3): sgemm at 23 GFLOP/s on two
    /// cores instead of 114 with the AVX-512 kernels the CPU supports. When the chosen core lacks
    /// instructions the CPU has, Tapestry re-initialises OpenBLAS's dispatch with the best core
    /// the CPU supports — what `OPENBLAS_CORETYPE` does at load time, which always wins if set.
    public static let kernelUpgrade: String? = upgradeKernelsIfOutdated()

    /// OpenBLAS runs on the calling thread only: Tapestry splits GEMMs over the cores itself
    /// (``TensorScalar/parallelGEMM``), so no BLAS thread spins beside its own parallel loops.
    static let singleThreaded: Bool = setThreadCount(1)

    /// Called on every BLAS entry point; after the first call this is two loads of a flag.
    @inline(__always)
    static func prepareKernels() { _ = kernelUpgrade; _ = singleThreaded }

    /// OpenBLAS's current core name (e.g. "Haswell", "SkylakeX"), or nil when the BLAS is not OpenBLAS.
    public static var coreName: String? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_get_corename") else { return nil }
        let fn = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafePointer<CChar>?).self)
        return fn().map { String(cString: $0) }
    }

    /// The best OpenBLAS 0.3.x x86-64 core for CPU flags (as listed in /proc/cpuinfo), or nil
    /// below AVX2: "Cooperlake" (AVX-512 with BF16), "SkylakeX" (AVX-512), "Haswell" (AVX2 + FMA).
    static func bestCore(cpuFlags flags: Set<Substring>) -> String? {
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(flags.contains) {
            return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        return flags.contains("avx2") && flags.contains("fma") ? "Haswell" : nil
    }

    /// How much of the x86-64 vector ISA an OpenBLAS core's kernels use: 0 for SSE-era cores,
    /// 1 for AVX2 (Haswell, Zen), 2 for AVX-512. Unknown names count as fully capable, so a core
    /// this code does not know is never replaced.
    static func vectorLevel(ofCore name: String) -> Int {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return 2
        case "haswell", "zen", "skylake": return 1
        case "prescott", "core2", "penryn", "dunnington", "nehalem", "sandybridge", "atom", "nano", "katmai",
             "coppermine", "northwood", "banias", "opteron", "opteron_sse3", "barcelona", "bobcat", "bulldozer",
             "piledriver", "steamroller", "excavator", "athlon": return 0
        default: return 3
        }
    }

    private static func upgradeKernelsIfOutdated() -> String? {
        guard getenv("OPENBLAS_CORETYPE") == nil, let current = coreName,
              let flags = cpuFlags(), let best = bestCore(cpuFlags: flags),
              vectorLevel(ofCore: best) > vectorLevel(ofCore: current) else { return nil }
        let handle = UnsafeMutableRawPointer(bitPattern: 0)
        guard let quit = dlsym(handle, "gotoblas_dynamic_quit"), let initialise = dlsym(handle, "gotoblas_dynamic_init")
        else { return nil }
        typealias Hook = @convention(c) () -> Void
        // gotoblas_dynamic_init reads OPENBLAS_CORETYPE; the variable is removed again so that
        // child processes choose for themselves.
        setenv("OPENBLAS_CORETYPE", best, 1)
        defer { unsetenv("OPENBLAS_CORETYPE") }
        unsafeBitCast(quit, to: Hook.self)()
        unsafeBitCast(initialise, to: Hook.self)()
        return coreName?.lowercased() == best.lowercased() ? best : nil
    }

    static func cpuFlags() -> Set<Substring>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }
}
