import Foundation

/// Wall-clock seconds of `body`: the median of `repetitions` runs after `warmup` unmeasured ones.
func medianSeconds(repetitions: Int, warmup: Int = 1, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<max(repetitions, 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
func format(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
