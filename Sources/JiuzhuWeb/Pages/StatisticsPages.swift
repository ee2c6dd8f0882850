import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Plot
import Vapor

/// 统计: a month's households and amounts by programme and township (the registry evaluated under
/// each household's pack), the cases by state and the deadlines met; as SVG charts, CSV and .xlsx.
enum StatisticsPages {
    struct Model: Equatable {
        let context: PageContext
        let month: String
        /// township, then per paid programme: households and fen.
        let rows: [[String]]
        let totals: [String]
        let byProgramme: [(String, Int64)]
        let cases: [(String, Int)]
        let deadlines: (met: Int, late: Int, open: Int, overdue: Int)
        static func == (a: Model, b: Model) -> Bool {
            a.context == b.context && a.month == b.month && a.rows == b.rows && a.totals == b.totals
                && a.byProgramme.map(\.0) == b.byProgramme.map(\.0) && a.byProgramme.map(\.1) == b.byProgramme.map(\.1)
                && a.cases.map(\.0) == b.cases.map(\.0) && a.cases.map(\.1) == b.cases.map(\.1)
                && a.deadlines.met == b.deadlines.met && a.deadlines.late == b.deadlines.late
                && a.deadlines.open == b.deadlines.open && a.deadlines.overdue == b.deadlines.overdue
        }
    }

    static let paid: [Programme] = [.tekun, .dibao, .dibaoSingle]
    static let header = ["乡镇（街道）"] + paid.flatMap { ["\($0.chineseName)（户）", "\($0.chineseName)（元/月）"] } + ["低收入家庭（户）"]

    /// The month's figures for the user's division.
    static func table(_ req: Request, month: Month) async throws -> (rows: [[String]], numbers: [[Int64]], names: [String]) {
        let user = req.user!
        let (h, m) = try await PopulationStore.exportPopulation(scope: user.jurisdiction, on: req.db, actor: user.actor, now: req.now)
        let outcomes = try Simulation.evaluate(Population(households: h, members: m), month: month, packs: .byDivision(.bundled))
        var byTownship: [String: [Int64]] = [:]
        for (i, household) in h.enumerated() {
            let t = String(household.divisionCode.digits.prefix(9))
            var row = byTownship[t] ?? Array(repeating: 0, count: paid.count * 2 + 1)
            let p = outcomes.programmes[i]
            if let k = paid.firstIndex(of: p) { row[2 * k] += 1; row[2 * k + 1] += outcomes.benefits[i] }
            if p == .lowIncome { row[paid.count * 2] += 1 }
            byTownship[t] = row
        }
        let codes = byTownship.keys.sorted()
        let names = codes.map { code in (try? DivisionCode(code)).flatMap { Divisions.bundled[$0]?.name } ?? code }
        let numbers = codes.map { byTownship[$0]! }
        let rows = zip(names, numbers).map { name, n in
            [name] + n.enumerated().map { i, v in i % 2 == 1 && i < paid.count * 2 ? "\(Money(fen: v))" : Format.grouped(Int(v)) }
        }
        return (rows, numbers, names)
    }

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let month = (try? Month(parsing: req.query[String.self, at: "month"] ?? "")) ?? Day(req.now).monthOfYear
            let (rows, numbers, _) = try await table(req, month: month)
            var totals = Array(repeating: Int64(0), count: paid.count * 2 + 1)
            for n in numbers { for i in n.indices { totals[i] += n[i] } }
            let cases = req.user!.role.readsRegistry ? try await req.casework.list() : []
            var byState: [String: Int] = [:]
            for s in cases { byState[CaseState(rawValue: s.state)?.chineseName ?? s.state, default: 0] += 1 }
            let counts = req.user!.role.readsRegistry ? try await req.casework.deadlineCounts() : [:]
            let (met, late, overdue) = (counts["met"] ?? 0, counts["met_late"] ?? 0, counts["overdue"] ?? 0)
            let open = (counts["open"] ?? 0) + (counts["due_soon"] ?? 0)
            let model = Model(context: c, month: month.description, rows: rows,
                              totals: ["合计"] + totals.enumerated().map { i, v in i % 2 == 1 && i < paid.count * 2 ? "\(Money(fen: v))" : Format.grouped(Int(v)) },
                              byProgramme: paid.enumerated().map { ($1.chineseName, totals[2 * $0]) } + [("低收入家庭", totals[paid.count * 2])],
                              cases: byState.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                              deadlines: (met, late, open, overdue))
            return htmlResponse(render(model))
        }
    }

    static func render(_ m: Model) -> String {
        let chart = SVGChart.bars(title: "\(m.month) 各项目户数（按登记信息测算）", items: m.byProgramme.map { ($0.0, $0.1, Format.grouped(Int($0.1))) })
        let caseChart = SVGChart.bars(title: "案件按环节", items: m.cases.map { ($0.0, Int64($0.1), String($0.1)) })
        let d = m.deadlines
        return Layout.page(title: "统计", context: m.context, body: .group(
            .h2(.text("统计 · \(m.month)")),
            .form(.method(.get), .action("/statistics"), .class("card slow"),
                  .label(.for("month"), .text("月份")), .input(.type(.text), .name("month"), .id("month"), .value(m.month)),
                  .button(.type(.submit), .text("查看")),
                  .span(.class("working"), .attribute(named: "hidden", value: "hidden"), .text(" 正在统计，请稍候……")), .text(" "),
                  .a(.href("/statistics.csv?month=\(m.month)"), .text("导出 CSV")), .text(" · "),
                  .a(.href("/statistics.xlsx?month=\(m.month)"), .text("导出 Excel"))),
            .raw(chart),
            .table(.thead(.tr(.forEach(header) { .th(.text($0)) })),
                   .tbody(.forEach(m.rows) { r in .tr(.forEach(Array(r.enumerated())) { i, v in i == 0 ? .td(.text(v)) : .td(.class("n"), .text(v)) }) }),
                   .tfoot(.tr(.forEach(Array(m.totals.enumerated())) { i, v in i == 0 ? .td(.text(v)) : .td(.class("n"), .text(v)) }))),
            .h3("案件与办理期限"),
            .raw(caseChart),
            .p(.text("期限：按时完成 \(d.met) 项，逾期完成 \(d.late) 项，未到期 \(d.open) 项，已逾期 \(d.overdue) 项。"))
        )).render(indentedBy: .spaces(1))
    }

    static func csv(req: Request) async throws -> Response {
        guard req.user != nil else { throw Abort(.unauthorized, reason: "sign in first") }
        let month = (try? Month(parsing: req.query[String.self, at: "month"] ?? "")) ?? Day(req.now).monthOfYear
        let (_, numbers, names) = try await table(req, month: month)
        var text = "\u{FEFF}" + (["乡镇（街道）"] + paid.flatMap { ["\($0.rawValue)_households", "\($0.rawValue)_fen"] } + ["low_income_households"]).joined(separator: ",") + "\r\n"
        for (name, n) in zip(names, numbers) { text += ([name] + n.map(String.init)).joined(separator: ",") + "\r\n" }
        let r = Response(status: .ok, body: .init(string: text))
        r.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        r.headers.contentDisposition = .init(.attachment, filename: "statistics-\(month).csv")
        return r
    }

    static func xlsx(req: Request) async throws -> Response {
        guard req.user != nil else { throw Abort(.unauthorized, reason: "sign in first") }
        let month = (try? Month(parsing: req.query[String.self, at: "month"] ?? "")) ?? Day(req.now).monthOfYear
        let (_, numbers, names) = try await table(req, month: month)
        // Amounts stay exact: in fen, as everywhere.
        let rows: [[XLSX.Cell]] = [header.map { .text($0.replacingOccurrences(of: "元/月", with: "分/月")) }]
            + zip(names, numbers).map { name, n in [.text(name)] + n.map { .number($0) } }
        return download(XLSX.workbook(sheet: "统计 \(month)", rows: rows), .xlsx, name: "statistics-\(month).xlsx")
    }
}
