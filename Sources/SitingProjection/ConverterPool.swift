import Synchronization

/// A `Sendable` pool of `CoordinateConverter`s for concurrent callers such as the HTTP server.
///
/// A converter (one PROJ context and its cached transformers) is not thread-safe, so each caller
/// borrows one for the length of a closure: while borrowed it is reachable only from that closure, and
/// while idle only from the pool, behind a mutex. The pool grows to the peak number of concurrent
/// borrowers and keeps the converters, so their transformer caches stay warm.
public final class ConverterPool: Sendable {
    /// An idle converter. `@unchecked Sendable` is sound because an idle converter is touched only by
    /// the pool under its mutex, and a borrowed one only by its single borrower.
    private struct Idle: @unchecked Sendable {
        let converter: CoordinateConverter
    }

    private let idle = Mutex<[Idle]>([])

    public init() {}

    /// Runs `body` with a converter that no other caller uses meanwhile.
    ///
    /// `body` must not let the converter escape.
    public func withConverter<Result>(_ body: (CoordinateConverter) throws -> Result) rethrows -> Result {
        let lease = idle.withLock { $0.popLast() } ?? Idle(converter: CoordinateConverter())
        defer { idle.withLock { $0.append(lease) } }
        return try body(lease.converter)
    }

    /// How many converters the pool holds now (idle ones).
    public var idleCount: Int { idle.withLock { $0.count } }
}
