import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the first worksheet of an .xlsx file (what Excel, WPS or a department's system saves)
/// as CSV text in UTF-8, so a feed can come as a spreadsheet: shared and inline strings keep their
/// Chinese, numbers are written as they are stored.
public enum XLSXReader {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func isXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// The first worksheet as CSV (UTF-8, `\n` line ends, fields quoted where needed).
    public static func csv(_ data: Data) throws -> Data {
        let files = try entries(Array(data))
        let shared = try files["xl/sharedStrings.xml"].map { try sharedStrings($0) } ?? []
        let sheetName = files.keys.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }.sorted().first
        guard let sheetName, let sheet = files[sheetName] else { throw Failure(description: "the workbook has no worksheet") }
        let rows = try cells(sheet, shared: shared)
        var out = ""
        for row in rows {
            out += row.map { f in f.contains(",") || f.contains("\"") || f.contains("\n") ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f }
                .joined(separator: ",") + "\n"
        }
        return Data(out.utf8)
    }

    /// The archive's files by name, decompressed.
    static func entries(_ b: [UInt8]) throws -> [String: Data] {
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard b.count >= 22 else { throw Failure(description: "not a ZIP archive") }
        var end = b.count - 22
        while end >= 0 && u32(end) != 0x0605_4b50 { end -= 1 }
        guard end >= 0 else { throw Failure(description: "not a ZIP archive (no central directory)") }
        var p = u32(end + 16)
        var out: [String: Data] = [:]
        for _ in 0..<u16(end + 10) {
            guard p + 46 <= b.count, u32(p) == 0x0201_4b50 else { throw Failure(description: "a damaged ZIP central directory") }
            let method = u16(p + 10), compressed = u32(p + 20), nameLength = u16(p + 28), extra = u16(p + 30), comment = u16(p + 32)
            let local = u32(p + 42)
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            guard local + 30 <= b.count else { throw Failure(description: "a damaged ZIP entry \(name)") }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start + compressed <= b.count else { throw Failure(description: "a damaged ZIP entry \(name)") }
            let raw = Array(b[start..<(start + compressed)])
            switch method {
            case 0: out[name] = Data(raw)
            case 8:
                do { out[name] = Data(try Inflate.decompress(raw)) } catch { throw Failure(description: "\(name): \(error)") }
            default: throw Failure(description: "\(name): compression method \(method) is not supported")
            }
            p += 46 + nameLength + extra + comment
        }
        return out
    }

    /// The shared strings: each `<si>`'s text runs joined.
    static func sharedStrings(_ xml: Data) throws -> [String] {
        final class Collector: NSObject, XMLParserDelegate {
            var strings: [String] = []
            var current = "", inText = false, inSI = false
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if e == "si" { inSI = true; current = "" }
                if e == "t" && inSI { inText = true }
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inText { current += s } }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                if e == "t" { inText = false }
                if e == "si" { strings.append(current); inSI = false }
            }
        }
        let c = Collector()
        let parser = XMLParser(data: xml)
        parser.delegate = c
        guard parser.parse() else { throw Failure(description: "xl/sharedStrings.xml is not valid XML") }
        return c.strings
    }

    /// The sheet's rows, each a list of cell texts by column (gaps filled with empty fields).
    static func cells(_ xml: Data, shared: [String]) throws -> [[String]] {
        final class Collector: NSObject, XMLParserDelegate {
            let shared: [String]
            var rows: [[String]] = []
            var row: [Int: String] = [:]
            var col = 0, type = "", value = "", inValue = false
            init(shared: [String]) { self.shared = shared }
            static func column(_ ref: String) -> Int {
                var n = 0
                for ch in ref.unicodeScalars where ch.value >= 65 && ch.value <= 90 { n = n * 26 + Int(ch.value - 64) }
                return max(0, n - 1)
            }
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]) {
                switch e {
                case "row": row = [:]
                case "c": col = Self.column(a["r"] ?? ""); type = a["t"] ?? ""; value = ""
                case "v", "t": inValue = true
                default: break
                }
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inValue { value += s } }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                switch e {
                case "v", "t": inValue = false
                case "c": row[col] = type == "s" ? (Int(value).flatMap { $0 < shared.count ? shared[$0] : nil } ?? "") : value
                case "row":
                    let width = (row.keys.max() ?? -1) + 1
                    rows.append((0..<width).map { row[$0] ?? "" })
                default: break
                }
            }
        }
        let c = Collector(shared: shared)
        let parser = XMLParser(data: xml)
        parser.delegate = c
        guard parser.parse() else { throw Failure(description: "the worksheet is not valid XML") }
        return c.rows
    }
}
