extension SitingDatabase {
    /// Runs `body` inside one read transaction, so everything it reads comes from one committed
    /// version of the data even while `siting import` writes (WAL readers see a fixed snapshot).
    /// The server loads its snapshots this way: never half of an import.
    public func readingOneVersion<Result>(_ body: () throws -> Result) throws -> Result {
        try connection.transaction("DEFERRED", body)
    }
}
