import Foundation
import XCTest

/// Locates the Pillow-made fixtures next to this source file (see Fixtures/make_fixtures.py).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// `fixtures.json` as written by make_fixtures.py.
    static func manifest() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("fixtures.json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A fresh empty directory under the system temporary folder, removed by the caller.
    static func temporaryDirectory(_ label: String) throws -> String {
        let dir = NSTemporaryDirectory() + "tapestry-image-tests-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Largest absolute difference between two equally long byte buffers.
func maxAbsDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
    precondition(a.count == b.count)
    var m = 0
    for i in 0..<a.count { m = max(m, abs(Int(a[i]) - Int(b[i]))) }
    return m
}
