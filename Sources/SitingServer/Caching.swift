import Foundation
import HTTPTypes
import Hummingbird

/// Responses with validators: an `ETag` made of the data version and a hash of the body, so a client
/// that sends it back in `If-None-Match` gets 304 while neither the data nor the answer changed, and
/// a `Cache-Control` lifetime chosen by the route.
enum Caching {
    /// `"d<version>-<64-bit hash of the body>"`.
    static func entityTag(dataVersion: Int, body: some ContiguousBytes) -> String {
        "\"d\(dataVersion)-\(String(hash(body), radix: 16))\""
    }

    /// FNV-1a over 8-byte words (then the tail bytes), mixed at the end: a few microseconds for a
    /// large answer, and any change of the body changes it with overwhelming probability.
    static func hash(_ body: some ContiguousBytes) -> UInt64 {
        body.withUnsafeBytes { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            let words = buffer.count / 8
            for index in 0..<words {
                hash = (hash ^ buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            }
            for index in (words * 8)..<buffer.count {
                hash = (hash ^ UInt64(buffer[index])) &* 0x0000_0100_0000_01b3
            }
            hash ^= hash >> 33
            hash &*= 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 33
            return hash
        }
    }

    /// A 200 with `body`, or a 304 when the request's `If-None-Match` names the same entity tag.
    static func response(for request: Request, body: some ContiguousBytes & Collection<UInt8>, contentType: String, dataVersion: Int,
                         cacheControl: String) -> Response {
        let tag = entityTag(dataVersion: dataVersion, body: body)
        var headers: HTTPFields = [.eTag: tag, .cacheControl: cacheControl]
        if let match = request.headers[.ifNoneMatch], matches(match, tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// RFC 9110 weak comparison over a list of tags (or `*`).
    static func matches(_ header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            if trimmed == "*" { return true }
            return (trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed) == tag
        }
    }

    /// `public, max-age=N` for a response that stays true for `seconds`; `no-cache` when it may change at once.
    static func publicLifetime(seconds: Int) -> String {
        seconds > 0 ? "public, max-age=\(seconds)" : "no-cache"
    }
}
