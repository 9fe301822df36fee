internal import CProj

/// A PROJ operation between two coordinate reference systems PROJ knows, normalized to lon/lat
/// (easting/northing) axis order on both sides.
///
/// Not `Sendable`: it belongs to the `ProjContext` it was made in and is used by one thread at a time.
/// Build through `CoordinateConverter`, which caches transformers (building one costs milliseconds).
final class CRSTransformer {
    let context: ProjContext
    let handle: OpaquePointer
    /// Whether the target system is geographic (degrees), for output formatting.
    let targetIsGeographic: Bool
    /// Whether the source system is geographic, so inputs can be range-checked.
    let sourceIsGeographic: Bool

    /// Builds the operation from `sourceDefinition` to `targetDefinition` (PROJ definitions).
    ///
    /// - Throws: `ProjectionError.unknownCoordinateSystem` naming the side PROJ could not read, with
    ///   PROJ's reason; `.notACoordinateReferenceSystem`; `.noTransformation`.
    init(context: ProjContext, sourceName: String, sourceDefinition: String, targetName: String,
         targetDefinition: String) throws(ProjectionError) {
        self.context = context
        // WGS84 lon/lat to or from a projection PROJ string on the WGS84 datum (the demand grid's Albers):
        // PROJ's own pipeline, written out, instead of a search of its database for operations (about
        // 10 ms each time, the largest fixed cost of a city's ranking).
        if let pipeline = Self.directPipeline(from: sourceDefinition, to: targetDefinition),
           let raw = proj_create(context.handle, pipeline.text) {
            handle = raw
            sourceIsGeographic = pipeline.forward
            targetIsGeographic = !pipeline.forward
            return
        }
        sourceIsGeographic = try Self.inspect(sourceDefinition, name: sourceName, in: context)
        targetIsGeographic = try Self.inspect(targetDefinition, name: targetName, in: context)
        context.resetDiagnostics()
        guard let raw = proj_create_crs_to_crs(context.handle, sourceDefinition, targetDefinition, nil) else {
            throw .noTransformation(source: sourceName, target: targetName, projReason: context.lastFailureReason())
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(context.handle, raw) else {
            throw .noTransformation(source: sourceName, target: targetName, projReason: context.lastFailureReason())
        }
        handle = normalized
    }

    deinit {
        proj_destroy(handle)
    }

    /// The pipeline between EPSG:4326 (lon/lat degrees, as normalized for visualization) and a PROJ
    /// string `+proj=… +datum=WGS84 … +type=crs` of a projection on the same datum; nil otherwise.
    static func directPipeline(from source: String, to target: String) -> (text: String, forward: Bool)? {
        func projection(_ definition: String) -> String? {
            let parts = definition.split(separator: " ")
            guard parts.first?.hasPrefix("+proj=") == true, parts.contains("+datum=WGS84"), parts.contains("+type=crs"),
                  !parts.contains("+proj=longlat"), !parts.contains("+proj=latlong"),
                  !parts.contains(where: { $0.hasPrefix("+towgs84") || $0.hasPrefix("+nadgrids") || $0.hasPrefix("+geoidgrids") })
            else { return nil }
            return parts.filter { $0 != "+type=crs" && $0 != "+no_defs" }.joined(separator: " ")
        }
        if source == "EPSG:4326", let step = projection(target) {
            return ("+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step \(step)", true)
        }
        if target == "EPSG:4326", let step = projection(source) {
            return ("+proj=pipeline +step +inv \(step) +step +proj=unitconvert +xy_in=rad +xy_out=deg", false)
        }
        return nil
    }

    /// Reads one definition, checks it is a CRS and says whether it is geographic.
    static func inspect(_ definition: String, name: String, in context: ProjContext)
        throws(ProjectionError) -> Bool
    {
        context.resetDiagnostics()
        guard let object = proj_create(context.handle, definition) else {
            throw .unknownCoordinateSystem(name: name, projReason: context.lastFailureReason())
        }
        defer { proj_destroy(object) }
        guard proj_is_crs(object) != 0 else { throw .notACoordinateReferenceSystem(name: name) }
        // PROJ resolves a bare name by approximate matching ("bd-9" becomes "IKBD-92"); a coordinate
        // system silently swapped for a similar-sounding one is worse than an error, so names must match.
        if isBareName(definition) {
            let found = proj_get_name(object).map { String(cString: $0) } ?? ""
            guard found.caseInsensitiveEquals(definition) else {
                throw .unknownCoordinateSystem(
                    name: name, projReason: "no system has exactly that name (the closest PROJ knows is \"\(found)\")")
            }
        }
        return isGeographic(object, in: context)
    }

    /// Whether a definition is a plain name rather than an authority code, a PROJ string, WKT or PROJJSON.
    private static func isBareName(_ definition: String) -> Bool {
        !(definition.hasPrefix("+") || definition.contains(":") || definition.contains("[") || definition.hasPrefix("{"))
    }

    private static func isGeographic(_ crs: OpaquePointer, in context: ProjContext) -> Bool {
        switch proj_get_type(crs) {
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS, PJ_TYPE_GEOGRAPHIC_CRS:
            return true
        case PJ_TYPE_BOUND_CRS, PJ_TYPE_COMPOUND_CRS:
            let base = proj_get_type(crs) == PJ_TYPE_BOUND_CRS
                ? proj_get_source_crs(context.handle, crs)
                : proj_crs_get_sub_crs(context.handle, crs, 0)
            guard let base else { return false }
            defer { proj_destroy(base) }
            return isGeographic(base, in: context)
        default:
            return false
        }
    }

    /// Transforms one point; `NaN`-free output or an error with PROJ's reason.
    @inline(__always)
    func transform(_ point: Coordinate) throws(ProjectionError) -> Coordinate {
        let input = PJ_COORD(xyzt: PJ_XYZT(x: point.x, y: point.y, z: 0, t: .infinity))
        let output = proj_trans(handle, PJ_FWD, input)
        let x = output.xyzt.x
        let y = output.xyzt.y
        guard x.isFinite, y.isFinite else { throw failure(at: point) }
        return Coordinate(x: x, y: y)
    }

    /// Transforms `points` in place. Points PROJ cannot transform become `NaN` and are listed, with
    /// PROJ's reason, in the returned failures (never left as a silent infinity).
    func transform(inPlace points: UnsafeMutableBufferPointer<Coordinate>) -> [BatchFailure] {
        var failures: [BatchFailure] = []
        for index in points.indices {
            let point = points[index]
            let input = PJ_COORD(xyzt: PJ_XYZT(x: point.x, y: point.y, z: 0, t: .infinity))
            let output = proj_trans(handle, PJ_FWD, input)
            let x = output.xyzt.x
            let y = output.xyzt.y
            if x.isFinite, y.isFinite {
                points[index] = Coordinate(x: x, y: y)
            } else {
                failures.append(BatchFailure(index: index, error: failure(at: point)))
                points[index] = Coordinate(x: .nan, y: .nan)
            }
        }
        return failures
    }

    private func failure(at point: Coordinate) -> ProjectionError {
        let errno = proj_errno(handle)
        let reason: String
        if errno != 0, let text = proj_context_errno_string(context.handle, errno) {
            reason = String(cString: text)
        } else {
            reason = context.lastFailureReason(for: handle)
        }
        proj_errno_reset(handle)
        return .transformFailed(point, projReason: reason)
    }
}

/// One point of a batch that could not be converted.
public struct BatchFailure: Sendable, Equatable {
    /// Position of the point in the batch (0-based).
    public var index: Int
    /// Why it failed.
    public var error: ProjectionError
}
