import Foundation
@testable import JiuzhuCore
import Testing

/// The streamed feed reader: the same records and rows whatever the pieces the bytes arrive in.
@Suite struct FeedStreamTests {
    static let today = Day(year: 2025, month: 7, day: 15)!

    static func id(_ sequence: Int, born: String = "19600101") -> String {
        let first17 = "530428" + born + String(format: "%03d", sequence)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    /// Every record as (line, fields), splitting `bytes` into pieces of `size`.
    static func records(_ bytes: [UInt8], pieces size: Int) throws -> [String] {
        var out: [String] = []
        var splitter = CSVRecordSplitter()
        let take: (Int, inout CSVRecordSplitter) -> Void = { line, s in
            out.append("\(line):" + s.fields.map { String(decoding: s.bytes[$0], as: UTF8.self) }.joined(separator: "|"))
        }
        for start in stride(from: 0, to: bytes.count, by: size) {
            try splitter.feed(Data(bytes[start..<min(start + size, bytes.count)]), take)
        }
        try splitter.finish(take)
        return out
    }

    @Test func records_areTheSame_inPiecesOfEverySize() throws {
        let text = "a,b,c\r\n\"x, \"\"quoted\"\"\",\"two\nlines\",3\n\n王秀英,\"\",\"\"\"\"\nlast,no,newline"
        let bytes = Array(text.utf8)
        let whole = try Self.records(bytes, pieces: bytes.count)
        #expect(whole == ["1:a|b|c", "2:x, \"quoted\"|two\nlines|3", "4:", "5:王秀英||\"", "6:last|no|newline"])
        for size in 1...bytes.count {
            #expect(try Self.records(bytes, pieces: size) == whole, "pieces of \(size)")
        }
    }

    @Test func aQuoteLeftOpen_isRefusedWithItsLine_notReadToTheEnd() throws {
        var text = "id_number,name,date_of_death\n\(Self.id(11)),\"王秀英,2025-06-01\n"
        text += String(repeating: "\(Self.id(13)),李四,2025-06-01\n", count: CSVRecordSplitter.longestRecord / 30)
        #expect(throws: FeedErrors(file: "f.csv", errors: [FeedError(line: 2, column: "-", rule: "the record goes on past 1024 KiB: a quote is not closed")])) {
            _ = try FeedCSV.scan(.data(Data(text.utf8)), kind: .deaths, file: "f.csv", today: Self.today) { _, _, _ in }
        }
    }

    /// A file read from disk in pieces of 1 MiB gives exactly the rows the same bytes give in memory,
    /// GBK names cut at piece boundaries included.
    @Test func aFileReadInPieces_givesTheRowsOfTheWholeFile() throws {
        var text = "id_number,employer,monthly_wage_fen\r\n"
        for i in 0..<60_000 { text += "\(Self.id(i % 999 + 1)),元江县第\(i)建筑公司,\(i)\r\n" }
        let gbk = text.data(using: String.Encoding(rawValue: 0x8000_0632))!
        #expect(gbk.count > 2 << 20)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString).csv")
        try gbk.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var fromFile: [FeedRow] = []
        let summary = try FeedCSV.scan(.file(url), kind: .wages, today: Self.today) { _, _, row in fromFile.append(row()) }
        #expect(summary.encoding == .gb18030 && summary.rows == 60_000)
        let inMemory = try FeedCSV.read(gbk, kind: .wages, today: Self.today)
        #expect(fromFile == inMemory.rows)
        #expect(fromFile[59_999].fields == ["employer": "元江县第59999建筑公司", "monthly_wage_fen": "59999"])
        #expect(fromFile[59_999].line == 60_001)
    }

    @Test func aThousandErrorsAreListed_andAllAreCounted() throws {
        var text = "id_number,employer,monthly_wage_fen\n"
        for i in 0..<1500 { text += "\(Self.id(i % 999 + 1)),公司,-\(i + 1)\n" }
        do {
            _ = try FeedCSV.scan(.data(Data(text.utf8)), kind: .wages, file: "w.csv", today: Self.today) { _, _, _ in }
            Issue.record("refused file accepted")
        } catch {
            #expect(error.errors.count == FeedCSV.errorsKept && error.total == 1500)
            #expect(error.errors[0] == FeedError(line: 2, column: "monthly_wage_fen", rule: "must be a whole number of fen (分), 0 or more, found '-1'"))
            #expect(error.description.hasSuffix("… and 1480 more"))
        }
    }

    @Test func aLineNotInTheEncoding_isNamed() throws {
        var bytes = Array("id_number,name,date_of_death\n\(Self.id(11)),".utf8)
        bytes += [0xC0, 0xAF]   // not UTF-8
        bytes += Array(",2025-06-01\n".utf8)
        #expect(throws: FeedErrors(file: "d.csv", errors: [FeedError(line: 2, column: "name", rule: "is not utf-8 text (declare the encoding: --encoding gbk or utf-8)")])) {
            _ = try FeedCSV.scan(.data(Data(bytes)), kind: .deaths, encoding: .utf8, file: "d.csv", today: Self.today) { _, _, _ in }
        }
    }

    @Test func theIDKey_tellsNumbersApart_byTheirFirst17Digits() throws {
        let a = try IDNumber(validating: Self.id(11), today: Self.today)
        let b = try IDNumber(validating: Self.id(12), today: Self.today)
        #expect(a.key == 530_428_19600101_011 && b.key == 530_428_19600101_012)
    }

    /// docs/feeds/ describes every kind, and its example file reads without an error.
    @Test(arguments: FeedKind.allCases)
    func everyKind_hasADoc_whoseExampleReads(_ kind: FeedKind) throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/feeds")
        let text = try String(contentsOf: docs.appendingPathComponent("\(kind.rawValue).md"), encoding: .utf8)
        let example = try #require(text.components(separatedBy: "Example (`\(kind.rawValue).csv`):\n\n```\n").last?.components(separatedBy: "```").first)
        let file = try FeedCSV.read(Data(example.utf8), kind: kind, today: Self.today)
        #expect(!file.rows.isEmpty)
        let readme = try String(contentsOf: docs.appendingPathComponent("README.md"), encoding: .utf8)
        let departments = kind.departments.joined(separator: "、")
        #expect(readme.contains("| [`\(kind.rawValue)`](\(kind.rawValue).md) | \(kind.chineseName) | \(departments) | `\(kind.columns.joined(separator: ","))` |"))
        #expect(text.hasPrefix("# `\(kind.rawValue)` — \(kind.chineseName)\n\nFrom: \(departments). Header, exactly:\n\n```\n\(kind.header.joined(separator: ","))\n```"))
    }

    /// The quick trim is Foundation's trim of white space, asked only when an end is white.
    @Test(arguments: ["", "a", " a ", "\ta", "a\t", "\u{3000}王\u{3000}", "王", "a\u{00A0}", "\u{2003}", " ", "a b", "\n", "x\r"])
    func theQuickTrim_isFoundationsTrim(_ text: String) {
        #expect(FeedCSV.trimmed(text) == text.trimmingCharacters(in: .whitespaces))
    }
}
