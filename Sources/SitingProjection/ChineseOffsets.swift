import Foundation

/// GCJ-02 and BD-09, the obfuscated coordinate systems of Chinese map providers, computed from WGS84.
///
/// GCJ-02 adds a smooth, position-dependent offset (up to about 700 m) built on the Krasovsky 1940
/// ellipsoid (a = 6378245 m, e² = 0.00669342162296594323); BD-09 applies Baidu's further offset to
/// GCJ-02 (x_pi = π·3000/180, shifts 0.0065° and 0.006°). Both apply only inside `MainlandChina`;
/// elsewhere all three systems are equal, in both directions.
///
/// The inverses are not the one-step approximations most libraries ship (off by up to about 4 m for
/// GCJ-02): they iterate the forward formula to a fixed point, to well below 1e-7 m.
/// All positions are lon/lat in degrees.
public enum ChineseOffsets {
    static let krasovskySemiMajorAxisMeters = 6_378_245.0
    static let krasovskyEccentricitySquared = 0.006_693_421_622_965_943_23
    static let xPi = Double.pi * 3000.0 / 180.0
    /// Fixed-point iterations stop once a step moves less than this (degrees, about 1e-8 m).
    static let inverseToleranceDegrees = 1e-13
    static let inverseMaximumIterations = 12

    /// WGS84 to GCJ-02 (unchanged outside mainland China).
    public static func wgs84ToGcj02(_ position: Coordinate) -> Coordinate {
        guard MainlandChina.contains(position) else { return position }
        return wgs84ToGcj02Unchecked(position)
    }

    /// GCJ-02 to WGS84 by iterating the forward offset (unchanged outside mainland China).
    public static func gcj02ToWgs84(_ position: Coordinate) -> Coordinate {
        let candidate = invert(position, forward: wgs84ToGcj02Unchecked)
        // The forward offset applies where the WGS84 answer lies; outside, GCJ-02 equals WGS84.
        return MainlandChina.contains(candidate) ? candidate : position
    }

    /// GCJ-02 to BD-09 (unchanged outside mainland China).
    public static func gcj02ToBd09(_ position: Coordinate) -> Coordinate {
        guard MainlandChina.contains(gcj02ToWgs84(position)) else { return position }
        return gcj02ToBd09Unchecked(position)
    }

    /// BD-09 to GCJ-02 by iterating Baidu's forward formula (unchanged outside mainland China).
    public static func bd09ToGcj02(_ position: Coordinate) -> Coordinate {
        let candidate = invert(position, forward: gcj02ToBd09Unchecked)
        return MainlandChina.contains(gcj02ToWgs84(candidate)) ? candidate : position
    }

    /// WGS84 to BD-09 (unchanged outside mainland China).
    public static func wgs84ToBd09(_ position: Coordinate) -> Coordinate {
        guard MainlandChina.contains(position) else { return position }
        return gcj02ToBd09Unchecked(wgs84ToGcj02Unchecked(position))
    }

    /// BD-09 to WGS84 (unchanged outside mainland China).
    public static func bd09ToWgs84(_ position: Coordinate) -> Coordinate {
        let candidate = invert(position) { gcj02ToBd09Unchecked(wgs84ToGcj02Unchecked($0)) }
        return MainlandChina.contains(candidate) ? candidate : position
    }

    /// The GCJ-02 offset applied without the mainland test.
    public static func wgs84ToGcj02Unchecked(_ position: Coordinate) -> Coordinate {
        let x = position.x - 105.0
        let y = position.y - 35.0
        var dLat = latitudeShift(x, y)
        var dLon = longitudeShift(x, y)
        let radLat = position.y / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - krasovskyEccentricitySquared * magic * magic
        let sqrtMagic = magic.squareRoot()
        let a = krasovskySemiMajorAxisMeters
        dLat = (dLat * 180.0) / ((a * (1 - krasovskyEccentricitySquared)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * .pi)
        return Coordinate(x: position.x + dLon, y: position.y + dLat)
    }

    /// Baidu's offset applied to a GCJ-02 position without the mainland test.
    public static func gcj02ToBd09Unchecked(_ position: Coordinate) -> Coordinate {
        let x = position.x, y = position.y
        let z = (x * x + y * y).squareRoot() + 0.00002 * sin(y * xPi)
        let theta = atan2(y, x) + 0.000003 * cos(x * xPi)
        return Coordinate(x: z * cos(theta) + 0.0065, y: z * sin(theta) + 0.006)
    }

    static func latitudeShift(_ x: Double, _ y: Double) -> Double {
        var shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        shift += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        shift += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        shift += (160.0 * sin(y / 12.0 * .pi) + 320.0 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        return shift
    }

    static func longitudeShift(_ x: Double, _ y: Double) -> Double {
        var shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        shift += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        shift += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        shift += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        return shift
    }

    /// Solves forward(p) = target for p by fixed-point iteration p ← p − (forward(p) − target).
    /// The offsets vary by about 1e-3 of a step per step, so each round gains about three digits.
    static func invert(_ target: Coordinate, forward: (Coordinate) -> Coordinate) -> Coordinate {
        var p = target
        for _ in 0..<inverseMaximumIterations {
            let image = forward(p)
            let dx = image.x - target.x
            let dy = image.y - target.y
            p.x -= dx
            p.y -= dy
            if abs(dx) < inverseToleranceDegrees, abs(dy) < inverseToleranceDegrees { break }
        }
        return p
    }
}
