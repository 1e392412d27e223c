import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that they appear complete or not at all.
enum AtomicFile {
    private static let counter = Counter()

    /// Writes `data` to a temporary file next to `path` and renames it into place.
    /// The temporary name starts with "." so an `ImageFolder` scan running meanwhile skips it.
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let temp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(counter.next())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw ImageError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        var ok = true
        var reason = ""
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    reason = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && ok { ok = false; reason = String(cString: strerror(errno)) }
        if ok && rename(temp, path) != 0 { ok = false; reason = String(cString: strerror(errno)) }
        if !ok {
            unlink(temp)
            throw ImageError.writeFailed(path: path, reason: reason)
        }
    }

    /// Process-wide unique suffixes for concurrent writers.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock(); defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
