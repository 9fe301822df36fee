internal import CProj

/// Converts positions between any two coordinate systems: Siting's named ones (`wgs84`, `cgcs2000`,
/// `gcj02`, `bd09`) and every CRS PROJ knows. Axis order is lon/lat (easting/northing) on both sides.
///
/// **Concurrency.** A converter owns one PROJ context and the transformers made in it, so it is not
/// `Sendable`: make one per thread or task, or borrow one from a `ConverterPool`. The compiler
/// enforces this under Swift 6 strict concurrency. Transformers are cached per (source, target) pair for
/// the converter's lifetime, because building one costs several milliseconds.
public final class CoordinateConverter {
    private let context = ProjContext()
    private var transformers: [TransformerKey: CRSTransformer] = [:]
    private var geographic: [String: Bool] = [:]

    private struct TransformerKey: Hashable {
        var source: String
        var target: String
    }

    public init() {}

    /// The PROJ version this converter runs on, for example "9.1.1".
    public static var projVersion: String {
        guard let release = proj_info().version else { return "unknown" }
        return String(cString: release)
    }

    /// Whether `system` is geographic (lon/lat degrees) rather than projected.
    ///
    /// - Throws: `ProjectionError.unknownCoordinateSystem` with PROJ's reason, or
    ///   `.notACoordinateReferenceSystem`.
    public func isGeographic(_ system: CoordinateSystem) throws(ProjectionError) -> Bool {
        guard case .crs = system, let definition = system.projDefinition else { return true }
        if let known = geographic[definition] { return known }
        let answer = try CRSTransformer.inspect(definition, name: system.description, in: context)
        geographic[definition] = answer
        return answer
    }

    /// A reusable conversion from `source` to `target`, for converting many positions one at a time
    /// without looking the systems up again. It shares this converter's PROJ context, so it is not
    /// `Sendable` either.
    ///
    /// - Throws: `ProjectionError.unknownCoordinateSystem` with PROJ's reason, or another setting-up error.
    public func conversion(from source: CoordinateSystem, to target: CoordinateSystem) throws(ProjectionError)
        -> Conversion
    {
        Conversion(plan: try plan(from: source, to: target), targetIsGeographic: try isGeographic(target))
    }

    /// Converts one position from `source` to `target`.
    ///
    /// Geographic inputs must be finite with longitude in [-180, 180] and latitude in [-90, 90];
    /// projected inputs must be finite.
    /// - Throws: a `ProjectionError` naming the bad input, the unknown system or PROJ's reason.
    public func convert(_ position: Coordinate, from source: CoordinateSystem, to target: CoordinateSystem)
        throws(ProjectionError) -> Coordinate
    {
        let plan = try plan(from: source, to: target)
        return try plan.run(position)
    }

    /// Converts a batch. Setting-up errors (an unknown system) throw; a point that cannot be converted
    /// comes back as `NaN` and is listed with its reason in `failures`.
    public func convert(_ positions: [Coordinate], from source: CoordinateSystem, to target: CoordinateSystem)
        throws(ProjectionError) -> BatchConversion
    {
        let plan = try plan(from: source, to: target)
        var output = positions
        let failures = output.withUnsafeMutableBufferPointer { plan.run(inPlace: $0) }
        return BatchConversion(coordinates: output, failures: failures)
    }

    fileprivate func plan(from source: CoordinateSystem, to target: CoordinateSystem) throws(ProjectionError) -> Plan {
        let pre: ((Coordinate) -> Coordinate)?
        let projSource: CoordinateSystem
        switch source {
        case .gcj02: pre = ChineseOffsets.gcj02ToWgs84; projSource = .wgs84
        case .bd09: pre = ChineseOffsets.bd09ToWgs84; projSource = .wgs84
        default: pre = nil; projSource = source
        }
        let post: ((Coordinate) -> Coordinate)?
        let projTarget: CoordinateSystem
        switch target {
        case .gcj02: post = ChineseOffsets.wgs84ToGcj02; projTarget = .wgs84
        case .bd09: post = ChineseOffsets.wgs84ToBd09; projTarget = .wgs84
        default: post = nil; projTarget = target
        }
        if source == target {
            return Plan(sourceIsGeographic: try isGeographic(source), pre: nil, transformer: nil, post: nil)
        }
        let transformer = projSource == projTarget ? nil : try transformer(from: projSource, to: projTarget)
        let sourceIsGeographic: Bool
        if let transformer { sourceIsGeographic = transformer.sourceIsGeographic } else {
            sourceIsGeographic = try isGeographic(projSource)
        }
        return Plan(sourceIsGeographic: sourceIsGeographic, pre: pre, transformer: transformer, post: post)
    }

    private func transformer(from source: CoordinateSystem, to target: CoordinateSystem)
        throws(ProjectionError) -> CRSTransformer
    {
        // Both are PROJ-known here: GCJ-02 and BD-09 were replaced by WGS84 in `plan`.
        let sourceDefinition = source.projDefinition ?? "EPSG:4326"
        let targetDefinition = target.projDefinition ?? "EPSG:4326"
        let key = TransformerKey(source: sourceDefinition, target: targetDefinition)
        if let cached = transformers[key] { return cached }
        let made = try CRSTransformer(
            context: context, sourceName: source.description, sourceDefinition: sourceDefinition,
            targetName: target.description, targetDefinition: targetDefinition)
        transformers[key] = made
        return made
    }

    /// The steps of one conversion: an optional Chinese offset removed, an optional PROJ operation,
    /// an optional Chinese offset applied.
    fileprivate struct Plan {
        var sourceIsGeographic: Bool
        var pre: ((Coordinate) -> Coordinate)?
        var transformer: CRSTransformer?
        var post: ((Coordinate) -> Coordinate)?

        func validated(_ position: Coordinate) throws(ProjectionError) -> Coordinate {
            sourceIsGeographic ? try position.validatedGeographic() : try position.validatedFinite()
        }

        func run(_ position: Coordinate) throws(ProjectionError) -> Coordinate {
            var point = try validated(position)
            if let pre { point = pre(point) }
            if let transformer {
                do {
                    point = try transformer.transform(point)
                } catch {
                    // Report the position as the caller gave it, not after a Chinese offset was removed.
                    if case .transformFailed(_, let reason) = error { throw .transformFailed(position, projReason: reason) }
                    throw error
                }
            }
            if let post { point = post(point) }
            return point
        }

        func run(inPlace points: UnsafeMutableBufferPointer<Coordinate>) -> [BatchFailure] {
            var failures: [BatchFailure] = []
            var rejected = Set<Int>()
            // Inputs as given, to name them in errors after a Chinese offset has been removed.
            let originals = pre == nil ? nil : Array(points)
            for index in points.indices {
                do {
                    points[index] = try validated(points[index])
                    if let pre { points[index] = pre(points[index]) }
                } catch {
                    failures.append(BatchFailure(index: index, error: error))
                    rejected.insert(index)
                    points[index] = Coordinate(x: 0, y: 0)  // placeholder, set to NaN below
                }
            }
            if let transformer {
                let projFailures = transformer.transform(inPlace: points)
                for failure in projFailures where !rejected.contains(failure.index) {
                    var reported = failure
                    if case .transformFailed(_, let reason) = failure.error, let originals {
                        reported.error = .transformFailed(originals[failure.index], projReason: reason)
                    }
                    failures.append(reported)
                }
            }
            for index in rejected { points[index] = Coordinate(x: .nan, y: .nan) }
            if let post {
                for index in points.indices where points[index].x.isFinite { points[index] = post(points[index]) }
            }
            failures.sort { $0.index < $1.index }
            return failures
        }
    }
}

/// The outcome of converting a batch: every input has an output at the same index; those that failed
/// are `NaN` and listed in `failures` with their reasons.
public struct BatchConversion: Sendable {
    /// Converted positions, in input order; `NaN` where the conversion failed.
    public var coordinates: [Coordinate]
    /// The failed positions, in input order.
    public var failures: [BatchFailure]
}

/// One prepared conversion between two coordinate systems (see `CoordinateConverter.conversion`).
public struct Conversion {
    fileprivate let plan: CoordinateConverter.Plan
    /// Whether outputs are geographic (lon/lat degrees) rather than projected.
    public let targetIsGeographic: Bool
    /// Whether inputs are geographic and so range-checked as longitude and latitude.
    public var sourceIsGeographic: Bool { plan.sourceIsGeographic }

    /// Converts one position.
    ///
    /// - Throws: a `ProjectionError` naming the bad input or PROJ's reason.
    public func convert(_ position: Coordinate) throws(ProjectionError) -> Coordinate {
        try plan.run(position)
    }
}
