/// A named benchmark workload: runs in a fresh process and returns its JSON fields.
struct Workload {
    let name: String
    let run: (_ quick: Bool) throws -> [String: Any]

    /// Same names and definitions as Benchmarks/keras_reference.py, so the ratios compare like with like.
    static let all: [Workload] = [
        Workload(name: "forward_150") { try forwardWorkload(size: 150, quick: $0) },
        Workload(name: "forward_224") { try forwardWorkload(size: 224, quick: $0) },
        Workload(name: "head_fit_epoch") { try headFitWorkload(quick: $0) },
        Workload(name: "frozen_step") { try trainStepWorkload(block5: false, quick: $0) },
        Workload(name: "block5_step") { try trainStepWorkload(block5: true, quick: $0) },
        Workload(name: "conv_layers") { try convLayersWorkload(quick: $0) },
        Workload(name: "block5_epoch") { try block5EpochWorkload(quick: $0) },
        Workload(name: "scaling") { try scalingWorkload(quick: $0) },
    ]
}
