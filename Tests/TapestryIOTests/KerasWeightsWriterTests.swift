import Foundation
import XCTest
import TapestryIO

/// Files Tapestry writes: the same HDF5 tree as Keras's (structure.json), readable back, and the
/// round trip through Keras recorded in Fixtures/tapestry_written/roundtrip_record.json.
final class KerasWeightsWriterTests: XCTestCase {
    private lazy var structure: [String: Any] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("structure.json")))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    /// Swift-written file vs the Keras-written file of the same kind: the same paths, kinds,
    /// dataset shapes and dtypes, attribute names, string storage (fixed/variable), character sets and values.
    private func assertSameTree(_ path: String, asKeras kerasFile: String, line: UInt = #line) throws {
        let ours = try HDF5Inventory(file: path).objects
        let keras = HDF5Inventory.keras(kerasFile, structure: structure)
        XCTAssertEqual(Set(ours.keys), Set(keras.keys),
                       "\(kerasFile): extra \(Set(ours.keys).subtracting(keras.keys).sorted()), missing \(Set(keras.keys).subtracting(ours.keys).sorted())",
                       line: line)
        for (objectPath, expected) in keras {
            guard let got = ours[objectPath] else { continue }
            XCTAssertEqual(got, expected, "\(kerasFile) \(objectPath)", line: line)
        }
    }

    func testWrittenFilesHaveTheTreeKerasWrites() throws {
        let dir = try scratchDirectory()
        try RoundTripFiles.write(into: dir)
        for (kind, name) in RoundTripFiles.files {
            try assertSameTree(dir + "/" + name, asKeras: name)
            _ = kind
        }
    }

    func testSavedWeightsLoadBackIdentically() throws {
        let dir = try scratchDirectory()
        for name in ["m.weights.h5", "m.h5", "m.hdf5"] {
            setRandomSeed(7)
            let (_, model) = MiniVGG.classifier()
            try model.saveWeights(to: dir + "/" + name)
            let (_, fresh) = MiniVGG.classifier()
            try MiniVGG.zero(fresh)
            let report = try fresh.loadWeights(from: dir + "/" + name)
            XCTAssertEqual(report.format, name.hasSuffix(".weights.h5") ? .kerasV3 : .legacyH5, name)
            XCTAssertTrue(report.isComplete, "\(report)")
            XCTAssertEqual(fresh.weights.map(\.value.scalars), model.weights.map(\.value.scalars), name)
            XCTAssertFalse(model.weights[0].value.scalars.allSatisfy { $0 == 0 })
        }
    }

    func testSaveLeavesNoTemporaryFileAndReplacesAnExistingFile() throws {
        let dir = try scratchDirectory()
        let path = dir + "/w.weights.h5"
        try "not weights".write(toFile: path, atomically: false, encoding: .utf8)
        let base = MiniVGG.base()
        try base.saveWeights(to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["w.weights.h5"])
        XCTAssertEqual(try KerasWeightsReader(path: path).format, .kerasV3)
    }

    func testSaveErrorsNameThePath() throws {
        let base = MiniVGG.base()
        XCTAssertThrowsError(try base.saveWeights(to: "/tmp/w.keras")) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .unsupportedPath)
            XCTAssertTrue(e.description.contains("/tmp/w.keras") && e.description.contains(".weights.h5"), e.description)
        }
        let missingDirectory = "/nonexistent-\(ProcessInfo.processInfo.processIdentifier)/w.h5"
        XCTAssertThrowsError(try base.saveWeights(to: missingDirectory)) { error in
            let e = error as! WeightsError
            XCTAssertEqual(e.kind, .writeFailed)
            XCTAssertTrue(e.description.contains(missingDirectory), e.description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missingDirectory))
    }

    func testLongLayerNameListsAreChunkedAsKerasDoes() throws {
        // 700 layers with 100-character names exceed the 64 KB header limit: Keras splits them
        // into fixed-length layer_names0, layer_names1, …
        clearSession()
        let inputs = Input(shape: [1], name: "in")
        var x = inputs
        for i in 0..<700 {
            x = Dense(1, useBias: false, name: "dense_" + String(repeating: "x", count: 90) + String(format: "%04d", i))(x)
        }
        let model = Model(inputs: inputs, outputs: x, name: "deep")
        let dir = try scratchDirectory()
        try model.saveWeights(to: dir + "/deep.h5")
        let file = try HDF5File(path: dir + "/deep.h5")
        XCTAssertFalse(file.hasAttribute("layer_names"))
        XCTAssertTrue(file.hasAttribute("layer_names0") && file.hasAttribute("layer_names1"))
        XCTAssertEqual(try file.attributeInfo("layer_names0").elementType, .string(variableLength: false))
        XCTAssertEqual(try file.chunkedStringArrayAttribute("layer_names"), model.layers.map(\.name))
        let copy = Model(inputs: inputs, outputs: x, name: "deep")
        XCTAssertEqual(try copy.loadWeights(from: dir + "/deep.h5").loaded.count, 700)
    }

    // MARK: The round trip through Keras

    private var recordPath: String { Fixtures.tapestryWritten + "/roundtrip_record.json" }

    /// Writes the round-trip files into Fixtures/tapestry_written when asked to; then run
    /// `record_roundtrip.py` (see Tests/FIXTURES.md) to have Keras check them and record the result.
    func testWriteRoundTripFilesWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["TAPESTRY_WRITE_ROUNDTRIP_FILES"] == "1" else {
            throw XCTSkip("set TAPESTRY_WRITE_ROUNDTRIP_FILES=1 to rewrite Fixtures/tapestry_written")
        }
        try FileManager.default.createDirectory(atPath: Fixtures.tapestryWritten, withIntermediateDirectories: true)
        try RoundTripFiles.write(into: Fixtures.tapestryWritten)
    }

    func testKerasLoadedTheTapestryWrittenFilesAndTheyAreStillThoseFiles() throws {
        guard let data = FileManager.default.contents(atPath: recordPath) else {
            XCTFail("\(recordPath) is missing: write the files (TAPESTRY_WRITE_ROUNDTRIP_FILES=1) and run record_roundtrip.py")
            return
        }
        let record = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let results = record["results"] as! [[String: Any]]
        XCTAssertEqual(Set(results.map { $0["kind"] as! String }), Set(RoundTripFiles.files.map(\.kind)))
        let reference = MiniVGGReference.shared
        let referenceHashes = Set(reference.weights.map { SHA256.hex(floats: $0.value.data) })
        for result in results {
            let kind = result["kind"] as! String
            let name = (result["file"] as! String).split(separator: "/").last.map(String.init)!
            let path = Fixtures.tapestryWritten + "/" + name
            // Keras loaded the file and every weight was bit-identical to the reference.
            XCTAssertEqual(result["ok"] as? Bool, true, "\(kind): \(result["error"] ?? "")")
            let weights = result["weights"] as! [[String: Any]]
            XCTAssertEqual(weights.count, kind.hasPrefix("base") ? 8 : 10, kind)
            XCTAssertTrue(weights.allSatisfy { $0["equal"] as? Bool == true }, kind)
            XCTAssertEqual(result["structure_differences"] as? [String], [], kind)

            // The committed file is byte for byte the one Keras checked…
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(SHA256.hex(bytes), result["sha256"] as? String, "\(name) changed since Keras checked it")
            // …and Tapestry reads from it the arrays the record lists, which are Keras's reference weights.
            let recorded = result["datasets"] as! [String: String]
            let reader = try KerasWeightsReader(path: path)
            let stored = (reader.allLayers.flatMap(\.weights) + reader.topLevelWeights)
            XCTAssertEqual(stored.count, recorded.count, name)
            for weight in stored {
                let hash = SHA256.hex(floats: try reader.values(of: weight))
                XCTAssertEqual(hash, recorded["/" + weight.datasetPath], "\(name): /\(weight.datasetPath)")
                XCTAssertTrue(referenceHashes.contains(hash), "\(name): /\(weight.datasetPath) is not one of the reference weights")
            }
        }
    }

    func testTheWriterStillWritesWhatKerasVouchedFor() throws {
        guard FileManager.default.fileExists(atPath: recordPath) else {
            XCTFail("\(recordPath) is missing: write the files (TAPESTRY_WRITE_ROUNDTRIP_FILES=1) and run record_roundtrip.py")
            return
        }
        let dir = try scratchDirectory()
        try RoundTripFiles.write(into: dir)
        for (_, name) in RoundTripFiles.files {
            let now = try HDF5Inventory(file: dir + "/" + name).objects
            let vouched = try HDF5Inventory(file: Fixtures.tapestryWritten + "/" + name).objects
            XCTAssertEqual(now, vouched, name)
            let a = try KerasWeightsReader(path: dir + "/" + name), b = try KerasWeightsReader(path: Fixtures.tapestryWritten + "/" + name)
            for (x, y) in zip(a.allLayers.flatMap(\.weights), b.allLayers.flatMap(\.weights)) {
                XCTAssertEqual(try a.values(of: x), try b.values(of: y), "\(name): /\(x.datasetPath)")
            }
        }
    }

    func testSHA256KnownAnswers() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
