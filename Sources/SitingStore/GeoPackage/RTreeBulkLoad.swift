import SitingCore

/// Builds a GeoPackage R-tree index (an SQLite `rtree` virtual table) in one pass with Sort-Tile-
/// Recursive packing (Leutenegger, Lopez & Edgington, ICDE 1997), writing its node, rowid and parent
/// tables directly. Inserting a million points one by one through the R*-tree's insert costs about
/// 56,000 instructions each; packing costs a sort and a few hundred.
///
/// The node format is SQLite's: a node is a blob of a fixed size (the root's length); bytes 0-1 hold
/// the tree depth (root only), bytes 2-3 the cell count, then cells of an 8-byte id and four 32-bit
/// floats (minx, maxx, miny, maxy), all big-endian. Floats are rounded outwards so every box still
/// contains its geometry. `SELECT rtreecheck('<table>')` verifies the result.
enum RTreeBulkLoad {
    struct Entry {
        var id: Int64
        var minX, maxX, minY, maxY: Float

        /// The entry of a row with this envelope, rounded outwards to floats; nil for an empty one
        /// (not a number), which the index leaves out.
        init?(id: Int64, envelope: Envelope) {
            guard !envelope.minX.isNaN, !envelope.maxX.isNaN, !envelope.minY.isNaN, !envelope.maxY.isNaN else { return nil }
            self.init(id: id, minX: RTreeBulkLoad.down(envelope.minX), maxX: RTreeBulkLoad.up(envelope.maxX),
                      minY: RTreeBulkLoad.down(envelope.minY), maxY: RTreeBulkLoad.up(envelope.maxY))
        }

        init(id: Int64, minX: Float, maxX: Float, minY: Float, maxY: Float) {
            (self.id, self.minX, self.maxX, self.minY, self.maxY) = (id, minX, maxX, minY, maxY)
        }
    }

    /// Rebuilds the R-tree `index` of `table.geom` from every row of the table.
    static func rebuild(index: String, table: String, connection: Connection) throws(StoreError) {
        try rebuild(index: index, entries: entries(of: table, connection: connection), connection: connection)
    }

    /// The entries of the rows of `table` (those with fid at most `fidAtMost`, if given) that have a
    /// geometry, read from each blob's header (or, without an envelope there, its geometry).
    static func entries(of table: String, fidAtMost: Int? = nil, connection: Connection) throws(StoreError) -> [Entry] {
        var entries: [Entry] = []
        let rows = try connection.prepare("SELECT fid, geom FROM \"\(table)\" WHERE geom IS NOT NULL"
                                              + (fidAtMost == nil ? "" : " AND fid <= ?"))
        if let fidAtMost { rows.bind(1, fidAtMost) }
        while try rows.step() {
            let fid = Int64(rows.integer(0))
            let envelope: Envelope? = try rows.withBlob(1) { bytes throws(StoreError) in
                let header = try GeoPackageBinary.header(bytes)
                if header.isEmpty { return nil }
                if let envelope = header.envelope { return envelope }
                return try GeoPackageBinary.decode(bytes).geometry.envelope
            }
            guard let envelope else { continue }
            entries.append(Entry(id: fid, minX: down(envelope.minX), maxX: up(envelope.maxX),
                                 minY: down(envelope.minY), maxY: up(envelope.maxY)))
        }
        return entries
    }

    /// Replaces the contents of the R-tree `index` with a tree packed from `entries`.
    static func rebuild(index: String, entries: [Entry], connection: Connection) throws(StoreError) {
        let nodeSize = try connection.scalarInteger("SELECT length(data) FROM \"\(index)_node\" WHERE nodeno = 1")
        let capacity = (nodeSize - 4) / 24
        guard capacity >= 4 else {
            throw .sqlite(code: 0, message: "unexpected R-tree node size \(nodeSize)", context: "rebuilding \(index)")
        }

        try connection.execute("""
            DELETE FROM "\(index)_node"; DELETE FROM "\(index)_rowid"; DELETE FROM "\(index)_parent";
            """, context: "clearing \(index)")
        let insertNode = try connection.prepare("INSERT INTO \"\(index)_node\" (nodeno, data) VALUES (?, ?)")

        // Pack level by level; node numbers 2, 3, … in creation order, the root is always 1.
        var level = entries
        var depth = 0
        var nextNode: Int64 = 2
        var parentOf: [(Int64, Int64)] = []
        var leafOf: [(Int64, Int64)] = []
        leafOf.reserveCapacity(entries.count)
        while level.count > capacity {
            let groups = tile(level, capacity: capacity)
            var upper: [Entry] = []
            upper.reserveCapacity(groups.count)
            for group in groups {
                let node = nextNode
                nextNode += 1
                try write(node: node, depth: nil, cells: group, nodeSize: nodeSize, with: insertNode)
                if depth == 0 {
                    for cell in group { leafOf.append((cell.id, node)) }
                } else {
                    for cell in group { parentOf.append((cell.id, node)) }
                }
                upper.append(bounds(of: group, id: node))
            }
            level = upper
            depth += 1
        }
        try write(node: 1, depth: depth, cells: level, nodeSize: nodeSize, with: insertNode)
        if depth == 0 {
            for cell in level { leafOf.append((cell.id, 1)) }
        } else {
            for cell in level { parentOf.append((cell.id, 1)) }
        }
        // In key order, so each insert appends to the b-tree instead of landing at random.
        leafOf.sort { $0.0 < $1.0 }
        parentOf.sort { $0.0 < $1.0 }
        try insertPairs(leafOf, into: "\(index)_rowid", columns: "rowid, nodeno", connection: connection)
        try insertPairs(parentOf, into: "\(index)_parent", columns: "nodeno, parentnode", connection: connection)
    }

    /// Inserts integer pairs into a two-column table, a few hundred rows per statement: one
    /// statement per row would spend more on running the statement than on its b-tree insert.
    private static func insertPairs(_ pairs: [(Int64, Int64)], into table: String, columns: String,
                                    connection: Connection) throws(StoreError)
    {
        func statement(rows: Int) throws(StoreError) -> Statement {
            try connection.prepare("INSERT INTO \"\(table)\" (\(columns)) VALUES "
                                       + repeatElement("(?, ?)", count: rows).joined(separator: ", "))
        }
        func run(_ statement: Statement, _ rows: ArraySlice<(Int64, Int64)>) throws(StoreError) {
            var index: Int32 = 1
            for (first, second) in rows {
                statement.bind(index, Int(first))
                statement.bind(index + 1, Int(second))
                index += 2
            }
            try statement.step()
            statement.reset()
        }
        let rowsPerStatement = 256
        var start = 0
        if pairs.count >= rowsPerStatement {
            let full = try statement(rows: rowsPerStatement)
            while pairs.count - start >= rowsPerStatement {
                try run(full, pairs[start..<start + rowsPerStatement])
                start += rowsPerStatement
            }
        }
        if start < pairs.count { try run(try statement(rows: pairs.count - start), pairs[start...]) }
    }

    /// The bounds of everything in the R-tree `index`, read from its root node's cells (at most a few
    /// dozen), or nil when it is empty. Coordinates are the index's 32-bit floats, rounded outwards.
    static func extent(index: String, connection: Connection) throws(StoreError) -> Envelope? {
        let statement = try connection.prepare("SELECT data FROM \"\(index)_node\" WHERE nodeno = 1")
        guard try statement.step(), let blob = statement.blob(0), blob.count >= 4 else { return nil }
        let count = Int(blob[2]) << 8 | Int(blob[3])
        guard count > 0, blob.count >= 4 + count * 24 else { return nil }
        func float(_ offset: Int) -> Double {
            let bits = UInt32(blob[offset]) << 24 | UInt32(blob[offset + 1]) << 16 | UInt32(blob[offset + 2]) << 8 | UInt32(blob[offset + 3])
            return Double(Float(bitPattern: bits))
        }
        var envelope: Envelope?
        for cell in 0..<count {
            let base = 4 + cell * 24 + 8
            let box = Envelope(minX: float(base), minY: float(base + 8), maxX: float(base + 4), maxY: float(base + 12))
            envelope = envelope.map { $0.union(box) } ?? box
        }
        return envelope
    }

    /// Sort-Tile-Recursive grouping of one level into nodes of at most `capacity` cells.
    private static func tile(_ entries: [Entry], capacity: Int) -> [[Entry]] {
        let leaves = (entries.count + capacity - 1) / capacity
        let slices = Int(Double(leaves).squareRoot().rounded(.up))
        let sliceSize = slices * capacity
        let byX = entries.sorted { ($0.minX + $0.maxX, $0.id) < ($1.minX + $1.maxX, $1.id) }
        var groups: [[Entry]] = []
        groups.reserveCapacity(leaves)
        var start = 0
        while start < byX.count {
            let slice = byX[start..<min(start + sliceSize, byX.count)]
                .sorted { ($0.minY + $0.maxY, $0.id) < ($1.minY + $1.maxY, $1.id) }
            var offset = slice.startIndex
            while offset < slice.endIndex {
                groups.append(Array(slice[offset..<min(offset + capacity, slice.endIndex)]))
                offset += capacity
            }
            start += sliceSize
        }
        return groups
    }

    private static func bounds(of cells: [Entry], id: Int64) -> Entry {
        var box = Entry(id: id, minX: .infinity, maxX: -.infinity, minY: .infinity, maxY: -.infinity)
        for cell in cells {
            box.minX = min(box.minX, cell.minX); box.maxX = max(box.maxX, cell.maxX)
            box.minY = min(box.minY, cell.minY); box.maxY = max(box.maxY, cell.maxY)
        }
        return box
    }

    private static func write(node: Int64, depth: Int?, cells: [Entry], nodeSize: Int, with statement: Statement)
        throws(StoreError)
    {
        var blob = [UInt8](repeating: 0, count: nodeSize)
        if let depth {
            blob[0] = UInt8(truncatingIfNeeded: depth >> 8)
            blob[1] = UInt8(truncatingIfNeeded: depth)
        }
        blob[2] = UInt8(truncatingIfNeeded: cells.count >> 8)
        blob[3] = UInt8(truncatingIfNeeded: cells.count)
        precondition(4 + cells.count * 24 <= nodeSize, "more cells than a node holds")
        blob.withUnsafeMutableBytes { bytes in
            for (number, cell) in cells.enumerated() {
                let offset = 4 + number * 24
                bytes.storeBytes(of: cell.id.bigEndian, toByteOffset: offset, as: Int64.self)
                bytes.storeBytes(of: cell.minX.bitPattern.bigEndian, toByteOffset: offset + 8, as: UInt32.self)
                bytes.storeBytes(of: cell.maxX.bitPattern.bigEndian, toByteOffset: offset + 12, as: UInt32.self)
                bytes.storeBytes(of: cell.minY.bitPattern.bigEndian, toByteOffset: offset + 16, as: UInt32.self)
                bytes.storeBytes(of: cell.maxY.bitPattern.bigEndian, toByteOffset: offset + 20, as: UInt32.self)
            }
        }
        statement.bind(1, Int(node))
        statement.bind(2, blob)
        try statement.step()
        statement.reset()
    }

    /// The largest float not above `value`.
    static func down(_ value: Double) -> Float {
        var f = Float(value)
        if Double(f) > value { f = f.nextDown }
        return f
    }

    /// The smallest float not below `value`.
    static func up(_ value: Double) -> Float {
        var f = Float(value)
        if Double(f) < value { f = f.nextUp }
        return f
    }
}
