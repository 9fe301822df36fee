import Foundation

extension SitingDatabase {
    /// The `siting_metadata` key of the land mask (its run-length encoded bytes, base64).
    static let landMaskKey = "land_mask_rle"

    /// Stores the land mask's encoded bytes (the `.rle` file as `LandMask(encoded:)` reads it), so a
    /// ranking needs no file beside the database. Replaces any stored mask.
    public func storeLandMask(encoded bytes: [UInt8]) throws(StoreError) {
        let statement = try connection.prepare("INSERT OR REPLACE INTO siting_metadata (key, value) VALUES (?, ?)")
        statement.bind(1, Self.landMaskKey)
        statement.bind(2, Data(bytes).base64EncodedString())
        try statement.step()
    }

    /// The stored land mask's encoded bytes, nil when none is stored.
    public func storedLandMask() throws(StoreError) -> [UInt8]? {
        let statement = try connection.prepare("SELECT value FROM siting_metadata WHERE key = ?")
        statement.bind(1, Self.landMaskKey)
        guard try statement.step(), let text = statement.text(0) else { return nil }
        guard let data = Data(base64Encoded: text) else {
            throw .invalidData(table: "siting_metadata", reason: "the stored land mask is not base64 text")
        }
        return [UInt8](data)
    }
}
