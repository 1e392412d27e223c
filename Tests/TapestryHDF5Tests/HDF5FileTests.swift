import Foundation
import XCTest
@testable import TapestryHDF5

final class HDF5FileTests: XCTestCase {
    func testMissingFileNamesThePath() {
        let path = "/nonexistent/dir/model.weights.h5"
        let error = assertHDF5Error(try HDF5File(path: path))
        XCTAssertEqual(error?.kind, .fileNotFound)
        XCTAssertEqual(error?.description, "cannot open '\(path)': no such file")
        XCTAssertEqual(error?.filePath, path)
        XCTAssertNil(error?.objectPath)
    }

    func testPlainTextFileIsNotHDF5() {
        let path = Fixtures.path("not_hdf5.h5")
        let error = assertHDF5Error(try HDF5File(path: path))
        XCTAssertEqual(error?.kind, .notHDF5)
        XCTAssertEqual(error?.description, "cannot open '\(path)': not an HDF5 file")
    }

    func testEmptyFileIsNotHDF5() {
        let path = Fixtures.path("empty_file.h5")
        let error = assertHDF5Error(try HDF5File(path: path))
        XCTAssertEqual(error?.kind, .notHDF5)
        XCTAssertEqual(error?.description, "cannot open '\(path)': not an HDF5 file")
    }

    func testTruncatedFileReportsHDF5sReason() throws {
        let path = Fixtures.path("truncated.h5")
        let error = assertHDF5Error(try HDF5File(path: path))
        XCTAssertEqual(error?.kind, .cannotOpen)
        let text = try XCTUnwrap(error?.description)
        XCTAssertTrue(text.hasPrefix("cannot open '\(path)': "), text)
        XCTAssertTrue(text.contains("truncated"), text)
    }

    func testDirectoryIsRejected() throws {
        let tmp = try TemporaryDirectory()
        let error = assertHDF5Error(try HDF5File(path: tmp.url.path))
        XCTAssertEqual(error?.kind, .cannotOpen)
        XCTAssertEqual(error?.description, "cannot open '\(tmp.url.path)': it is a directory")
    }

    func testCreateInMissingDirectoryFails() {
        let path = "/nonexistent/dir/out.h5"
        let error = assertHDF5Error(try HDF5File(path: path, mode: .create))
        XCTAssertEqual(error?.kind, .cannotCreate)
        XCTAssertTrue(error?.description.hasPrefix("cannot create '\(path)'") ?? false, "\(String(describing: error))")
    }

    func testErrorsDoNotPrintToStderr() throws {
        // HDF5 prints its whole error stack to stderr by default; capture fd 2 around a failing call.
        let pipe = Pipe()
        let saved = dup(2)
        dup2(pipe.fileHandleForWriting.fileDescriptor, 2)
        let file = try HDF5File(path: Fixtures.path("datasets.h5"))
        _ = try? file.dataset(at: "no/such/dataset")
        _ = try? HDF5File(path: Fixtures.path("truncated.h5"))
        _ = try? file.stringArrayAttribute("missing")
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        pipe.fileHandleForWriting.closeFile()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(output, "")
    }

    func testCreateTruncatesExistingFile() throws {
        let tmp = try TemporaryDirectory()
        let path = tmp.path("t.h5")
        do {
            let file = try HDF5File(path: path, mode: .create)
            try file.createDataset(at: "old", values: [1], shape: [1])
        }
        let file = try HDF5File(path: path, mode: .create)
        XCTAssertEqual(try file.childNames(), [])
        XCTAssertEqual(file.mode, .create)
    }

    func testReadOnlyFileRefusesWrites() throws {
        let file = try HDF5File(path: Fixtures.path("datasets.h5"))
        let error = assertHDF5Error(try file.createGroup(at: "new"))
        XCTAssertEqual(error?.kind, .readOnly)
        XCTAssertEqual(error?.description, "cannot modify the root group: '\(Fixtures.path("datasets.h5"))' is open read-only")
        let dataset = try file.dataset(at: "f32/rank1")
        XCTAssertEqual(assertHDF5Error(try dataset.write([0, 0, 0]))?.kind, .readOnly)
        XCTAssertEqual(assertHDF5Error(try file.setStringAttribute("a", "b"))?.kind, .readOnly)
    }

    func testReadWriteModeModifiesExistingFile() throws {
        let tmp = try TemporaryDirectory()
        let path = tmp.path("rw.h5")
        try FileManager.default.copyItem(atPath: Fixtures.path("datasets.h5"), toPath: path)
        do {
            let file = try HDF5File(path: path, mode: .readWrite)
            try file.dataset(at: "f32/rank1").write([7, 8, 9])
            try file.setStringAttribute("added", "yes")
            try file.flush()
        }
        let file = try HDF5File(path: path)
        XCTAssertEqual(try file.dataset(at: "f32/rank1").readFloats(), [7, 8, 9])
        XCTAssertEqual(try file.stringAttribute("added"), "yes")
        XCTAssertEqual(try file.dataset(at: "f32/rank2").readFloats(), [0, 1, 2, 3, 4, 5])
    }

    func testExplicitCloseInvalidatesChildren() throws {
        let file = try HDF5File(path: Fixtures.path("datasets.h5"))
        let group = try file.group(at: "f32")
        let dataset = try group.dataset(at: "rank1")
        XCTAssertTrue(file.isOpen)
        file.close()
        file.close()  // harmless twice
        XCTAssertFalse(file.isOpen)
        let error = assertHDF5Error(try dataset.readFloats())
        XCTAssertEqual(error?.kind, .fileClosed)
        XCTAssertEqual(error?.description, "'\(Fixtures.path("datasets.h5"))' was closed before using dataset 'f32/rank1'")
        XCTAssertEqual(assertHDF5Error(try group.childNames())?.kind, .fileClosed)
        XCTAssertEqual(assertHDF5Error(try file.chunkedStringArrayAttribute("x"))?.kind, .fileClosed)
        XCTAssertFalse(group.contains("rank1"))
        XCTAssertFalse(file.hasAttribute("anything"))
    }

    func testChildKeepsFileOpenAfterFileValueIsReleased() throws {
        let dataset = try HDF5File(path: Fixtures.path("datasets.h5")).group(at: "f32").dataset(at: "rank1")
        XCTAssertEqual(try dataset.readFloats(), [1, -2, 0.25])
        XCTAssertEqual(dataset.filePath, Fixtures.path("datasets.h5"))
    }

    func testReleasingEverythingClosesTheFileOnDisk() throws {
        // Reopening for writing fails while another handle has the file open read-only
        // (HDF5 refuses to open one file twice with different access flags).
        let tmp = try TemporaryDirectory()
        let path = tmp.path("c.h5")
        try FileManager.default.copyItem(atPath: Fixtures.path("datasets.h5"), toPath: path)
        var reader: HDF5Dataset? = try HDF5File(path: path).dataset(at: "f32/rank1")
        XCTAssertNotNil(assertHDF5Error(try HDF5File(path: path, mode: .readWrite)))
        XCTAssertEqual(try reader?.readFloats(), [1, -2, 0.25])
        reader = nil
        XCTAssertNoThrow(try HDF5File(path: path, mode: .readWrite))
    }
}

final class HDF5DamagedFileTests: XCTestCase {
    /// corrupt.h5 keeps its superblock, so it opens; its root group's index is overwritten.
    func testDamageIsReportedNotMistakenForAbsence() throws {
        let path = Fixtures.path("corrupt.h5")
        let file = try HDF5File(path: path)
        let listing = assertHDF5Error(try file.childNames())
        XCTAssertEqual(listing?.kind, .ioFailed)
        XCTAssertEqual(listing?.description, "cannot list the root group in '\(path)': bad symbol table node signature")
        let lookup = assertHDF5Error(try file.dataset(at: "f32/rank4"))
        XCTAssertEqual(lookup?.kind, .ioFailed)
        XCTAssertEqual(lookup?.description, "cannot look up 'f32' in '\(path)': bad symbol table node signature")
        XCTAssertFalse(file.contains("f32"))
    }
}
