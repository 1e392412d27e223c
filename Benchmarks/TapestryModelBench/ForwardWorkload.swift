import Tapestry

/// forward_150 / forward_224: the conv base in inference mode, batch 20, no gradients: images/s.
func forwardWorkload(size: Int, quick: Bool) throws -> [String: Any] {
    let base = try vgg16(size: size)
    let x = randomImages(batchSize, size: size)
    let r = Repetitions(quick: quick, quickReps: 3, fullReps: 7)
    let times = try r.times { _ = try withoutGradients { try base.predictOnBatch(x) } }
    let med = median(times)
    return ["seconds_per_batch": med, "images_per_second": Double(batchSize) / med, "times": times]
        .merging(r.fields) { $1 }
}
