import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Plot
import Vapor

/// 监测预警: the month's report (each step's deadlines kept, by township, the outcomes), the
/// warnings under way with the step due (overdue ones marked), a form to record the next step, the
/// spreadsheets of the monthly and annual reports, and the county's 12349 tickets.
enum MonitoringPages {
    static let stepNames = ["send_to_county": "反馈至县", "dispatch": "分发至乡镇", "visit": "入户核实", "revisit": "台账再走访"]

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            htmlResponse(render(try await model(req, c)))
        }
    }

    struct Model {
        let context: PageContext
        let month: Month
        let report: MonitoringReport
        let warnings: [[String]]
        let overdue: Int
        let tickets: [[String]]
        let mayRoute: Bool
        let mayVisit: Bool
        var result: String? = nil
        var refusal: String? = nil
    }

    static func model(_ req: Request, _ c: PageContext) async throws -> Model {
        let (m, user) = try MonitoringAPI.monitoring(req, may: \.readsWarnings, "监测预警由民政经办人员查看")
        let today = Day(req.now)
        let month = (try? Month(parsing: req.query[String.self, at: "month"] ?? "")) ?? today.monthOfYear
        let report = try await m.report(month: month, county: user.division.countyCode.digits)
        let underWay = try await m.store.underWay(limit: 500)
        let rows: [[String]] = underWay.map { w in
            let pending = w.pending
            let late = pending.map { $0.due < today } ?? false
            return [String(w.id), w.name ?? "—", w.idNumber, w.state.chineseName,
                    pending.map { (stepNames[$0.step] ?? $0.step) + " " + $0.due.description + (late ? "（逾期）" : "") } ?? "待分类处置",
                    w.groups.compactMap { MonitoredGroup(rawValue: $0)?.chineseName }.joined(separator: "、"), w.reason]
        }
        let overdue = try await m.store.overdueCount(on: today)
        var tickets: [[String]] = []
        if user.role.worksHotline || user.role == .auditor {
            tickets = try await HotlineStore(db: req.db, actor: m.actor).tickets(county: user.division.countyCode.digits)
                .filter { user.role != .townshipOfficer || $0.routedTo.hasPrefix(user.division.digits) }
                .filter { $0.state == .open }.prefix(200).map { t in
                    [t.number, t.kind.chineseName, t.routedTo, t.dueOn.description + (t.dueOn < today ? "（逾期）" : ""), t.escalatedOn.map { "已升级 \($0)" } ?? "", t.description]
                }
        }
        return Model(context: c, month: month, report: report, warnings: rows, overdue: overdue, tickets: tickets,
                     mayRoute: user.role.routesWarnings, mayVisit: user.role.visitsWarnings)
    }

    struct StepForm: Decodable {
        var csrf: String?
        var id: String?
        var step: String?
        var on: String?
        var visitor: String?
        var findings: String?
        var outcome: String?
    }

    /// `POST /monitoring`: one step of a warning, from the form; the reason when it is out of order.
    static func step(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let f = try req.content.decode(StepForm.self)
            try checkedForm(req, csrf: f.csrf)
            var m = try await model(req, c)
            guard let id = Int64((f.id ?? "").trimmingCharacters(in: .whitespaces)) else {
                m.refusal = "请填写预警编号"
                return htmlResponse(render(m), status: .unprocessableEntity)
            }
            do {
                let on = try MonitoringAPI.day(req, f.on)
                let step = f.step ?? ""
                let allowed: (Role) -> Bool = ["send", "dispatch"].contains(step) ? \.routesWarnings : \.visitsWarnings
                let (mon, _) = try MonitoringAPI.monitoring(req, may: allowed, "此环节由\(["send", "dispatch"].contains(step) ? "县民政局" : "乡镇（街道）")办理")
                let w: MonitoringWarning
                switch step {
                case "send": w = try await mon.sendToCounty(id, on: on)
                case "dispatch": w = try await mon.dispatch(id, on: on)
                case "visit": w = try await mon.visit(id, on: on, visitor: f.visitor ?? "", findings: f.findings ?? "")
                case "revisit": w = try await mon.revisit(id, on: on, visitor: f.visitor ?? "", findings: f.findings ?? "")
                case "classify":
                    let outcome: WarningOutcome = f.outcome == "dibao" ? .basicLiving(.dibao) : f.outcome == "tekun" ? .basicLiving(.tekun) : .watch
                    w = try await mon.classify(id, as: outcome, on: on)
                default: throw RequestProblem("step", "请选择环节")
                }
                m = try await model(req, c)
                m.result = "预警 \(w.id)：\(w.state.chineseName)" + (w.pending.map { "，下一环节 \(stepNames[$0.step] ?? $0.step) 期限 \($0.due)" } ?? "")
                    + (w.outcomeRef.map { "，已受理申请 \($0)" } ?? "")
                return htmlResponse(render(m))
            } catch {
                guard let text = refusal(error, missing: { _ in "没有编号为 \(id) 的预警" }) else { throw error }
                m.refusal = text
            }
            return htmlResponse(render(m), status: .unprocessableEntity)
        }
    }

    static func render(_ m: Model) -> String {
        let r = m.report
        func figures(_ f: StepFigures) -> [String] {
            [Format.grouped(f.due), Format.grouped(f.onTime), Format.grouped(f.late), Format.grouped(f.open), Format.grouped(f.notYetDue), f.onTimeRate ?? "—"]
        }
        let steps = r.steps.map { s in [MonitoringReport.stepNames[s.step] ?? s.step] + figures(s) }
        let townships = r.townships.map { t in [t.name] + figures(t.visits) + [Format.grouped(t.watch)] }
        let outcomes = r.outcomes.sorted { $0.key < $1.key }.map { [MonitoringReport.outcomeNames[$0.key] ?? $0.key, Format.grouped($0.value)] }
        let groups = r.byGroup.sorted { $0.key < $1.key }.map { [MonitoredGroup(rawValue: $0.key)?.chineseName ?? $0.key, Format.grouped($0.value)] }
        let steps_: [Node<HTML.SelectContext>] = (m.mayRoute ? [("send", "反馈至县（县级接收）"), ("dispatch", "分发至乡镇")] : [])
            .appending(contentsOf: [("visit", "入户调查核实"), ("classify", "分类处置"), ("revisit", "台账再走访")]).map { .option(.value($0.0), .label($0.1)) }
        return Layout.page(title: "监测预警", context: m.context, body: .group(
            .h2("监测预警"),
            .p(.text("部门推送的预警信息：市级接收后 3 个工作日内反馈至县，县级 3 个工作日内分发至乡镇，乡镇对新增预警 10 个工作日内、对年度初始数据 1 个月内完成入户调查核实（龙政办〔2021〕65号附件）。期限按国务院公布的工作日计算，逾期环节升级至上一级。")),
            .unwrap(m.result) { .section(.class("card"), .id("step-result"), .p(.text($0))) },
            .unwrap(m.refusal) { .p(.class("error"), .id("step-refusal"), .text($0)) },
            .h3("\(m.month.year)年\(m.month.month)月监测报告"),
            .p(.text("新增预警 \(Format.grouped(r.warningsOpened)) 人；台账在册 \(Format.grouped(r.watchLedger)) 人，本月再走访 \(Format.grouped(r.repeatVisits)) 次；本月逾期升级 \(Format.grouped(r.escalations)) 个环节；当前逾期 \(Format.grouped(m.overdue)) 件。"),
               .text(" "), .a(.href("/monitoring/report.xlsx?month=\(m.month)"), .id("report-xlsx"), .text("下载月报（.xlsx）")),
               .text(" "), .a(.href("/monitoring/annual.xlsx?year=\(m.month.year)"), .id("annual-xlsx"), .text("下载\(m.month.year)年度工作情况（.xlsx，次年1月15日前报送）"))),
            Layout.textTable(["环节", "本月到期", "按时", "逾期完成", "逾期未完成", "未到期", "按时率"], steps),
            groups.isEmpty ? .empty : Layout.textTable(["监测对象类别", "新增预警"], groups),
            townships.isEmpty ? .empty : Layout.textTable(["乡镇（街道）", "入户到期", "按时", "逾期完成", "逾期未完成", "未到期", "按时率", "台账在册"], townships),
            outcomes.isEmpty ? .empty : Layout.textTable(["分类处置", "人数"], outcomes),
            m.mayVisit ? .form(.method(.post), .action("/monitoring"), .class("card"), .id("step-form"),
                               Layout.csrfField(m.context),
                               .p(.label(.for("id"), .text("预警编号")), .input(.type(.text), .name("id"), .id("id"))),
                               .p(.label(.for("step"), .text("环节")), .select(.attribute(named: "name", value: "step"), .attribute(named: "id", value: "step"), .group(steps_))),
                               .p(.label(.for("on"), .text("日期")), .input(.type(.date), .name("on"), .id("on"))),
                               .p(.label(.for("visitor"), .text("走访人")), .input(.type(.text), .name("visitor"), .id("visitor"))),
                               .p(.label(.for("findings"), .text("核实情况")), .input(.type(.text), .name("findings"), .id("findings"))),
                               .p(.label(.for("outcome"), .text("分类处置")), .select(.attribute(named: "name", value: "outcome"), .attribute(named: "id", value: "outcome"),
                                                                                 .option(.value("watch"), .label("暂不符合条件，纳入台账")), .option(.value("dibao"), .label("符合低保，受理申请")),
                                                                                 .option(.value("tekun"), .label("符合特困，受理申请")))),
                               .button(.type(.submit), .id("record-step"), .text("办理"))) : .empty,
            .h3(.text("办理中的预警" + (m.warnings.count == 500 ? "（最早的 500 件）" : "（\(Format.grouped(m.warnings.count))）"))),
            m.warnings.isEmpty ? .p(.text("没有办理中的预警。")) : Layout.textTable(["编号", "姓名", "身份证号", "状态", "待办环节及期限", "监测类别", "预警原因"], m.warnings),
            m.tickets.isEmpty ? .empty : .group(.h3("12349 热线未办结工单"), Layout.textTable(["工单号", "类别", "承办", "办结期限", "升级", "内容"], m.tickets))
        )).render()
    }

    static func reportXLSX(req: Request) async throws -> Response {
        let (m, user) = try MonitoringAPI.monitoring(req, may: \.readsWarnings, "监测预警由民政经办人员查看")
        let month = (try? Month(parsing: req.query[String.self, at: "month"] ?? "")) ?? Day(req.now).monthOfYear
        let r = try await m.report(month: month, county: user.division.countyCode.digits)
        return download(r.workbook.data, .xlsx, name: r.workbook.name)
    }

    static func annualXLSX(req: Request) async throws -> Response {
        let (m, user) = try MonitoringAPI.monitoring(req, may: \.readsWarnings, "监测预警由民政经办人员查看")
        let year = req.query[Int.self, at: "year"].flatMap { (2000...2100).contains($0) ? $0 : nil } ?? Day(req.now).year
        let r = try await m.annualReport(year: year, county: user.division.countyCode.digits)
        return download(r.workbook.data, .xlsx, name: r.workbook.name)
    }
}

private extension Array {
    func appending(contentsOf other: [Element]) -> [Element] { self + other }
}
