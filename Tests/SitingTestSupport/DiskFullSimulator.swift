import Foundation

/// A real "no space left on device" for one process, without a small file system: a tiny shared
/// library, loaded with `LD_PRELOAD`, makes every `pwrite` to a file whose name ends in `-wal` fail
/// with `ENOSPC` once it would reach past a byte offset. SQLite then reports `SQLITE_FULL`, exactly as
/// on a full disk (its own `PRAGMA max_page_count` does not persist across connections, and an
/// `RLIMIT_FSIZE` limit gives `EFBIG`, which SQLite reports as a generic I/O error instead).
///
/// Linux only; needs a C compiler (`cc`, `gcc` or `clang`) on PATH.
public enum DiskFullSimulator {
    static let source = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <errno.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/types.h>
        #include <unistd.h>

        static int wouldOverflow(int fd, off_t offset, size_t count) {
            const char *limitText = getenv("SITING_TEST_FULL_AFTER_BYTES");
            if (limitText == NULL) return 0;
            char link[64], target[4096];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t length = readlink(link, target, sizeof target - 1);
            if (length < 4) return 0;
            target[length] = 0;
            if (strcmp(target + length - 4, "-wal") != 0) return 0;
            return (long long)offset + (long long)count > atoll(limitText);
        }

        ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) {
            static ssize_t (*real)(int, const void *, size_t, off_t);
            if (real == NULL) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
            if (wouldOverflow(fd, offset, count)) { errno = ENOSPC; return -1; }
            return real(fd, buffer, count, offset);
        }

        ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
            return pwrite64(fd, buffer, count, offset);
        }
        """

    /// Builds the library into `directory`; nil when there is no C compiler or the build fails.
    public static func build(in directory: String) -> String? {
        #if os(Linux)
        guard let compiler = ["cc", "gcc", "clang"].lazy.compactMap(ExternalTool.locate).first else { return nil }
        let sourcePath = directory + "/disk-full-shim.c", libraryPath = directory + "/disk-full-shim.so"
        guard (try? Data(source.utf8).write(to: URL(fileURLWithPath: sourcePath))) != nil,
              let outcome = try? ExternalTool.run(compiler, ["-shared", "-fPIC", "-O1", "-o", libraryPath, sourcePath, "-ldl"]),
              outcome.status == 0 else { return nil }
        return libraryPath
        #else
        return nil
        #endif
    }

    /// The environment for a child process whose write-ahead log cannot grow past `bytes`.
    public static func environment(library: String, fullAfterBytes bytes: Int) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = library
        environment["SITING_TEST_FULL_AFTER_BYTES"] = String(bytes)
        return environment
    }
}

/// Reads a GeoPackage point geometry (OGC GeoPackage 1.3 §2.1.3: "GP", version, flags, SRS id,
/// optional envelope, then ISO WKB) from the hex text `sqlite3` prints for `hex(geom)`. Written from
/// the specification, independently of Siting's encoder.
public enum GeoPackagePointHex {
    /// The point's (x, y) and SRS id, or nil when the bytes are not a 2-D GeoPackage point.
    public static func decode(_ hex: String) -> (x: Double, y: Double, srsID: Int32)? {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else { return nil }
        let flags = bytes[3]
        let headerLittle = flags & 1 == 1
        let envelopeDoubles = [0, 4, 6, 6, 8][min(Int((flags >> 1) & 7), 4)]
        let srs = Int32(bitPattern: UInt32(integer(bytes, 4, 4, little: headerLittle)))
        let wkb = 8 + envelopeDoubles * 8
        guard bytes.count >= wkb + 21 else { return nil }
        let little = bytes[wkb] == 1
        guard integer(bytes, wkb + 1, 4, little: little) == 1 else { return nil }
        let x = Double(bitPattern: integer(bytes, wkb + 5, 8, little: little))
        let y = Double(bitPattern: integer(bytes, wkb + 13, 8, little: little))
        return (x, y, srs)
    }

    private static func integer(_ bytes: [UInt8], _ offset: Int, _ count: Int, little: Bool) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<count {
            let byte = UInt64(bytes[little ? offset + count - 1 - index : offset + index])
            value = value << 8 | byte
        }
        return value
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: return character - 0x30
        case 0x41...0x46: return character - 0x41 + 10
        case 0x61...0x66: return character - 0x61 + 10
        default: return nil
        }
    }
}
