import Foundation
import SitingCore

/// The plan map's projection: equirectangular, centred on the data, with the WGS84 ellipsoid's own
/// scale at the centre in both directions.
///
/// With φ0, λ0 the centre (degrees) and N(φ0), M(φ0) the prime-vertical and meridian radii of curvature
/// there, a position (λ, φ) maps to ground metres
///
///     x = (λ − λ0) · N(φ0) · cos φ0 · π/180        y = (φ − φ0) · M(φ0) · π/180
///
/// and then to pixels as `centerPixel + (x, −y) · pixelsPerMeter` (north up, SVG's y grows downward).
/// The scale is exact at the centre in every direction, so a scale bar computed there is true there.
/// Away from the centre the east-west scale drifts by `N(φ)·cos φ / (N(φ0)·cos φ0)` (about 3 % three
/// degrees north or south of 30° N) and the north-south scale by `M(φ)/M(φ0)` (far less): fine for a
/// city or a province, not for a continent. Extents crossing the antimeridian are not handled.
struct MapProjection: Sendable {
    /// Centre of the projection, WGS84 lon/lat degrees.
    let center: Coordinate
    /// Ground metres per degree of longitude along the centre parallel.
    let metersPerDegreeLongitude: Double
    /// Ground metres per degree of latitude at the centre.
    let metersPerDegreeLatitude: Double
    /// Pixels per ground metre at the centre.
    var pixelsPerMeter: Double
    /// Pixel position of the centre.
    var centerPixelX: Double
    var centerPixelY: Double

    init(center: Coordinate, pixelsPerMeter: Double = 1, centerPixelX: Double = 0, centerPixelY: Double = 0) {
        self.center = center
        let radii = Self.radiiOfCurvatureMeters(latitude: center.latitude)
        let radiansPerDegree = Double.pi / 180
        // A floor on the east-west factor keeps a map centred at a pole finite.
        metersPerDegreeLongitude = max(radii.primeVertical * cos(center.latitude * radiansPerDegree), 1) * radiansPerDegree
        metersPerDegreeLatitude = radii.meridian * radiansPerDegree
        self.pixelsPerMeter = pixelsPerMeter
        self.centerPixelX = centerPixelX
        self.centerPixelY = centerPixelY
    }

    /// Meridian (M) and prime-vertical (N) radii of curvature of the WGS84 ellipsoid at `latitude`
    /// (degrees), metres.
    static func radiiOfCurvatureMeters(latitude: Double) -> (meridian: Double, primeVertical: Double) {
        let a = EllipsoidalDistance.semiMajorAxisMeters, e2 = EllipsoidalDistance.eccentricitySquared
        let s = sin(latitude * .pi / 180)
        let w2 = 1 - e2 * s * s
        let w = w2.squareRoot()
        return (meridian: a * (1 - e2) / (w2 * w), primeVertical: a / w)
    }

    /// Ground metres east and north of the centre (the projection plane before scaling).
    func planeMeters(_ position: Coordinate) -> (x: Double, y: Double) {
        ((position.longitude - center.longitude) * metersPerDegreeLongitude,
         (position.latitude - center.latitude) * metersPerDegreeLatitude)
    }

    /// Pixel position of `position` (WGS84 lon/lat degrees).
    func pixel(_ position: Coordinate) -> (x: Double, y: Double) {
        let plane = planeMeters(position)
        return (centerPixelX + plane.x * pixelsPerMeter, centerPixelY - plane.y * pixelsPerMeter)
    }

    /// Latitude (degrees) drawn at pixel row `y`.
    func latitude(atPixelY y: Double) -> Double {
        center.latitude + (centerPixelY - y) / pixelsPerMeter / metersPerDegreeLatitude
    }

    /// Ground metres covered by one pixel east-west and north-south at `latitude` (degrees); both
    /// equal `1 / pixelsPerMeter` at the centre.
    func groundMetersPerPixel(atLatitude latitude: Double) -> (east: Double, north: Double) {
        let radii = Self.radiiOfCurvatureMeters(latitude: latitude)
        let radiansPerDegree = Double.pi / 180
        let degreesPerPixelEast = 1 / (pixelsPerMeter * metersPerDegreeLongitude)
        let degreesPerPixelNorth = 1 / (pixelsPerMeter * metersPerDegreeLatitude)
        let east = degreesPerPixelEast * radii.primeVertical * cos(latitude * radiansPerDegree) * radiansPerDegree
        let north = degreesPerPixelNorth * radii.meridian * radiansPerDegree
        return (east, north)
    }
}
