/// Trigonometry of angles in degrees for the hot paths (earth-centred points, the index's query
/// frame), without calls into the C maths library.
///
/// `sinCos(degrees:)` first takes out whole quarter turns, which is exact in degrees (the remainder
/// `d − 90q` needs no rounding), so 90° gives exactly 0 and 1 and large arguments lose nothing; only
/// the remaining |r| ≤ 45° is scaled to radians, and its sine and cosine come from Taylor polynomials
/// whose first omitted terms are below 1e-19. Results are within 2e-16 of the true values.
public enum Trigonometry {
    /// Sine and cosine of an angle in degrees; NaN for both when the angle is not finite.
    @inlinable
    public static func sinCos(degrees: Double) -> (sin: Double, cos: Double) {
        var d = degrees
        if abs(d) > 360 { d = d.truncatingRemainder(dividingBy: 360) }  // exact; NaN for an infinity
        // Rounded as `roundedToInteger` rounds; the shifted value's lowest mantissa bits are then the
        // quarter turns modulo 4 (the shift is a multiple of 4), read without a conversion that would
        // trap on NaN.
        let shifted = d * (1.0 / 90.0) + roundingShift
        let quarters = shifted - roundingShift
        let x = (d - 90 * quarters) * (Double.pi / 180)  // the subtraction is exact (Sterbenz)
        let x2 = x * x
        // Taylor series to x¹⁷/17! and x¹⁸/18!: over |x| ≤ π/4 the next terms are below 1e-19.
        let s = x + x * x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5_040.0 + x2 * (1.0 / 362_880.0
            + x2 * (-1.0 / 39_916_800.0 + x2 * (1.0 / 6_227_020_800.0 + x2 * (-1.0 / 1_307_674_368_000.0
            + x2 * (1.0 / 355_687_428_096_000.0))))))))
        let c = 1 + x2 * (-0.5 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40_320.0
            + x2 * (-1.0 / 3_628_800.0 + x2 * (1.0 / 479_001_600.0 + x2 * (-1.0 / 87_178_291_200.0
            + x2 * (1.0 / 20_922_789_888_000.0 + x2 * (-1.0 / 6_402_373_705_728_000.0)))))))))
        switch shifted.bitPattern & 3 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    /// `value` rounded to an integer (ties to even), for |value| < 2⁵¹: adding and taking away
    /// `roundingShift` leaves no fraction bits, without a call into the C library.
    @inlinable
    public static func roundedToInteger(_ value: Double) -> Double {
        (value + roundingShift) - roundingShift
    }

    /// 1.5·2⁵²: a double at least this large has no fraction bits.
    @usableFromInline static let roundingShift = 0x1.8p52

    /// Geocentric latitude (degrees) of the surface point at geodetic latitude `degrees`: the
    /// direction of its earth-centred vector, tan ψ = (1 − e²) tan φ. From the series
    /// ψ = φ + Σₙ (−m)ⁿ sin(2nφ) / n with m = e²/(2 − e²), six terms (the seventh is below 1e-18 rad);
    /// `sinLatitude` and `cosLatitude` are sin φ and cos φ.
    @inlinable
    public static func geocentricLatitudeDegrees(geodetic degrees: Double, sinLatitude s: Double,
                                                 cosLatitude c: Double) -> Double {
        guard abs(degrees) < 90 else { return degrees }
        // sin 2nφ by the recurrence sin(2(n+1)φ) = 2 cos 2φ · sin 2nφ − sin(2(n−1)φ).
        let sin2 = 2 * s * c, twiceCos2 = 2 * (c - s) * (c + s)
        let sin4 = twiceCos2 * sin2
        let sin6 = twiceCos2 * sin4 - sin2
        let sin8 = twiceCos2 * sin6 - sin4
        let sin10 = twiceCos2 * sin8 - sin6
        let sin12 = twiceCos2 * sin10 - sin8
        // mⁿ/n for WGS84 (`TrigonometryTests` checks the result against atan2).
        let correction = -3.358_431_302_726_276e-3 * sin2 + 5.639_530_407_565_856e-6 * sin4
            - 1.262_665_030_229_722_8e-8 * sin6 + 3.180_430_321_785_991e-11 * sin8
            - 8.545_005_399_060_698e-14 * sin10 + 2.391_484_467_847_540_5e-16 * sin12
        return degrees + correction * (180 / Double.pi)
    }
}
