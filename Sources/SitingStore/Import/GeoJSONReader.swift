import Foundation
import SitingCore

/// A streaming reader of an RFC 7946 FeatureCollection: features are cut out of the byte stream one
/// at a time and decoded separately, so memory is bounded by the largest feature, not the file.
/// Also accepts a single Feature. A legacy `crs` member (GeoJSON 2008) is read and reported.
struct GeoJSONReader {
    let path: String
    private var chunks: ByteChunks
    private var chunk: ArraySlice<UInt8> = []
    private var position = 0
    var bytesRead: Int { chunks.bytesRead }
    private var line = 1
    private var state = State.start
    private var featureCount = 0
    /// Top-level members other than `features`, raw.
    private var members: [String: [UInt8]] = [:]

    private enum State {
        case start, topLevel, inFeatures, done
    }

    init(path: String) throws(ImportError) {
        self.path = path
        chunks = try ByteChunks(path: path)
    }

    /// The `crs` member's name (for example "urn:ogc:def:crs:EPSG::4490"), if the file has one
    /// before its features.
    var declaredCRS: String? {
        guard let raw = members["crs"], let value = try? JSONParser.parse(raw),
              case .string(let name)? = value["properties"]?["name"] else { return nil }
        return name
    }

    /// The next feature: its 1-based index, the line it starts on, and its decoded JSON.
    mutating func next() throws(ImportError) -> (index: Int, line: Int, feature: JSONValue)? {
        while true {
            switch state {
            case .start:
                skipSpaces()
                guard let byte = try peek() else { throw failure("the file is empty") }
                guard byte == UInt8(ascii: "{") else { throw failure("not GeoJSON: expected \"{\" at the start") }
                position += 1
                state = .topLevel
            case .topLevel:
                skipSpaces()
                guard let byte = try peek() else { throw failure("the file ends inside the top-level object") }
                position += 1
                if byte == UInt8(ascii: ",") { continue }
                if byte == UInt8(ascii: "}") {
                    state = .done
                    skipSpaces()
                    if try peek() != nil { throw failure("unexpected text after the end of the GeoJSON object") }
                    return try singleFeatureIfAny()
                }
                guard byte == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
                let key = String(decoding: try captureString(), as: UTF8.self)
                skipSpaces()
                guard try peek() == UInt8(ascii: ":") else { throw failure("expected \":\" after \"\(key)\"") }
                position += 1
                skipSpaces()
                if key == "features" {
                    guard try peek() == UInt8(ascii: "[") else { throw failure("\"features\" must be an array") }
                    position += 1
                    state = .inFeatures
                } else {
                    members[key] = try captureValue()
                }
            case .inFeatures:
                skipSpaces()
                guard let byte = try peek() else { throw failure("the file ends inside the features array") }
                if byte == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "]") {
                    position += 1
                    state = .topLevel
                    continue
                }
                guard byte == UInt8(ascii: "{") else { throw failure("each feature must be an object") }
                let startLine = line
                let raw = try captureValue()
                featureCount += 1
                do {
                    return (featureCount, startLine, try JSONParser.parse(raw))
                } catch {
                    throw .unreadable(ImportIssue(file: path, location: .feature(index: featureCount, line: startLine),
                                                  reason: "not valid JSON: \(error.message) at byte \(error.offset + 1) of the feature"))
                }
            case .done:
                return nil
            }
        }
    }

    /// After the top-level object: a file that is itself a Feature yields it once; a FeatureCollection
    /// without features yields nothing; anything else is an error.
    private mutating func singleFeatureIfAny() throws(ImportError) -> (index: Int, line: Int, feature: JSONValue)? {
        let type = members["type"].map { String(decoding: $0, as: UTF8.self) }
        if type == "\"Feature\"" {
            var object: [String: JSONValue] = [:]
            for (key, raw) in members {
                object[key] = try? JSONParser.parse(raw)
            }
            featureCount = 1
            return (1, 1, .object(object))
        }
        guard type == "\"FeatureCollection\"" else {
            throw failure("expected a GeoJSON FeatureCollection or Feature, found type \(type ?? "(none)")")
        }
        return nil
    }

    private mutating func peek() throws(ImportError) -> UInt8? {
        if position >= chunk.endIndex {
            guard try refill() else { return nil }
        }
        return chunk[position]
    }

    private mutating func nextByte() throws(ImportError) -> UInt8 {
        guard let byte = try peek() else { throw failure("the file ends in the middle of a value (truncated?)") }
        position += 1
        if byte == 0x0A { line += 1 }
        return byte
    }

    private mutating func skipSpaces() {
        while let byte = try? peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            if byte == 0x0A { line += 1 }
            position += 1
        }
    }

    /// Reads a string's bytes after its opening quote, through the closing quote (escapes kept raw).
    private mutating func captureString() throws(ImportError) -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let byte = try nextByte()
            if byte == UInt8(ascii: "\"") { return bytes }
            bytes.append(byte)
            if byte == UInt8(ascii: "\\") { bytes.append(try nextByte()) }
        }
    }

    /// Reads one whole JSON value, raw.
    private mutating func captureValue() throws(ImportError) -> [UInt8] {
        var bytes: [UInt8] = []
        var depth = 0
        var inString = false
        while true {
            guard let byte = try peek() else {
                if depth == 0, !bytes.isEmpty, !inString { return bytes }
                throw failure("the file ends in the middle of a value (truncated?)")
            }
            if inString {
                bytes.append(try nextByte())
                if byte == UInt8(ascii: "\\") {
                    bytes.append(try nextByte())
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return bytes }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return bytes }
                depth -= 1
                if depth == 0 {
                    bytes.append(try nextByte())
                    return bytes
                }
            case UInt8(ascii: ","):
                if depth == 0 { return bytes }
            default:
                break
            }
            bytes.append(try nextByte())
        }
    }

    private mutating func refill() throws(ImportError) -> Bool {
        guard let next = try chunks.next(line: line) else { return false }
        chunk = next
        position = next.startIndex
        return true
    }

    private func failure(_ reason: String) -> ImportError {
        .unreadable(ImportIssue(file: path, location: .line(line), reason: reason))
    }

    /// Reads an RFC 7946 geometry object; `nil` JSON or `null` means no geometry.
    static func geometry(_ value: JSONValue?) throws(WellKnownText.Failure) -> Geometry? {
        guard let value, value != .null else { return nil }
        guard case .string(let type)? = value["type"] else { throw .init(message: "the geometry has no \"type\"") }
        guard let coordinates = value["coordinates"] else { throw .init(message: "the \(type) has no \"coordinates\"") }
        switch type {
        case "Point":
            return .point(try position(coordinates))
        case "Polygon":
            return .polygon(try polygon(coordinates))
        case "MultiPolygon":
            guard case .array(let items) = coordinates else { throw .init(message: "MultiPolygon coordinates must be an array") }
            guard !items.isEmpty else { throw .init(message: "the MultiPolygon is empty") }
            var polygons: [Polygon] = []
            for item in items { polygons.append(try polygon(item)) }
            return .multiPolygon(MultiPolygon(polygons: polygons))
        default:
            throw .init(message: "geometry type \(type) is not supported here (Point, Polygon, MultiPolygon are)")
        }
    }

    private static func position(_ value: JSONValue) throws(WellKnownText.Failure) -> Coordinate {
        guard case .array(let numbers) = value, numbers.count >= 2,
              case .number(let x) = numbers[0], case .number(let y) = numbers[1] else {
            throw .init(message: "a position must be an array of at least two numbers [lon, lat]")
        }
        return Coordinate(x: x, y: y)
    }

    private static func polygon(_ value: JSONValue) throws(WellKnownText.Failure) -> Polygon {
        guard case .array(let ringValues) = value, !ringValues.isEmpty else {
            throw .init(message: "a Polygon needs at least one ring")
        }
        var rings: [[Coordinate]] = []
        for ringValue in ringValues {
            guard case .array(let positions) = ringValue else { throw .init(message: "a ring must be an array of positions") }
            var ring: [Coordinate] = []
            ring.reserveCapacity(positions.count)
            for item in positions { ring.append(try position(item)) }
            rings.append(ring)
        }
        return Polygon(rings: rings)
    }
}
