import ArgumentParser
import Foundation
import JiuzhuCore
import JiuzhuWeb

/// `jiuzhu check-id`: one ID number per line on stdin → `valid` or `invalid: <reason>` per line.
struct CheckID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-id",
        abstract: "Check resident ID numbers (GB 11643-1999), one per line on stdin.")

    func run() throws {
        let day = JiuzhuCLI.today()
        var out = ""
        while let line = readLine(strippingNewline: true) {
            var text = Substring(line)
            if text.hasSuffix("\r") { text = text.dropLast() }
            do {
                _ = try IDNumber(validating: text.trimmingCharacters(in: .whitespaces), today: day)
                out += "valid\n"
            } catch {
                out += "invalid: \(error.description)\n"
            }
            if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// `jiuzhu workdays add|count`: working days on the official calendar (holidays and 调休 weekends).
struct Workdays: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Working days on the State Council's holiday calendar.",
        subcommands: [Add.self, Count.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the Nth working day after a date (the date itself never counts).")
        @Argument(help: "YYYY-MM-DD") var date: String
        @Argument(help: "N ≥ 0") var n: Int

        func run() throws {
            let day = try parseDay(date, "date")
            guard n >= 0 else { throw ValidationError("N must be 0 or more") }
            do { print(try WorkdayCalendar.bundled.adding(workdays: n, to: day)) } catch {
                throw CommandFailure(error.description)
            }
        }
    }

    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the working days after A up to and including B.")
        @Argument(help: "A, YYYY-MM-DD") var from: String
        @Argument(help: "B, YYYY-MM-DD") var to: String

        func run() throws {
            let a = try parseDay(from, "A"), b = try parseDay(to, "B")
            do { print(try WorkdayCalendar.bundled.workdays(after: a, through: b)) } catch {
                throw CommandFailure(error.description)
            }
        }
    }
}

func parseDay(_ text: String, _ name: String) throws -> Day {
    do { return try Day(parsing: text) } catch { throw ValidationError("\(name): \(error.description)") }
}

/// `jiuzhu openapi`: prints the OpenAPI document of the JSON API (what `/openapi.json` serves).
struct OpenAPI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the OpenAPI document of the API.")
    func run() throws {
        FileHandle.standardOutput.write(APIDescription.json)
        print()
    }
}
