import Foundation
import SitingCore

/// The text forms of a ranking report: a table for people, CSV and GeoJSON for tools.
enum RankOutput {
    static func printTable(_ report: PlanJSON.Report, elapsedSeconds: Double) {
        func number(_ value: Double) -> String { grouped(value.rounded()) }
        print("Ranking \(report.area): \(report.picks.count) sites from \(grouped(Double(report.candidates))) candidates "
              + "(\(grouped(Double(report.cells))) land cells of \(Int(report.cell_size_meters)) m; population from \(report.population_source))")
        print("Population \(number(report.total_population)), demand \(number(report.total_demand)) "
              + "(demand = population × financial index; 1 = national mean)")
        let p = report.parameters
        let decay = p.decay == "power" ? "power β=\(p.decay_exponent ?? 0)" : p.decay == "exponential" ? "exponential λ=\(Int(p.decay_scale_meters ?? 0)) m" : "step"
        print("Model: Huff, \(decay), cutoff \(Int(p.cutoff_meters)) m, outside option u0=\(String(format: "%.4g", p.outside_utility)), service distance \(Int(p.service_meters)) m")
        print("")
        var rows: [[String]] = [["#", "id", "lng", "lat", "region", "gross", "cannib.", "from comp.", "new mkt", "net gain", "new cover pop", "cell pop"]]
        for pick in report.picks {
            rows.append([String(pick.pick) + (pick.fixed ? "*" : ""), pick.id, String(format: "%.5f", pick.lng), String(format: "%.5f", pick.lat),
                         pick.region.map { "\($0) \(pick.adcode ?? "")" } ?? "-",
                         number(pick.gross_capture), number(pick.cannibalization), number(pick.won_from_competitors),
                         number(pick.new_to_market), number(pick.net_gain), number(pick.newly_covered_population), number(pick.cell_population)])
        }
        printColumns(rows, rightAligned: Set(5...11))
        print("")
        print("Demand captured by own outlets: \(number(report.objective_before)) before, \(number(report.objective)) after (+\(number(report.gain)))")
        print("Upper bound on the best plan: \(number(report.upper_bound)); this plan is within \(String(format: "%.1f", report.within_percent_of_optimal))% of optimal "
              + "(\(report.swaps) swap\(report.swaps == 1 ? "" : "s"), \(grouped(Double(report.evaluations))) gain evaluations, \(String(format: "%.2f", elapsedSeconds)) s)")
        let stages = ["surface", "market", "plan"].compactMap { name in report.stage_seconds[name].map { "\(name) \(String(format: "%.2f", $0)) s" } }
        print("Time: " + stages.joined(separator: ", "))
        if report.picks.count < report.sites {
            print("Note: only \(report.picks.count) of the \(report.sites) sites could be placed under the constraints (spacing, region caps, exclusions).")
        }
        if !report.outlet_losses.isEmpty {
            print("")
            print("Own outlets losing the most demand to the plan:")
            var losses: [[String]] = [["id", "captured before", "lost", "name"]]
            for loss in report.outlet_losses.prefix(5) {
                losses.append([loss.id, number(loss.capture_before), number(loss.demand_lost), loss.name])
            }
            printColumns(losses, rightAligned: [1, 2])
        }
    }

    /// Whole number with thousands separators.
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let digits = String(Int64(abs(value).rounded()))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 && digits != "0" ? "-" : "") + out
    }

    /// Display width: East Asian wide characters take two columns.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xA4CF).contains($1.value)
            || (0xAC00...0xD7A3).contains($1.value) || (0xF900...0xFAFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value))) ? 2 : 1) }
    }

    static func printColumns(_ rows: [[String]], rightAligned: Set<Int>) {
        let widths = (0..<rows[0].count).map { column in rows.map { width($0[column]) }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - width(text))
                return rightAligned.contains(column) ? pad + text : (column == row.count - 1 ? text : text + pad)
            }
            print(cells.joined(separator: "  "))
        }
    }

    static let csvHeader = "pick,id,lng,lat,adcode,region,cell_population,cell_demand,gross_capture,cannibalization,won_from_competitors,new_to_market,net_gain,newly_covered_population,fixed"

    /// The picks as CSV (RFC 4180), one line per pick.
    static func csv(_ report: PlanJSON.Report) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func value(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines = [csvHeader]
        for pick in report.picks {
            lines.append([String(pick.pick), field(pick.id), String(format: "%.7f", pick.lng), String(format: "%.7f", pick.lat),
                          pick.adcode ?? "", field(pick.region ?? ""), value(pick.cell_population), value(pick.cell_demand),
                          value(pick.gross_capture), value(pick.cannibalization), value(pick.won_from_competitors),
                          value(pick.new_to_market), value(pick.net_gain), value(pick.newly_covered_population),
                          pick.fixed ? "1" : "0"].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct FeatureCollection: Encodable {
        struct Feature: Encodable {
            struct Point: Encodable { var type = "Point"; var coordinates: [Double] }
            var type = "Feature"
            var geometry: Point
            var properties: PlanJSON.Pick
        }
        var type = "FeatureCollection"
        var features: [Feature]
    }

    /// The picks as an RFC 7946 FeatureCollection (WGS84 [lon, lat]).
    static func featureCollection(_ report: PlanJSON.Report) -> FeatureCollection {
        FeatureCollection(features: report.picks.map { FeatureCollection.Feature(geometry: .init(coordinates: [$0.lng, $0.lat]), properties: $0) })
    }
}
