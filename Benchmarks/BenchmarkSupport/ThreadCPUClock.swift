public import Benchmark
import Foundation

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), in nanoseconds, for every suite.
///
/// On a shared 2-core machine wall clock also counts the time the thread waited for a core;
/// thread CPU time does not, so it is the steadier of the two time figures. (`cpuTotal` is the
/// whole process's `getrusage` time in 10 ms steps: too coarse for short loops.) It covers the
/// calling thread only: work a benchmark hands to other threads is not in it.
public enum ThreadCPUClock {
    public static var metric: BenchmarkMetric {
        .custom("threadCPU (ns)", polarity: .prefersSmaller, useScalingFactor: true)
    }

    public static func nanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }
}

extension Benchmark {
    /// Measures `body` alone: starts the measurement, reads this thread's CPU clock around `body`,
    /// stops, records the CPU time as `ThreadCPUClock.metric`, and hands the result to `blackHole`.
    @inlinable @inline(__always)
    public func measure<Result>(_ body: () -> Result) {
        startMeasurement()
        let cpuStart = ThreadCPUClock.nanoseconds()
        let result = body()
        let cpuNanoseconds = ThreadCPUClock.nanoseconds() - cpuStart
        stopMeasurement()
        measurement(ThreadCPUClock.metric, cpuNanoseconds)
        Benchmark.blackHole(result)
    }
}

extension Benchmark {
    /// `measure` for a body that throws: an error fails the benchmark, and the result is then nil.
    @inlinable @inline(__always) @discardableResult
    public func measureThrowing<Result>(_ body: () throws -> Result) -> Result? {
        startMeasurement()
        let cpuStart = ThreadCPUClock.nanoseconds()
        let result: Result
        do {
            result = try body()
        } catch {
            stopMeasurement()
            self.error("\(name): \(error)")
            return nil
        }
        let cpuNanoseconds = ThreadCPUClock.nanoseconds() - cpuStart
        stopMeasurement()
        measurement(ThreadCPUClock.metric, cpuNanoseconds)
        Benchmark.blackHole(result)
        return result
    }
}
