import Foundation
import Synchronization

/// A time zone's wall clock, cached once per zone: local day and time of an instant, and the instant
/// of a local wall-clock time, in whole seconds since 1970 (UTC).
///
/// The zone's offset changes from 1900 to 2200 are read from `TimeZone` once, into a table; an offset
/// is then a binary search (a constant after the last change, as for Asia/Shanghai since 1991), and
/// `TimeZone` is asked directly only outside that range.
struct ZoneRules: Sendable {
    let timeZone: TimeZone
    /// A Gregorian calendar in the zone, for callers that want one.
    let calendar: Calendar
    /// Instants (seconds since 1970) when the offset changes, ascending, within `tableRange`.
    private let transitions: [Int]
    /// `offsets[i]` is in effect before `transitions[i]` (and after `transitions[i - 1]`); one more
    /// than `transitions`.
    private let offsets: [Int]
    private let tableRange: Range<Int>

    private static let cache = Mutex<[String: ZoneRules]>([:])

    /// The rules of `timeZone`, built once per identifier.
    static func cached(_ timeZone: TimeZone) -> ZoneRules {
        let identifier = timeZone.identifier
        if let rules = cache.withLock({ $0[identifier] }) { return rules }
        let rules = ZoneRules(timeZone: timeZone)
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    private init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        let first = -2_208_988_800, last = 7_258_118_400  // 1900-01-01 and 2200-01-01, UTC
        var transitions: [Int] = []
        var offsets = [timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(first)))]
        var cursor = Date(timeIntervalSince1970: Double(first))
        while transitions.count < 10_000,
              let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next > cursor,
              next.timeIntervalSince1970 < Double(last) {
            let instant = Int(next.timeIntervalSince1970.rounded(.up))
            let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
            if offset != offsets[offsets.count - 1] {
                transitions.append(instant)
                offsets.append(offset)
            }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
        tableRange = first..<last
    }

    /// Number of transitions at or before `instant`.
    @inline(__always)
    private func transitionsPassed(by instant: Int) -> Int {
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low &+ high) >> 1
            if transitions[middle] <= instant { low = middle &+ 1 } else { high = middle }
        }
        return low
    }

    /// Seconds to add to UTC to get the wall clock at `instant` (seconds since 1970).
    @inline(__always)
    func offset(at instant: Int) -> Int {
        guard tableRange.contains(instant) else {
            return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
        }
        if let lastChange = transitions.last, instant >= lastChange { return offsets[offsets.count - 1] }
        return offsets[transitionsPassed(by: instant)]
    }

    /// The offset when it is the same for two days either side of `instant` (wall-clock arithmetic
    /// is then exact for the spans of yesterday and today), else nil.
    @inline(__always)
    func constantOffset(around instant: Int) -> Int? {
        let from = instant &- 172_800, to = instant &+ 172_800
        guard tableRange.contains(from), tableRange.contains(to) else { return nil }
        if let lastChange = transitions.last, from >= lastChange { return offsets[offsets.count - 1] }
        let passed = transitionsPassed(by: from)
        guard passed == transitions.count || transitions[passed] > to else { return nil }
        return offsets[passed]
    }

    /// The wall clock at `instant`, as seconds since 1970-01-01T00:00 local.
    @inline(__always)
    func localSeconds(at instant: Int) -> Int { instant &+ offset(at: instant) }

    /// The first instant whose wall clock reads `local` or later (seconds since 1970):
    /// - usually the one instant showing that time;
    /// - a time shown twice (clocks going back) gives its first occurrence;
    /// - a time never shown (clocks jumping forward over it) gives the instant of the jump, when
    ///   the wall clock first passes it.
    func instant(localSeconds local: Int) -> Int {
        let before = offset(at: local &- 86_400)
        let after = offset(at: local &+ 86_400)
        if before == after { return local &- before }
        let early = local - before, late = local - after
        let earlyValid = offset(at: early) == before, lateValid = offset(at: late) == after
        switch (earlyValid, lateValid) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        case (false, false):
            // In the gap: the jump happens in (late, early].
            let jump = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(late)))
            guard let jump else { return early }
            return Int(jump.timeIntervalSince1970.rounded(.up))
        }
    }
}

/// Floor division for day numbers of negative instants.
@inline(__always)
func floorDivide(_ value: Int, _ divisor: Int) -> Int {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
