import Foundation
import Tapestry

/// Features of one split: block5_pool (the conv base's output), optionally block4_pool, and labels.
struct SplitFeatures {
    let block5: Tensor<Float>
    let block4: Tensor<Float>?
    let labels: Tensor<Float>
}

struct ExtractedSplits {
    let train: SplitFeatures, validation: SplitFeatures, test: SplitFeatures
}

enum Preprocessing: String {
    /// VGG16's own: RGB→BGR and the ImageNet mean subtracted (`VGG16.preprocessInput`).
    case caffe
    /// The tutorials' `ImageDataGenerator(rescale=1./255)`.
    case rescale
}

/// VGG16's own preprocessing as a batch transform.
@Sendable func caffePreprocessing(_ images: Tensor<Float>) -> Tensor<Float> { VGG16.preprocessInput(images) }

/// Extracts features once and keeps them on disk as `.npy`, keyed by the weights file, the
/// image set and the preprocessing, so a second run skips extraction.
struct FeatureCache {
    let base: VGG16
    let options: TransferOptions
    let data: TransferData

    func features(preprocessing: Preprocessing, keepBlock4: Bool) throws -> ExtractedSplits {
        ExtractedSplits(train: try split(.train, preprocessing, keepBlock4),
                        validation: try split(.validation, preprocessing, keepBlock4),
                        test: try split(.test, preprocessing, keepBlock4))
    }

    private func split(_ split: TransferData.Split, _ preprocessing: Preprocessing, _ keepBlock4: Bool) throws -> SplitFeatures {
        let rescale: Float? = preprocessing == .rescale ? 1.0 / 255 : nil
        let dataset = try data.dataset(split, shuffle: false, rescale: rescale)
        if preprocessing == .caffe { dataset.preprocessing = caffePreprocessing }
        let dir = "\(TapestryCache.directory)/features/\(key(dataset, preprocessing))"
        let files = ["block5", "block4", "labels"].map { "\(dir)/\(split.rawValue)_\($0).npy" }
        let fm = FileManager.default
        if fm.fileExists(atPath: files[0]), fm.fileExists(atPath: files[2]), !keepBlock4 || fm.fileExists(atPath: files[1]) {
            print("features (\(split.rawValue), \(preprocessing.rawValue)): cached at \(dir)")
            return SplitFeatures(block5: try NumpyFile.read(files[0]), block4: keepBlock4 ? try NumpyFile.read(files[1]) : nil,
                                 labels: try NumpyFile.read(files[2]))
        }
        print("features (\(split.rawValue), \(preprocessing.rawValue)): extracting \(dataset.sampleCount) images")
        let block4Layer = try base.layer(named: "block4_pool")
        let extractor = Model(inputs: base.inputs, outputs: [block4Layer.output, base.outputs[0]], name: "vgg16_block4_block5")
        try extractor.validate()
        var b4: [Tensor<Float>] = [], b5: [Tensor<Float>] = [], labels: [Tensor<Float>] = []
        let bar = ProgressBar(total: dataset.batchCount, verbosity: .progressBar)
        var iterator = dataset.makeIterator(epoch: 0)
        var step = 0
        let started = Date()
        while let batch = try iterator.next() {
            let outputs = withoutGradients { extractor.call([Variable(batch.x)], training: false) }
            if keepBlock4 { b4.append(outputs[0].value) }
            b5.append(outputs[1].value)
            labels.append(batch.y!)
            step += 1
            bar.update(step: step, values: [:])
        }
        bar.finish(values: [:])
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "  %.1f images/s", Double(dataset.sampleCount) / seconds))
        let result = SplitFeatures(block5: Tensor.concatenate(b5, axis: 0), block4: keepBlock4 ? Tensor.concatenate(b4, axis: 0) : nil,
                                   labels: Tensor.concatenate(labels, axis: 0))
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try NumpyFile.write(result.block5, to: files[0])
        if let block4 = result.block4 { try NumpyFile.write(block4, to: files[1]) }
        try NumpyFile.write(result.labels, to: files[2])
        return result
    }

    /// FNV-1a over everything the features depend on.
    private func key(_ dataset: ImageDataset, _ preprocessing: Preprocessing) -> String {
        var text = "v1|\(preprocessing.rawValue)|\(options.imageSize)|\(dataset.interpolation)|"
        let attributes = try? FileManager.default.attributesOfItem(atPath: options.weightsPath)
        text += "\(options.weightsPath)|\(attributes?[.size] ?? 0)|\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)|"
        for path in dataset.filePaths() {
            let size: Any = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) ?? 0
            text += "\(path):\(size)|"
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
