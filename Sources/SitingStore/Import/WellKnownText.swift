import SitingCore

/// Reads OGC Well-Known Text for POINT, POLYGON and MULTIPOLYGON (2-D; Z and M ordinates are
/// accepted and dropped). Errors say what was expected where.
enum WellKnownText {
    struct Failure: Error {
        var message: String
    }

    static func parse(_ text: String) throws(Failure) -> Geometry {
        var parser = Parser(bytes: Array(text.utf8))
        let geometry = try parser.geometry()
        parser.skipSpaces()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the geometry") }
        return geometry
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var dimensions = 2

        mutating func geometry() throws(Failure) -> Geometry {
            skipSpaces()
            let word = self.word().uppercased()
            skipSpaces()
            let modifier = peekWord().uppercased()
            if ["Z", "M", "ZM"].contains(modifier) {
                _ = self.word()
                dimensions = modifier == "ZM" ? 4 : 3
            }
            skipSpaces()
            if peekWord().uppercased() == "EMPTY" { throw failure("the geometry is EMPTY") }
            switch word {
            case "POINT":
                try expect("(")
                let point = try coordinate()
                try expect(")")
                return .point(point)
            case "POLYGON":
                return .polygon(try polygon())
            case "MULTIPOLYGON":
                try expect("(")
                var polygons = [try polygon()]
                while consume(",") { polygons.append(try polygon()) }
                try expect(")")
                return .multiPolygon(MultiPolygon(polygons: polygons))
            case "":
                throw failure("expected a geometry such as POINT (116.4 39.9)")
            default:
                throw failure("geometry type \(word) is not supported (POINT, POLYGON, MULTIPOLYGON are)")
            }
        }

        mutating func polygon() throws(Failure) -> Polygon {
            try expect("(")
            var rings = [try ring()]
            while consume(",") { rings.append(try ring()) }
            try expect(")")
            return Polygon(rings: rings)
        }

        mutating func ring() throws(Failure) -> [Coordinate] {
            try expect("(")
            var points = [try coordinate()]
            while consume(",") { points.append(try coordinate()) }
            try expect(")")
            return points
        }

        mutating func coordinate() throws(Failure) -> Coordinate {
            let x = try number(), y = try number()
            for _ in 2..<dimensions { _ = try number() }
            return Coordinate(x: x, y: y)
        }

        mutating func number() throws(Failure) -> Double {
            skipSpaces()
            let start = index
            while index < bytes.count, let byte = Optional(bytes[index]),
                  (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D || byte == 0x2B || byte == 0x65 || byte == 0x45 {
                index += 1
            }
            guard index > start, let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
                index = start
                throw failure("expected a number")
            }
            return value
        }

        mutating func word() -> String {
            let start = index
            while index < bytes.count, (bytes[index] | 0x20) >= 0x61, (bytes[index] | 0x20) <= 0x7A { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func peekWord() -> String {
            let saved = index
            defer { index = saved }
            return word()
        }

        mutating func expect(_ character: Character) throws(Failure) {
            guard consume(character) else { throw failure("expected \"\(character)\"") }
        }

        mutating func consume(_ character: Character) -> Bool {
            skipSpaces()
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }

        mutating func skipSpaces() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        func failure(_ message: String) -> Failure {
            Failure(message: "\(message) at character \(index + 1) of the WKT")
        }
    }
}
