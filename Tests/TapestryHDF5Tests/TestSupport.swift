import Foundation
import XCTest
@testable import TapestryHDF5

/// The committed h5py-made files, found next to this source file so the tests need no resource bundle.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent("files").appendingPathComponent(name).path
    }
}

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("TapestryHDF5Tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body`, requires it to throw an ``HDF5Error``, and returns that error.
func assertHDF5Error<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> HDF5Error? {
    do {
        let value = try body()
        XCTFail("expected an HDF5Error, got \(value)", file: file, line: line)
        return nil
    } catch let error as HDF5Error {
        return error
    } catch {
        XCTFail("expected an HDF5Error, got \(error)", file: file, line: line)
        return nil
    }
}
