// InstructionCounts: the CI gate on instruction counts, measured with callgrind because this project's
// machines expose no hardware counters (README.md, "Instruction gate").
//
//   InstructionCounts check [CASE...]    measure under callgrind, compare with the thresholds, print a
//                                        table; exit 1 on a regression (> +3%), on an improvement
//                                        beyond -10% (stale thresholds) or on a case without threshold
//   InstructionCounts update [CASE...]   measure twice (must agree within 0.1%), rewrite the thresholds
//   InstructionCounts list               the cases
//   InstructionCounts run CASE           what callgrind runs: set up CASE, then run its measured part
//
// Options: --thresholds FILE (default Benchmarks/Thresholds/instructions.json), --valgrind PROGRAM.

import Foundation

let usage = """
    usage: InstructionCounts check|update [CASE...] [--thresholds FILE] [--valgrind PROGRAM]
           InstructionCounts list
           InstructionCounts run CASE
    """

func fail(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail(usage) }
arguments.removeFirst()

var gate = InstructionGate()
var names: [String] = []
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--thresholds":
        guard let path = arguments.first else { fail("--thresholds needs a file\n" + usage) }
        gate.thresholdsFile = URL(fileURLWithPath: path)
        arguments.removeFirst()
    case "--valgrind":
        guard let program = arguments.first else { fail("--valgrind needs a program\n" + usage) }
        gate.valgrind = program
        arguments.removeFirst()
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        guard GatedCase.named(argument) != nil else {
            fail("unknown case '\(argument)'; the cases: \(GatedCase.all.map(\.name).joined(separator: ", "))")
        }
        names.append(argument)
    }
}
let selected = names.isEmpty ? GatedCase.all : names.map { GatedCase.named($0)! }

switch command {
case "list":
    for gated in GatedCase.all {
        print("\(gated.name): \(gated.operations) operations, each a \(gated.operation)")
    }

case "run":
    guard selected.count == 1, !names.isEmpty else { fail("run takes exactly one case\n" + usage) }
    do {
        measuredWork = try selected[0].prepare()
    } catch {
        fail("\(selected[0].name): set-up failed: \(error)")
    }
    // Printed, so the optimizer must compute it.
    print("\(selected[0].name) checksum \(measured())")

case "check":
    do {
        let started = Date()
        let measurements = try gate.measure(selected)
        let (table, passed) = InstructionGate.report(measurements, thresholds: try gate.readThresholds())
        print("Instructions per operation (callgrind), thresholds \(gate.thresholdsFile.path)")
        print(table)
        print(String(format: "%.0f s under callgrind. ", Date().timeIntervalSince(started)), terminator: "")
        if passed {
            print("Instruction gate passed (tolerance +\(InstructionGate.regressionPercent)%).")
        } else {
            print("""
                Instruction gate FAILED: a regression is above +\(InstructionGate.regressionPercent)%; \
                an improvement beyond -\(InstructionGate.improvementPercent)% or a missing threshold means the \
                thresholds are stale. After an intended change: make bench-update-instructions (review the diff, commit).
                """)
            exit(1)
        }
    } catch {
        fail("instruction gate: \(error)")
    }

case "update":
    do {
        let first = try gate.measure(selected)
        let second = try gate.measure(selected)
        for (a, b) in zip(first, second) {
            let spread = abs(Double(a.instructions - b.instructions)) / Double(a.instructions) * 100
            print(a.name + String(format: ": %.1f and %.1f instructions per operation, %.4f%% apart", a.perOperation, b.perOperation, spread))
            guard spread <= InstructionGate.repeatabilityPercent else {
                fail("\(a.name): two runs differ by \(spread)%: not repeatable, thresholds not written", status: 1)
            }
        }
        try gate.writeThresholds(first)
        print("Wrote \(gate.thresholdsFile.path)")
    } catch {
        fail("instruction gate: \(error)")
    }

default:
    fail("unknown command '\(command)'\n" + usage)
}
