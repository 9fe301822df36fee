import Foundation
import SitingCore

/// JSON with a stable key order (the CLI's encoder), so responses diff cleanly and hash to stable ETags.
enum JSONCoding {
    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try NearbyJSON.encode(value)
    }
}
