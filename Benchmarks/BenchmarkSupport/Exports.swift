/// The seeded data (`SplitMix64`, `SettlementPlacement`) lives in `BenchmarkData`, which does not link
/// package-benchmark (and so not its malloc interposer), for the instruction gate's tool to use too.
/// Suites keep importing `BenchmarkSupport` alone.
@_exported public import BenchmarkData
