import Foundation
import SitingCore

/// A public-holiday file (`date,kind,name` rows), read for `siting init` and `siting import holidays`.
enum HolidayFile {
    /// The calendar in the file at `path`.
    ///
    /// - Throws: `CLIError.unreadableFile` naming the file and, for bad rows, the line.
    static func read(_ path: String) throws -> HolidayCalendar {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        do {
            return try HolidayCalendar(csv: text)
        } catch {
            throw CLIError.unreadableFile(path: path, reason: "\(error)")
        }
    }
}
