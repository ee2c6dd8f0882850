import Foundation

/// One row of the division table.
public struct Division: Hashable, Sendable, Codable {
    public let code: DivisionCode
    public let name: String
    public let level: DivisionCode.Level
    public let parent: DivisionCode?
}

/// The administrative divisions the platform knows, with look-ups by code and name.
///
/// The bundled table is the Ministry of Civil Affairs' 行政区划代码 as of 2025-12-31 for the
/// five seed localities (see `Resources/DIVISIONS-SOURCE.md`). Township codes are MCA codes,
/// which differ from the statistical (NBS) codes for several counties: never mix the two.
public struct Divisions: Sendable {
    public let all: [Division]
    private let byCode: [DivisionCode: Division]
    private let byParent: [DivisionCode: [Division]]

    public init(_ rows: [Division]) {
        all = rows.sorted { $0.code < $1.code }
        byCode = Dictionary(rows.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        byParent = Dictionary(grouping: rows.filter { $0.parent != nil }, by: { $0.parent! })
            .mapValues { $0.sorted { $0.code < $1.code } }
    }

    /// The table shipped with Jiuzhu, loaded once.
    public static let bundled: Divisions = {
        do {
            guard let url = Bundle.module.url(forResource: "divisions", withExtension: "csv", subdirectory: "Resources") else {
                fatalError("divisions.csv is missing from the JiuzhuCore bundle: the package is broken")
            }
            return try Divisions(csv: String(contentsOf: url, encoding: .utf8))
        } catch {
            fatalError("bundled divisions.csv is invalid: \(error)")
        }
    }()

    /// Parses `code,name,level,parent_code` with 12-digit codes.
    public init(csv: String) throws {
        var rows: [Division] = []
        // Keep blank lines in the split (and skip them) so that `i + 1` is the real line number.
        for (i, line) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where i > 0 && !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 4, let level = DivisionCode.Level(rawValue: String(f[2])) else {
                throw DivisionTableError(line: i + 1, message: "expected code,name,level,parent_code")
            }
            do {
                let code = try DivisionCode(f[0])
                let parent = f[3].isEmpty ? nil : try DivisionCode(f[3])
                rows.append(Division(code: code, name: String(f[1]), level: level, parent: parent))
            } catch {
                throw DivisionTableError(line: i + 1, message: "\(error)")
            }
        }
        self.init(rows)
    }

    public subscript(code: DivisionCode) -> Division? { byCode[code] }

    /// Divisions whose name is exactly `name` (names repeat across counties, e.g. 城关镇).
    public func named(_ name: String) -> [Division] { all.filter { $0.name == name } }

    /// Divisions whose name contains `text`.
    public func search(_ text: String) -> [Division] { all.filter { $0.name.contains(text) } }

    public func children(of code: DivisionCode) -> [Division] { byParent[code] ?? [] }

    public func counties() -> [Division] { all.filter { $0.level == .county } }

    /// Townships within the county (or prefecture) `code`.
    public func townships(in code: DivisionCode) -> [Division] {
        all.filter { $0.level == .township && code.contains($0.code) }
    }

    /// The full name from the province down, e.g. 云南省 玉溪市 元江哈尼族彝族傣族自治县 因远镇.
    public func fullName(_ code: DivisionCode) -> String {
        code.chain.reversed().compactMap { byCode[$0]?.name }.joined(separator: " ")
    }

    /// Checks that `code` can be a household's place: its county must be known, and a
    /// township (or the township part of a village code) must be in the table. Village codes
    /// are not in the bundled table, so any three village digits under a known township pass.
    public func validatePlace(_ code: DivisionCode) -> String? {
        let county = code.countyCode
        guard let c = byCode[county], c.level == .county else {
            return "county \(county) is not in the division table (MCA 2025-12-31)"
        }
        switch code.level {
        case .township, .village:
            let township = code.level == .village ? code.parent! : code
            guard byCode[township] != nil else {
                return "township \(township) is not in the division table of \(c.name) (MCA codes, 2025-12-31)"
            }
            return nil
        default:
            return nil
        }
    }
}

public struct DivisionTableError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "divisions.csv line \(line): \(message)" }
}
