#if canImport(Glibc)
import Glibc
#endif

/// Control over the BLAS library that `libblas.so.3` resolved to at run time.
public enum BLAS {
    /// Sets OpenBLAS's thread count. Debian's OpenBLAS `libblas.so.3` does not export the setter
    /// itself, but the `libopenblas.so.0` it loads does, so it is looked up at run time; returns
    /// false on a BLAS without it (e.g. the reference netlib BLAS).
    ///
    /// Tapestry sets 1 before its first BLAS call and spreads each GEMM over the cores itself; a
    /// higher count makes OpenBLAS's threads compete with Tapestry's for the same cores.
    @discardableResult
    public static func setThreadCount(_ n: Int) -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_set_num_threads") else { return false }
        unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Void).self)(Int32(n))
        return true
    }

    /// OpenBLAS's build configuration (e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Cooperlake MAX_THREADS=64"),
    /// or nil when the BLAS in use is not OpenBLAS — the reference BLAS is 20–40× slower.
    public static var openBLASConfiguration: String? {
        prepareKernels()
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_get_config") else { return nil }
        let fn = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafePointer<CChar>?).self)
        guard let s = fn() else { return nil }
        var text = String(cString: s)
        if let core = coreName { text += " (core: \(core)\(kernelUpgrade == nil ? "" : ", chosen by Tapestry for this CPU"))" }
        return text
    }
}

extension BLAS {
    /// OpenBLAS's current thread count, or nil on a BLAS without the query.
    public static var threadCount: Int? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_get_num_threads") else { return nil }
        return Int(unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)())
    }
}
