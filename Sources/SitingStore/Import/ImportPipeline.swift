import Foundation

/// What reading a file found besides its records.
struct ReadOutcome: Sendable {
    var records: Int
    /// A GeoJSON `crs` that came after the features, so the records were read without it.
    var lateDeclaredCRS: String?
}

/// Two threads for one import: the caller's thread writes to SQLite while a second reads, checks and
/// converts records, so a large import uses both cores. Batches pass through a bounded queue, so
/// memory stays flat whatever the file size.
enum ImportPipeline {
    static let queuedBatches = 8

    private enum Message: Sendable {
        case batch(PreparedBatch, bytesRead: Int, records: Int)
        case finished(ReadOutcome)
        case failed(ImportError)
    }

    /// Reads every record of `source` on a second thread and calls `write` for each batch, in file
    /// order, on this one.
    static func run(source: RecordSource, preparer: RecordPreparer, progress: ((ImportProgress) -> Void)?,
                    write: (PreparedBatch) throws(ImportError) -> Void) throws(ImportError) -> ReadOutcome {
        let totalBytes = source.totalBytes
        let queue = BoundedQueue<Message>(capacity: queuedBatches)
        let handoff = Handoff((source, preparer))
        let reader = Thread {
            var (source, preparer) = handoff.take()
            read(&source, &preparer, into: queue)
        }
        reader.stackSize = 1 << 22
        reader.start()
        defer { queue.cancel() }  // stops the reader early when writing fails
        while let message = queue.receive() {
            switch message {
            case .batch(let records, let bytesRead, let count):
                try write(records)
                progress?(ImportProgress(bytesRead: bytesRead, totalBytes: totalBytes, records: count))
            case .finished(let outcome):
                progress?(ImportProgress(bytesRead: totalBytes, totalBytes: totalBytes, records: outcome.records))
                return outcome
            case .failed(let error):
                throw error
            }
        }
        throw .unreadable(ImportIssue(file: preparer.path, location: .file, reason: "reading stopped unexpectedly"))
    }

    private static func read(_ source: inout RecordSource, _ preparer: inout RecordPreparer, into queue: BoundedQueue<Message>) {
        do {
            if preparer.options.coordinateSystem != nil { try preparer.resolveCoordinateSystem(declared: nil) }
            var batch = PreparedBatch()
            var records = 0
            while let record = try source.next() {
                if record.fields.isBlank, record.geometry == nil {
                    source.recycle(record)
                    continue
                }
                if records == 0, preparer.conversion == nil {
                    try preparer.resolveCoordinateSystem(declared: source.geojsonDeclaredCRS ?? source.declaredCRS)
                }
                records += 1
                preparer.prepare(record, into: &batch)
                source.recycle(record)
                if batch.isFull {
                    guard queue.send(.batch(batch, bytesRead: source.bytesRead, records: records)) else { return }
                    batch = PreparedBatch()
                }
            }
            if !batch.records.isEmpty {
                guard queue.send(.batch(batch, bytesRead: source.bytesRead, records: records)) else { return }
            }
            let late = preparer.usedDeclaredCRS ? nil : source.geojsonDeclaredCRS
            _ = queue.send(.finished(ReadOutcome(records: records, lateDeclaredCRS: late)))
        } catch {
            _ = queue.send(.failed(error))
        }
    }
}

/// A queue between two threads with a capacity: `send` waits while it is full, `receive` while it
/// is empty. `@unchecked Sendable`: every stored property is guarded by `condition`'s lock.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [Element] = []
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `element`, waiting for room; false once the queue was cancelled.
    func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        buffer.append(element)
        condition.broadcast()
        return true
    }

    /// The oldest element, waiting for one; nil once the queue was cancelled.
    func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while buffer.isEmpty && !cancelled { condition.wait() }
        guard !cancelled else { return nil }
        let element = buffer.removeFirst()
        condition.broadcast()
        return element
    }

    /// Wakes and stops both sides; queued elements are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        buffer.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Hands a value that is not `Sendable` to exactly one other thread. `@unchecked Sendable` is sound
/// because the sender never touches the value again and `take` is called once, by the receiver.
final class Handoff<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) {
        self.value = value
    }

    func take() -> Value {
        defer { value = nil }
        return value!
    }
}
