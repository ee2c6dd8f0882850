import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Plot
import Vapor

/// 政策: each pack's parameters with their units, dates, sources and 待核定 marks; the what-if.
enum PolicyPages {
    struct ParameterRow: Equatable {
        let name: String
        let description: String
        let unit: String
        let current: String
        let values: [String]
        let citation: String
        let provisional: Bool
    }

    struct PackModel: Equatable {
        let context: PageContext
        let id: String
        let name: String
        let rows: [ParameterRow]
    }

    struct ListModel: Equatable {
        let context: PageContext
        /// (id, name, divisions) of each pack.
        let packs: [[String]]
    }

    static func list(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            htmlResponse(renderList(ListModel(context: c, packs: Packs.bundled.all.map { [$0.id, $0.name, $0.divisions.map(\.digits).joined(separator: "、")] })))
        }
    }

    static func renderList(_ m: ListModel) -> String {
        Layout.page(title: "政策参数", context: m.context, body: .group(
            .h2("政策参数包"),
            .table(.thead(.tr(.th("编号"), .th("名称"), .th("适用区划"))),
                   .tbody(.forEach(m.packs) { p in .tr(.td(.a(.href("/policy/\(p[0])"), .text(p[0]))), .td(.text(p[1])), .td(.text(p[2]))) }))
        )).render(indentedBy: .spaces(1))
    }

    static func pack(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let p = try Packs.bundled.pack(id: try req.pathParameter("id"))
            return htmlResponse(renderPack(makePack(c, p, today: Day(req.now))))
        }
    }

    static func makePack(_ c: PageContext, _ p: PolicyPack, today: Day) -> PackModel {
        PackModel(context: c, id: p.id, name: p.name, rows: p.parameters.values.sorted { $0.name < $1.name }.map { q in
            let current = q.value(on: today).map { ParameterUse.text($0.1, unit: q.unit) } ?? "（未生效）"
            return ParameterRow(name: q.name, description: q.description, unit: q.unit.rawValue, current: current,
                                values: q.values.map { "\($0.from)：\(ParameterUse.text($0.value, unit: q.unit))" }, citation: q.citation, provisional: q.provisional)
        })
    }

    static func renderPack(_ m: PackModel) -> String {
        Layout.page(title: m.name, context: m.context, body: .group(
            .h2(.text("\(m.name)（\(m.id)）")),
            .p(.a(.href("/policy/\(m.id)/whatif"), .text("测算：调整参数看影响")), .text(" · 标记“待核定”的数值须按当地年度文件核实后替换。")),
            .table(.thead(.tr(.th("参数"), .th("含义"), .th("单位"), .th("现行值"), .th("历次取值（生效日）"), .th("依据"))),
                   .tbody(.forEach(m.rows) { r in
                       .tr(.td(.class("param"), .text(r.name)), .td(.text(r.description)), .td(.text(r.unit)),
                           .td(.text(r.current + (r.provisional ? "（待核定）" : ""))),
                           .td(.text(r.values.joined(separator: "；"))), .td(.text(r.citation)))
                   }))
        )).render(indentedBy: .spaces(1))
    }

    // MARK: What-if

    struct WhatIfModel: Equatable {
        let context: PageContext
        let pack: String
        let month: String
        let changes: [String]
        let error: String?
        let households: Int
        let byProgramme: [[String]]
        let byTownship: [[String]]
        let chart: String?
        let total: String
    }

    /// `GET /policy/{id}/whatif?month=YYYY-MM&set=name=value&set=…`: the households of the user's
    /// division under the pack, and under the pack changed; who gains, who loses, and the cost.
    static func whatIf(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let id = try req.pathParameter("id")
            let pack = try Packs.bundled.pack(id: id)
            let month = (try? Month(parsing: req.query[String.self, at: "month"] ?? "")) ?? Day(req.now).monthOfYear
            let changes = (req.query[[String].self, at: "set"] ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            var model = WhatIfModel(context: c, pack: id, month: month.description, changes: changes, error: nil, households: 0,
                                    byProgramme: [], byTownship: [], chart: nil, total: "")
            if !changes.isEmpty {
                do {
                    let user = req.user!
                    let (h, m) = try await PopulationStore.exportPopulation(scope: user.jurisdiction, on: req.db, actor: user.actor, now: req.now)
                    let population = Population(households: h, members: m)
                    let parsed = try Simulation.parseChanges(changes, pack: pack)
                    let baseline = try Simulation.evaluate(population, month: month, packs: .fixed(pack))
                    let changed = try Simulation.evaluate(population, month: month, packs: .fixed(pack.overriding(parsed, from: month.firstDay)))
                    let w = WhatIf(month: month, households: h, baseline: baseline, whatIf: changed, changes: [:])
                    model = makeWhatIf(model, w)
                } catch let e as PolicyError {
                    model = WhatIfModel(context: c, pack: id, month: month.description, changes: changes, error: "参数调整有误：\(e.description)",
                                        households: 0, byProgramme: [], byTownship: [], chart: nil, total: "")
                }
            }
            return htmlResponse(renderWhatIf(model))
        }
    }

    static func makeWhatIf(_ base: WhatIfModel, _ w: WhatIf) -> WhatIfModel {
        let programmes = Programme.allCases.filter(\.isPaid).map { p -> [String] in
            let c = w.byProgramme[p.rawValue]
            return [p.chineseName, String(c?.gained ?? 0), String(c?.lost ?? 0), "\(Money(fen: c?.costChangeFen ?? 0))"]
        }
        // The township's own name (the full name repeats the province, prefecture and county).
        func short(_ name: String) -> String { name.split(separator: " ").last.map(String.init) ?? name }
        let townships = w.byTownship.map { [short($0.name), String($0.change.gained), String($0.change.lost), "\(Money(fen: $0.change.costChangeFen))"] }
        let chart = SVGChart.bars(title: "各乡镇每月支出变化（元）",
                                  items: w.byTownship.map { (short($0.name), $0.change.costChangeFen, "\(Money(fen: $0.change.costChangeFen))") })
        return WhatIfModel(context: base.context, pack: base.pack, month: base.month, changes: base.changes, error: nil, households: w.baseline.households,
                           byProgramme: programmes, byTownship: townships, chart: chart, total: "\(Money(fen: w.totalCostChangeFen))")
    }

    static func renderWhatIf(_ m: WhatIfModel) -> String {
        let inputs: [Node<HTML.FormContext>] = (0..<3).map { i in
            .p(.label(.for("set\(i)"), .text("调整 \(i + 1)")),
               .input(.type(.text), .name("set"), .id("set\(i)"), .value(i < m.changes.count ? m.changes[i] : ""),
                      .placeholder(i == 0 ? "如 S_rural=60000" : "")))
        }
        return Layout.page(title: "政策测算", context: m.context, body: .group(
            .h2(.text("政策测算 · \(m.pack)")),
            .form(.method(.get), .action("/policy/\(m.pack)/whatif"), .class("card slow"),
                  .p(.label(.for("month"), .text("月份")), .input(.type(.text), .name("month"), .id("month"), .value(m.month))),
                  .group(inputs),
                  .button(.type(.submit), .id("run-whatif"), .text("测算")),
                  .span(.class("working"), .attribute(named: "hidden", value: "hidden"), .text(" 正在按本辖区全部登记家庭测算，请稍候……"))),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            m.households == 0 ? .empty : .group(
                .p(.text("本辖区 \(Format.grouped(m.households)) 户按调整后参数测算，每月支出变化合计 \(m.total)。")),
                .table(.thead(.tr(.th("项目"), .th(.class("n"), .text("新增（户）")), .th(.class("n"), .text("退出（户）")), .th(.class("n"), .text("支出变化/月")))),
                       .tbody(.forEach(m.byProgramme) { r in .tr(.td(.text(r[0])), .td(.class("n"), .text(r[1])), .td(.class("n"), .text(r[2])), .td(.class("n"), .text(r[3]))) })),
                .unwrap(m.chart) { .raw($0) },
                .table(.thead(.tr(.th("乡镇（街道）"), .th(.class("n"), .text("新增（户）")), .th(.class("n"), .text("退出（户）")), .th(.class("n"), .text("支出变化/月")))),
                       .tbody(.forEach(m.byTownship) { r in .tr(.td(.text(r[0])), .td(.class("n"), .text(r[1])), .td(.class("n"), .text(r[2])), .td(.class("n"), .text(r[3]))) })))
        )).render(indentedBy: .spaces(1))
    }
}
