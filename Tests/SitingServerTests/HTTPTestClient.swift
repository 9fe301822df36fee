import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 client over a plain TCP socket, so tests can send exactly the bytes they mean:
/// well-formed requests, malformed ones, bodies that stop halfway. One request per connection
/// (`Connection: close`); the response is read to the end of the stream.
struct HTTPTestClient {
    let port: Int

    struct Response {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw Failure.unexpected("the body is not a JSON object: \(text.prefix(200))")
            }
            return object
        }
    }

    enum Failure: Error, CustomStringConvertible {
        case socket(String)
        case unexpected(String)

        var description: String {
            switch self {
            case .socket(let reason): "socket: \(reason)"
            case .unexpected(let reason): reason
            }
        }
    }

    /// Sends a request and reads the whole response.
    func request(_ method: String = "GET", _ target: String, headers: [String: String] = [:], body: Data? = nil,
                 timeoutSeconds: Double = 30) throws -> Response {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if let body { bytes.append(body) }
        return try Self.parse(try raw(bytes, timeoutSeconds: timeoutSeconds))
    }

    /// Sends `bytes` as they are and returns everything the server sends back until it closes.
    func raw(_ bytes: Data, timeoutSeconds: Double = 30) throws -> Data {
        let socket = try connect(timeoutSeconds: timeoutSeconds)
        defer { close(socket) }
        try send(bytes, on: socket)
        shutdown(socket, Int32(SHUT_WR))
        return try receiveAll(socket)
    }

    /// An open connection, for tests that write slowly or not at all.
    func connect(timeoutSeconds: Double = 30) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure.socket("socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: Int((timeoutSeconds - timeoutSeconds.rounded(.down)) * 1e6))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure.socket("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        return socket
    }

    func send(_ bytes: Data, on socket: Int32) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw Failure.socket("send failed: errno \(errno)") }
                offset += sent
            }
        }
    }

    /// Reads until the peer closes; a receive timeout is an error.
    func receiveAll(_ socket: Int32) throws -> Data {
        var received = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &chunk, chunk.count, 0)
            if count == 0 { return received }
            guard count > 0 else {
                if errno == ECONNRESET { return received }
                throw Failure.socket("recv failed: errno \(errno) after \(received.count) bytes")
            }
            received.append(contentsOf: chunk[0..<count])
        }
    }

    /// Splits a response into status, headers and body (chunked bodies decoded).
    static func parse(_ data: Data) throws -> Response {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure.unexpected("no complete response head in \(data.count) bytes: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.unexpected("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data) throws -> Data {
        var output = Data()
        var index = data.startIndex
        while index < data.endIndex {
            guard let lineEnd = data[index...].range(of: Data("\r\n".utf8)) else { break }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else { throw Failure.unexpected("bad chunk size \(sizeText)") }
            if size == 0 { break }
            let start = lineEnd.upperBound
            output.append(data[start..<start + size])
            index = start + size + 2
        }
        return output
    }
}
