import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's peak resident set size in MB (getrusage; Linux reports KiB), as keras_reference.py.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// One JSON object on one line, keys sorted.
func jsonLine(_ object: [String: Any]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}
