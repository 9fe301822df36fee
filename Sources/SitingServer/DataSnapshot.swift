public import Foundation
public import SitingCore
import SitingStore
import Dispatch
import Synchronization

/// Everything the server answers from, read from one committed version of the database: the
/// outlets indexed for nearby queries and the inputs of a ranking. Immutable; a reload builds a new
/// one and swaps it in whole, so a request sees either the old data or the new, never a mix.
public final class DataSnapshot: Sendable {
    /// The database's data version (raised by every import).
    public let dataVersion: Int
    public let directory: OutletDirectory
    public let rankingInputs: Ranking.Inputs
    public let loadedAt: Date
    /// Seconds the load took.
    public let loadSeconds: Double

    init(dataVersion: Int, directory: OutletDirectory, rankingInputs: Ranking.Inputs, loadedAt: Date, loadSeconds: Double) {
        self.dataVersion = dataVersion
        self.directory = directory
        self.rankingInputs = rankingInputs
        self.loadedAt = loadedAt
        self.loadSeconds = loadSeconds
    }

    /// Reads a snapshot from the database at `path`, in one read transaction.
    ///
    /// - Throws: `ServerError.dataUnavailable` naming what could not be read.
    public static func load(path: String) throws(ServerError) -> DataSnapshot {
        let started = ContinuousClock.now
        do {
            let db = try SitingDatabase(path: path, mode: .readOnly)
            return try db.readingOneVersion {
                let version = try db.dataVersion
                // Rankings read the directory's outlets (sorted by id): one copy in memory, not two.
                let directory = try OutletDirectory(outlets: try db.outlets(), holidays: try db.holidayCalendar())
                let landMask = try db.storedLandMask().map { try LandMask(encoded: $0) }
                let inputs = Ranking.Inputs(regions: try db.regions(), statistics: try db.regionStatistics(),
                                            settlements: try db.settlements(), outlets: directory.outlets,
                                            competitors: try db.competitors(), candidates: try db.candidates(),
                                            landMask: landMask)
                let elapsed = ContinuousClock.now - started
                return DataSnapshot(dataVersion: version, directory: directory, rankingInputs: inputs, loadedAt: Date(),
                                    loadSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
        } catch {
            throw .dataUnavailable("\(path): \(error)")
        }
    }

}

/// The snapshot requests read, and the one place that swaps it. Reads take a reference under a lock
/// (nanoseconds); loads run outside the lock, one at a time.
public final class SnapshotStore: Sendable {
    public let databasePath: String
    private let current: Mutex<DataSnapshot>
    /// Held while a reload runs, so two reloads never load at once.
    private let loading = Mutex<Void>(())
    private let reloadCount = Atomic<Int>(0)
    /// A connection kept open while the server runs: it reads the data version cheaply, and its
    /// presence tells `siting import` that a reader is there, so a large import keeps the
    /// write-ahead log and never blocks the server's reads.
    private let watcher: Mutex<SitingDatabase?>

    /// Loads the first snapshot.
    public init(databasePath: String) throws(ServerError) {
        self.databasePath = databasePath
        current = Mutex(try DataSnapshot.load(path: databasePath))
        watcher = Mutex(try? SitingDatabase(path: databasePath, mode: .readOnly))
    }

    /// The data version in the database now, without loading anything.
    func currentVersion() throws(ServerError) -> Int {
        try watcher.withLock { database throws(ServerError) in
            do {
                if database == nil { database = try SitingDatabase(path: databasePath, mode: .readOnly) }
                return try database!.dataVersion
            } catch {
                database = nil
                throw .dataUnavailable("\(databasePath): \(error)")
            }
        }
    }

    /// The snapshot to answer one request from; hold on to it for the whole request.
    public var snapshot: DataSnapshot { current.withLock { $0 } }

    /// Successful reloads since start.
    public var reloads: Int { reloadCount.load(ordering: .relaxed) }

    /// `reload(force:)` on a thread of its own, so a load of seconds never holds one of the few
    /// threads that run requests.
    public func reloadOffThread(force: Bool = false) async throws(ServerError) -> (snapshot: DataSnapshot, changed: Bool) {
        let result: Result<(snapshot: DataSnapshot, changed: Bool), ServerError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do throws(ServerError) {
                    continuation.resume(returning: .success(try self.reload(force: force)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Loads the data again when the database's data version moved (or always, with `force`) and
    /// swaps the new snapshot in. Returns the snapshot in use afterwards and whether it changed.
    @discardableResult
    public func reload(force: Bool = false) throws(ServerError) -> (snapshot: DataSnapshot, changed: Bool) {
        try loading.withLock { _ throws(ServerError) in
            let old = snapshot
            if !force, try currentVersion() == old.dataVersion { return (old, false) }
            let new = try DataSnapshot.load(path: databasePath)
            current.withLock { $0 = new }
            reloadCount.add(1, ordering: .relaxed)
            return (new, true)
        }
    }
}
