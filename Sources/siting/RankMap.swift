import Foundation
import SitingCore
import SitingMap

/// The plan map of a ranking: the ranked area's region outlines, its demand surface, own outlets,
/// competitors and the picks numbered in order.
enum RankMap {
    /// Most outlines drawn; beyond it the map draws the next level up (prefectures, then provinces).
    static let maximumOutlines = 400

    static func planMap(_ result: Ranking.Result, report: PlanJSON.Report, regions: [Region], competitors: [Competitor]) -> PlanMap {
        let surface = result.surface
        // The regions that hold ranked cells, at the finest level with few enough outlines.
        let usedZones = Set(surface.grid.cells.map(\.zone))
        let chains = usedZones.map { surface.zones[Int($0)].adcodes }
        var outlines: [MultiPolygon] = []
        if !chains.isEmpty {
            let byAdcode = Dictionary(regions.map { ($0.adcode, $0) }, uniquingKeysWith: { a, _ in a })
            let depth = chains.map(\.count).max() ?? 0
            for level in 0..<max(1, depth) {
                let adcodes = Set(chains.compactMap { $0.count > level ? $0[level] : $0.last })
                if adcodes.count <= maximumOutlines || level == depth - 1 {
                    outlines = adcodes.sorted().compactMap { byAdcode[$0]?.boundary }
                    break
                }
            }
        }
        let cells = zip(surface.grid.cells, surface.demand).map { PlanMap.DemandCell(center: $0.center, demand: $1) }
        let picks = report.picks.map { PlanMap.Pick(position: Coordinate(x: $0.lng, y: $0.lat), label: "\($0.id) \($0.region ?? "")", netGain: $0.net_gain) }
        let title = "\(report.picks.count) new sites for \(areaName(report, regions: regions))"
        let subtitle = "Huff \(report.parameters.decay), cutoff \(Int(report.parameters.cutoff_meters)) m · demand captured "
            + "\(RankOutput.grouped(report.objective_before)) → \(RankOutput.grouped(report.objective)) "
            + "(+\(RankOutput.grouped(report.gain))), within \(String(format: "%.1f", report.within_percent_of_optimal))% of optimal"
        return PlanMap(title: title, subtitle: subtitle, boundaries: outlines, demandCells: cells, cellSizeMeters: surface.grid.cellSizeMeters,
                       ownOutlets: result.outlets.map(\.position), competitors: competitors.map(\.position), picks: picks)
    }

    /// "上海市 (310000)", "mainland China (100000)" or the box.
    static func areaName(_ report: PlanJSON.Report, regions: [Region]) -> String {
        if report.area == DemandSurface.mainlandAdcode { return "mainland China (\(report.area))" }
        if let region = regions.first(where: { $0.adcode == report.area }) { return "\(region.name) (\(region.adcode))" }
        return report.area
    }
}
