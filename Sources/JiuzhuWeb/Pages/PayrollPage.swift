import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// 发放名册: the county's roll for a month — its state, lines and total, the totals by township and
/// programme and (when there are any) by kind of payment; for the county's officers and
/// administrators the forms to generate and confirm it and to download the bank file. The same
/// `Payroll` calls as `/api/v1/payroll/{county}/{month}`.
enum PayrollPage {
    struct Model: Equatable {
        let context: PageContext
        let month: String
        /// A malformed month asked for, in Chinese (this month is shown).
        var error: String? = nil
        /// `generated`, `confirmed`, `exported`, or nil (no roll yet).
        let status: String?
        /// 未生成, 草稿, 已确认, 已导出.
        let state: String
        let lines: String
        let total: String
        /// The programmes present, in Chinese (the columns).
        let programmes: [String]
        /// Township name, its amount under each programme (blank where none), its total.
        let rows: [[String]]
        /// 合计, each programme's total, the roll's total.
        let totals: [String]
        /// By kind of payment (only when the roll has kinds other than the month's benefit): kind, lines, total.
        let kinds: [[String]]
        /// The user may generate, confirm and export (a county officer or administrator).
        let mayWork: Bool
        /// What a step did, in a sentence.
        var result: String? = nil
        /// Why a step was refused (nothing changed).
        var refusal: String? = nil
        /// Held by the generation (no account): household, programme, amount owed.
        var held: [[String]] = []
        /// Paid more than now owed (reported, never clawed back): household, programme, month, paid, owed.
        var overpaid: [[String]] = []
    }

    static let stateNames = ["generated": "草稿（已生成，未确认）", "confirmed": "已确认", "exported": "已导出（银行文件已下载）"]

    static let kindNames: [PayrollLine.Kind: String] = [
        .regular: "当月待遇", .arrears: "补发", .reissue: "重新发放", .priceSubsidy: "价格临时补贴", .emergencyRaise: "应急提标",
        .emergencySubsidy: "临时生活补贴", .heating: "取暖救助",
    ]

    /// The page's model from the roll's state and lines (no roll: nil and none).
    static func makeModel(_ c: PageContext, month: Month, status: PayrollRun.Status?, lines: [PayrollLine], mayWork: Bool) -> Model {
        let totals = RollTotals(lines)
        let programmes = totals.byProgramme.keys.compactMap(PaymentProgramme.init(rawValue:)).sorted()
        func money(_ fen: Int64) -> String { "\(Money(fen: fen))" }
        let rows = totals.rows.map { r in
            [r.name] + programmes.map { p in r.byProgramme[p.rawValue].map(money) ?? "" } + [money(r.totalFen)]
        }
        let byKind = Dictionary(grouping: lines, by: \.kind)
        let kinds = byKind.keys.contains { $0 != .regular }
            ? PayrollLine.Kind.allCases.compactMap { k in
                byKind[k].map { ls in [kindNames[k] ?? k.rawValue, Format.grouped(ls.count), money(ls.reduce(0) { $0 + $1.amountFen })] }
            } : []
        return Model(context: c, month: month.description, status: status?.rawValue, state: status.map { stateNames[$0.rawValue] ?? $0.rawValue } ?? "未生成",
                     lines: Format.grouped(totals.lines), total: money(totals.totalFen), programmes: programmes.map(\.chineseName), rows: rows,
                     totals: ["合计"] + programmes.map { money(totals.byProgramme[$0.rawValue] ?? 0) } + [money(totals.totalFen)],
                     kinds: kinds, mayWork: mayWork)
    }

    /// The signed-in user's county, and the `Payroll` for readers (or workers).
    static func payroll(_ req: Request, works: Bool = false) throws -> (Payroll, county: String) {
        let p = try PayrollAPI.payroll(req, may: works ? \.worksPayments : \.readsPayments,
                                       works ? "发放名册由县民政局经办人员或系统管理员生成、确认和导出" : "发放名册由县民政局经办人员、系统管理员和审计监督人员查看")
        return (p, req.user!.division.countyCode.digits)
    }

    /// The model of the county's roll for a month as it stands.
    static func model(_ req: Request, _ c: PageContext, _ p: Payroll, county: String, month: Month) async throws -> Model {
        let mayWork = req.user!.role.worksPayments
        do {
            let r = try await p.roll(county: county, month: month)
            return makeModel(c, month: month, status: r.run.status, lines: r.lines, mayWork: mayWork)
        } catch PaymentError.noRoll {
            return makeModel(c, month: month, status: nil, lines: [], mayWork: mayWork)
        }
    }

    /// `GET /payroll?month=YYYY-MM`.
    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let (p, county) = try payroll(req)
            let asked = req.query[String.self, at: "month"] ?? ""
            let parsed = try? Month(parsing: asked)
            var m = try await model(req, c, p, county: county, month: parsed ?? Day(req.now).monthOfYear)
            if !asked.isEmpty && parsed == nil { m.error = "月份“\(asked)”应为 年-月（如 2025-07），已显示本月。" }
            return htmlResponse(render(m))
        }
    }

    /// A step's form: the token, the month and (for the bank file) the format.
    struct Step: Decodable {
        var csrf: String?
        var month: String?
        var format: String?
    }

    /// Runs a step posted by a form for the county's roll of the form's month: the page with what
    /// it did, or with why it was refused (409, or 422 for a malformed month; nothing changed).
    static func step(_ req: Request, _ run: (Step, Payroll, String, Month, inout Model) async throws -> Response?) async throws -> Response {
        try await signedInPage(req) { c in
            let (p, county) = try payroll(req, works: true)
            let f = try req.content.decode(Step.self)
            try checkedForm(req, csrf: f.csrf)
            guard let month = try? Month(parsing: (f.month ?? "").trimmingCharacters(in: .whitespaces)) else {
                var m = try await model(req, c, p, county: county, month: Day(req.now).monthOfYear)
                m.refusal = "月份“\(f.month ?? "")”应为 年-月（如 2025-07），未作任何更改。"
                return htmlResponse(render(m), status: .unprocessableEntity)
            }
            do {
                var m = try await model(req, c, p, county: county, month: month)
                if let response = try await run(f, p, county, month, &m) { return response }
                // The roll as the step left it, with the step's report.
                var after = try await model(req, c, p, county: county, month: month)
                (after.result, after.held, after.overpaid) = (m.result, m.held, m.overpaid)
                return htmlResponse(render(after))
            } catch let e as PaymentError {
                var m = try await model(req, c, p, county: county, month: month)
                m.refusal = refusal(e)
                var status = HTTPResponseStatus.conflict
                if case .noEntitlement = e { status = .unprocessableEntity }
                return htmlResponse(render(m), status: status)
            }
        }
    }

    /// Why a step was refused, in Chinese.
    static func refusal(_ e: PaymentError) -> String {
        switch e {
        case .confirmed(_, let m, let s):
            return "\(m) 的发放名册\(s == .exported ? "已导出" : "已确认")，不再重新生成；未作任何更改。"
        case .noRoll(_, let m): return "\(m) 尚未生成发放名册，请先生成；未作任何更改。"
        case .notConfirmed(_, let m): return "\(m) 的发放名册尚未确认，确认后才能下载银行文件；未作任何更改。"
        case .notExported(_, let m): return "\(m) 的发放名册尚未导出银行文件；未作任何更改。"
        case .noEntitlement(let what): return what
        }
    }

    /// `POST /payroll/generate`: the draft computed (again) whole; what it held and found overpaid.
    static func generate(req: Request) async throws -> Response {
        try await step(req) { _, p, county, month, m in
            let (run, result) = try await p.generate(county: county, month: month)
            m.result = "已生成 \(month) 发放名册（草稿）：共 \(Format.grouped(run.lines)) 笔，合计 \(Money(fen: run.totalFen))。请核对后确认。"
            m.held = result.held.map { [$0.householdID, $0.programme.chineseName, "\(Money(fen: $0.owedFen))"] }
            m.overpaid = result.overpaid.map {
                [$0.householdID, $0.programme.chineseName, $0.month.description, "\(Money(fen: $0.paidFen))", "\(Money(fen: $0.owedFen))"]
            }
            return nil
        }
    }

    /// `POST /payroll/confirm`: the roll fixed.
    static func confirm(req: Request) async throws -> Response {
        try await step(req) { _, p, county, month, m in
            let run = try await p.confirm(county: county, month: month)
            m.result = "已确认 \(month) 发放名册：共 \(Format.grouped(run.lines)) 笔，合计 \(Money(fen: run.totalFen))。确认后不再重新生成，可下载银行文件。"
            return nil
        }
    }

    /// `POST /payroll/export` with `format=csv|xlsx`: the bank file of the confirmed roll, as an attachment.
    static func export(req: Request) async throws -> Response {
        try await step(req) { f, p, county, month, m in
            let format = f.format ?? "csv"
            guard format == "csv" || format == "xlsx" else {
                m.refusal = "银行文件格式应为 CSV 或 Excel；未作任何更改。"
                return htmlResponse(render(m), status: .unprocessableEntity)
            }
            let files = try await p.bankFile(county: county, month: month)
            return PayrollAPI.attachment(files, format: format)
        }
    }

    static func render(_ m: Model) -> String {
        func numbers(_ r: [String]) -> [Node<HTML.TableRowContext>] {
            r.enumerated().map { i, v in i == 0 ? .td(.text(v)) : .td(.class("n"), .text(v)) }
        }
        // Generating and confirming say at once that they are working; a download leaves its button as it was.
        func form(_ action: String, _ id: String, _ label: String, format: String? = nil) -> Node<HTML.BodyContext> {
            .form(.method(.post), .action("/payroll/\(action)"), .class(format == nil ? "card slow" : "card"),
                  Layout.csrfField(m.context),
                  .input(.type(.hidden), .name("month"), .value(m.month)),
                  .unwrap(format) { .input(.type(.hidden), .name("format"), .value($0)) },
                  .button(.type(.submit), .id(id), .text(label)),
                  format == nil ? .span(.class("working"), .attribute(named: "hidden", value: "hidden"), .text(" 正在处理，请稍候……")) : .empty)
        }
        let status = m.status
        return Layout.page(title: "发放名册", context: m.context, body: .group(
            .h2(.text("发放名册 · \(m.month)")),
            .form(.method(.get), .action("/payroll"), .class("card"),
                  .label(.for("month"), .text("月份")), .input(.type(.text), .name("month"), .id("month"), .value(m.month)),
                  .button(.type(.submit), .text("查看"))),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            .unwrap(m.result) { .section(.class("card"), .id("payroll-result"), .p(.text($0))) },
            .unwrap(m.refusal) { .p(.class("error"), .id("payroll-refusal"), .text($0)) },
            m.held.isEmpty ? .empty : .group(
                .h3("暂缓发放（未登记银行账户）"),
                .p(.text("登记账户后，下一次生成的名册发放其应发的各月待遇（含补发）。")),
                Layout.textTable(["家庭", "项目", "应发金额"], m.held)),
            m.overpaid.isEmpty ? .empty : .group(
                .h3("多发待遇"),
                .p(.text("以下月份已发金额高于现应发金额。名册不扣回多发部分，是否追回由经办人员决定。")),
                Layout.textTable(["家庭", "项目", "月份", "已发", "应发"], m.overpaid)),
            .div(.class("summary"),
                 .div(.text("状态"), .strong(.text(m.state))),
                 .div(.text("笔数"), .strong(.text(m.lines))),
                 .div(.text("合计"), .strong(.text(m.total)))),
            m.mayWork ? .div(.class("noprint"),
                             status == nil || status == "generated" ? form("generate", "generate-roll", status == nil ? "生成名册" : "重新生成名册") : .empty,
                             status == "generated" ? form("confirm", "confirm-roll", "确认名册") : .empty,
                             status == "confirmed" || status == "exported"
                                ? .group(form("export", "export-csv", "下载银行文件（CSV）", format: "csv"), form("export", "export-xlsx", "下载银行文件（Excel）", format: "xlsx"))
                                : .empty)
                : .p(.text("名册由县民政局经办人员生成、确认和导出。")),
            .h3("按乡镇（街道）和项目"),
            m.rows.isEmpty ? .p(.text(status == nil ? "本月尚未生成发放名册。" : "名册中没有发放记录。")) :
                .table(.thead(.tr(.th("乡镇（街道）"), .forEach(m.programmes) { .th(.class("n"), .text($0)) }, .th(.class("n"), "合计"))),
                       .tbody(.forEach(m.rows) { r in .tr(.group(numbers(r))) }),
                       .tfoot(.tr(.group(numbers(m.totals))))),
            m.kinds.isEmpty ? .empty : .group(
                .h3("按发放类别"),
                .table(.thead(.tr(.th("类别"), .th(.class("n"), "笔数"), .th(.class("n"), "金额"))),
                       .tbody(.forEach(m.kinds) { r in .tr(.group(numbers(r))) })))
        )).render(indentedBy: .spaces(1))
    }
}
