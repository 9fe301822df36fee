// The load test's data (load/run.sh): the seeded outlets CSV and the query points, written by the same
// generators the suites use (BenchmarkData), so the HTTP figures are measured on the data the
// in-process ones are.
//
//   LoadTestData outlets --count 1000000 --seed 1000 --geodata Geodata --output outlets.csv
//       outlets placed like real ones (`OutletGenerator`, the Store suite's CSV: same seed, same rows)
//   LoadTestData points --count 10000 --seed 202 --geodata Geodata --output points.txt
//       query points where people are (`SettlementPlacement`, the Nearby suite's query points for
//       seed 202): one `latitude longitude` pair a line, WGS84 degrees, six decimals

import BenchmarkData
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("LoadTestData: \(message)\n".utf8))
    exit(2)
}

let usage = "usage: LoadTestData outlets|points --count N --seed S --output FILE [--geodata DIR]"
var arguments = Array(CommandLine.arguments.dropFirst())
guard let what = arguments.first, what == "outlets" || what == "points" else { fail(usage) }
var options: [String: String] = [:]
var index = 1
while index < arguments.count {
    let name = arguments[index]
    guard name.hasPrefix("--"), index + 1 < arguments.count else { fail(usage) }
    options[String(name.dropFirst(2))] = arguments[index + 1]
    index += 2
}
guard let count = options["count"].flatMap(Int.init), count > 0,
      let seed = options["seed"].flatMap(UInt64.init), let output = options["output"]
else { fail(usage) }
let geodata = options["geodata"].map { URL(fileURLWithPath: $0) } ?? SettlementPlacement.geodata

do {
    switch what {
    case "outlets":
        try OutletGenerator(geodata: geodata, seed: seed).writeCSV(count: count, to: output)
    default:
        let positions = try SettlementPlacement(geodata: geodata).positions(count: count, seed: seed)
        var text = ""
        text.reserveCapacity(count * 24)
        for position in positions {
            text += String(format: "%.6f %.6f\n", position.latitude, position.longitude)
        }
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }
} catch {
    fail("\(error)")
}
