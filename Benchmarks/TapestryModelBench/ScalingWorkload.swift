import Tapestry

/// The (batch, size) points of the scaling workload: batch 1/8/20/64 at 150×150 and 112/150/224
/// pixels at batch 20 (the shared point 20 × 150 once); --quick leaves out the two largest.
/// As keras_reference.py's SCALING_POINTS.
let scalingPoints = [(1, 150), (8, 150), (20, 150), (64, 150), (20, 112), (20, 224)]
let quickScalingPoints = [(1, 150), (8, 150), (20, 150), (20, 112)]

/// scaling: conv base forward seconds per image at each point. Linear cost means constant seconds
/// per image across batches and constant seconds per image-megapixel across sizes.
func scalingWorkload(quick: Bool) throws -> [String: Any] {
    let r = Repetitions(quick: quick, quickReps: 1, fullReps: 3)
    var models: [Int: VGG16] = [:]
    var points: [[String: Any]] = []
    for (batch, size) in quick ? quickScalingPoints : scalingPoints {
        if models[size] == nil { models[size] = try vgg16(size: size) }
        let base = models[size]!, x = randomImages(batch, size: size)
        let times = try r.times { _ = try withoutGradients { try base.predictOnBatch(x) } }
        let med = median(times)
        points.append(["batch": batch, "size": size, "seconds_per_batch": med, "seconds_per_image": med / Double(batch),
                       "images_per_second": Double(batch) / med, "times": times])
    }
    return ["points": points].merging(r.fields) { $1 }
}
