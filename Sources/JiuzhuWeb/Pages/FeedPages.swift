import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Plot
import Vapor

/// 核对数据: the department feeds imported in the user's jurisdiction, newest first, and (for the
/// county's officers) a form to import one; the import's summary, or why the file was refused.
enum FeedPages {
    /// One import, formatted.
    struct ImportRow: Equatable {
        let kind: String
        let department: String
        let asOf: String
        let fileName: String
        let encoding: String
        let rows: String
        let matched: String
        let unknown: String
        let flags: String
        let importedAt: String
        let importedBy: String
        /// The first 12 hex digits of the file's SHA-256.
        let digest: String
    }

    struct Model: Equatable {
        let context: PageContext
        let rows: [ImportRow]
        /// The user may import (a county officer or administrator).
        let mayImport: Bool
        /// The form as sent (department, as_of, encoding), kept after a refusal.
        var values: [String: String] = [:]
        /// A field's problem, in Chinese.
        var errors: [String: String] = [:]
        /// What the import did, in a sentence.
        var result: String? = nil
        /// Why the file was refused (nothing was applied).
        var refusal: String? = nil
        /// The refused lines: line, column, rule.
        var problems: [[String]] = []
    }

    static func row(_ r: FeedImportRecord) -> ImportRow {
        ImportRow(kind: FeedKind(rawValue: r.kind)?.chineseName ?? r.kind, department: r.department, asOf: Format.day(r.asOf), fileName: r.fileName,
                  encoding: encodingNames[r.encoding] ?? r.encoding, rows: Format.grouped(r.rows), matched: Format.grouped(r.matched),
                  unknown: Format.grouped(r.unknown), flags: Format.grouped(r.flags), importedAt: Format.dateTime(r.importedAt),
                  importedBy: r.importedBy.replacingOccurrences(of: "user:", with: ""), digest: String(r.digest.prefix(12)))
    }

    static let encodingNames = ["utf-8": "UTF-8", "gb18030": "GBK", "xlsx": "Excel"]

    static func model(_ req: Request, _ c: PageContext) async throws -> Model {
        let rows = try await FeedAPI.feedStore(req).imports().map(row)
        return Model(context: c, rows: rows, mayImport: req.user!.role.worksVerification,
                     values: ["as_of": Day(req.now).description, "encoding": ""])
    }

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            guard req.user!.role.readsFeedHistory else { throw StoreError.forbidden("核对数据由县民政局经办人员、系统管理员和审计监督人员查看") }
            return htmlResponse(render(try await model(req, c)))
        }
    }

    /// The upload form (multipart): every field optional here, so that a missing one is named in Chinese.
    struct Upload: Decodable {
        var csrf: String?
        var department: String?
        var asOf: String?
        var encoding: String?
        var file: File?

        enum CodingKeys: String, CodingKey { case csrf, department, asOf = "as_of", encoding, file }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            csrf = try? c.decodeIfPresent(String.self, forKey: .csrf)
            department = try? c.decodeIfPresent(String.self, forKey: .department)
            asOf = try? c.decodeIfPresent(String.self, forKey: .asOf)
            encoding = try? c.decodeIfPresent(String.self, forKey: .encoding)
            // No file chosen: the browser sends an empty part without a name.
            file = try? c.decodeIfPresent(File.self, forKey: .file)
        }
    }

    /// `POST /feeds`: imports the file, whole or not at all, and shows what it did.
    static func upload(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            guard req.user!.role.worksVerification else { throw StoreError.forbidden("核对数据由县民政局经办人员或系统管理员导入") }
            let f = try req.content.decode(Upload.self)
            try checkedForm(req, csrf: f.csrf)
            let department = (f.department ?? "").trimmingCharacters(in: .whitespaces)
            let values = ["department": department, "as_of": f.asOf ?? "", "encoding": f.encoding ?? ""]
            var errors: [String: String] = [:]
            if department.isEmpty { errors["department"] = "请填写报送部门" }
            let asOf = try? Day(parsing: (f.asOf ?? "").trimmingCharacters(in: .whitespaces))
            if asOf == nil { errors["as_of"] = "请填写数据截至日期（年-月-日）" }
            var encoding: FeedEncoding?
            if let e = f.encoding, !e.isEmpty {
                encoding = FeedEncoding(named: e)
                if encoding == nil { errors["encoding"] = "编码应为 UTF-8 或 GBK" }
            }
            let file = f.file.flatMap { $0.data.readableBytes > 0 ? $0 : nil }
            if file == nil { errors["file"] = "请选择要导入的文件（.csv 或 .xlsx）" }
            func refused(_ change: (inout Model) -> Void) async throws -> Response {
                var m = try await model(req, c)
                m.values = values
                m.errors = errors
                change(&m)
                return htmlResponse(render(m), status: .unprocessableEntity)
            }
            guard errors.isEmpty, let asOf, let file else { return try await refused { _ in } }
            let fileName = String(file.filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "feed.csv")
            do {
                let summary = try await importFile(try FeedAPI.verification(req), file, department: department, asOf: asOf, fileName: fileName, encoding: encoding)
                var m = try await model(req, c)
                m.result = resultText(summary)
                return htmlResponse(render(m))
            } catch let e as FeedErrors {
                return try await refused { m in
                    m.refusal = "文件 \(e.file) 未导入（\(e.total) 处问题），未作任何更改。请更正后重新导入："
                    m.problems = e.errors.prefix(100).map { ["第 \($0.line) 行", columnName($0.column), $0.rule] }
                }
            } catch FeedImportError.unknownHeader(let header) {
                return try await refused {
                    $0.refusal = "文件 \(fileName) 未导入：首行“\(header)”不是任何一种核对数据的表头，第一列应为 id_number（格式见 docs/feeds/）。未作任何更改。"
                }
            } catch FeedImportError.wrongDepartment(let d, let kind) {
                return try await refused {
                    $0.errors["department"] = "“\(d)”不报送\(kind.chineseName)，应由\(kind.departments.joined(separator: "、"))报送"
                    $0.refusal = "文件 \(fileName) 未导入，未作任何更改。"
                }
            }
        }
    }

    /// The one call into the import, so that its signature can change in one place.
    private static func importFile(_ v: Verification, _ file: File, department: String, asOf: Day, fileName: String,
                                   encoding: FeedEncoding?) async throws -> FeedImportSummary {
        try await v.importFeed(Data(buffer: file.data), department: department, asOf: asOf, fileName: fileName, encoding: encoding)
    }

    static func resultText(_ s: FeedImportSummary) -> String {
        let r = s.record
        let kind = FeedKind(rawValue: r.kind)?.chineseName ?? r.kind
        if s.repeated {
            return "该文件此前已导入（\(r.fileName)，\(Format.dateTime(r.importedAt)) 由 \(r.importedBy.replacingOccurrences(of: "user:", with: "")) 导入），本次未重复处理。"
        }
        let severities = [("high", "高"), ("medium", "中"), ("info", "提示")].compactMap { key, name in s.flagsBySeverity[key].map { "\(name) \($0)" } }
        return "已导入 \(r.fileName)：\(kind)（\(r.department)，截至 \(Format.day(r.asOf))），共 \(Format.grouped(r.rows)) 行，"
            + "匹配登记人员 \(Format.grouped(r.matched)) 行，未登记人员 \(Format.grouped(r.unknown)) 行（留作线索），"
            + "预警 \(Format.grouped(r.flags)) 条" + (severities.isEmpty ? "" : "（\(severities.joined(separator: "，"))）")
            + "。预警不会自动改变待遇，请在核对工作清单中逐户处理。"
    }

    /// A feed column with its Chinese name.
    static func columnName(_ column: String) -> String {
        guard let name = columnNames[column] else { return column == "-" ? "（整行）" : column }
        return "\(name)（\(column)）"
    }

    static let columnNames = [
        "id_number": "身份证号", "name": "姓名", "date_of_death": "死亡日期", "employer": "单位", "monthly_wage_fen": "月工资（分）",
        "plate": "号牌", "value_fen": "价值（分）", "registration_no": "登记号", "business_name": "市场主体名称", "institution": "机构",
        "balance_fen": "余额（分）", "disability_grade": "残疾等级", "disability_kind": "残疾类别", "benefit": "待遇", "monthly_fen": "月额（分）",
        "property_no": "不动产权证号", "use": "用途", "year": "年度", "annual_income_fen": "年收入（分）", "self_paid_fen": "个人自付（分）",
        "obligor_id_number": "义务人身份证号",
    ]

    static func render(_ m: Model) -> String {
        func err(_ k: String) -> Node<HTML.BodyContext> { .unwrap(m.errors[k]) { .span(.class("field-error"), .text($0)) } }
        let encodings: [Node<HTML.SelectContext>] = [("", "自动识别"), ("utf-8", "UTF-8"), ("gbk", "GBK（Excel 中文版另存的 CSV）")].map { value, label in
            .option(.value(value), .label(label), .isSelected((m.values["encoding"] ?? "") == value))
        }
        let headers = ["数据", "报送部门", "截至", "文件", "编码", "行数", "匹配", "未登记", "预警", "导入时间", "导入人", "SHA-256"]
        let numeric: Set<Int> = [5, 6, 7, 8]
        return Layout.page(title: "核对数据", context: m.context, body: .group(
            .h2("核对数据"),
            .p(.text("各部门报送的家庭经济状况核对数据，按导入时间由近及远。同一文件在本辖区只处理一次；预警不会自动改变待遇。")),
            .unwrap(m.result) { .section(.class("card"), .id("import-result"), .p(.text($0))) },
            .unwrap(m.refusal) { .p(.class("error"), .id("import-refusal"), .text($0)) },
            m.problems.isEmpty ? .empty : Layout.textTable(["行", "列", "问题"], m.problems),
            m.mayImport ? .form(.method(.post), .action("/feeds"), .enctype(.multipartData), .class("card slow"),
                                Layout.csrfField(m.context),
                                .p(.label(.for("department"), .text("报送部门")),
                                   .input(.type(.text), .name("department"), .id("department"), .value(m.values["department"] ?? ""), .placeholder("如 公安、人社、残联")),
                                   err("department")),
                                .p(.label(.for("as_of"), .text("数据截至")),
                                   .input(.type(.date), .name("as_of"), .id("as_of"), .value(m.values["as_of"] ?? "")), err("as_of")),
                                .p(.label(.for("encoding"), .text("文件编码")),
                                   .select(.attribute(named: "name", value: "encoding"), .attribute(named: "id", value: "encoding"), .group(encodings)), err("encoding")),
                                .p(.label(.for("file"), .text("文件")),
                                   .input(.type(.file), .name("file"), .id("file"), .attribute(named: "accept", value: ".csv,.xlsx")), err("file")),
                                .button(.type(.submit), .id("import-feed"), .text("导入")),
                                .span(.class("working"), .attribute(named: "hidden", value: "hidden"), .text(" 正在核对，请稍候……")))
                : .p(.text("数据由县民政局经办人员导入。")),
            .h3("导入记录"),
            m.rows.isEmpty ? .p("尚无导入记录。") :
                .table(.thead(.tr(.forEach(Array(headers.enumerated())) { i, h in numeric.contains(i) ? .th(.class("n"), .text(h)) : .th(.text(h)) })),
                       .tbody(.forEach(m.rows) { r in
                           .tr(.td(.text(r.kind)), .td(.text(r.department)), .td(.text(r.asOf)), .td(.text(r.fileName)), .td(.text(r.encoding)),
                               .td(.class("n"), .text(r.rows)), .td(.class("n"), .text(r.matched)), .td(.class("n"), .text(r.unknown)),
                               .td(.class("n"), .text(r.flags)), .td(.text(r.importedAt)), .td(.text(r.importedBy)), .td(.code(.text(r.digest))))
                       }))
        )).render(indentedBy: .spaces(1))
    }
}

/// 核对工作清单: the month's verification of every household (`Verification.monthly`) — by
/// township the households, the recipients, those flagged and the outcomes; by kind of data what
/// was received and what it raised; then each flagged household, evaluated as registered and with
/// the department's data taken as true. Changes nothing: a change of benefit goes through a case.
/// The county's officers and administrators, as `GET /api/v1/verification/summary`.
enum VerificationPage {
    /// One household on the worklist.
    struct Item: Equatable {
        let householdID: String
        /// `likely_ineligible`, … (for its colour).
        let outcome: String
        let outcomeText: String
        /// The programme and monthly amount as registered.
        let now: String
        /// … and with the department's data taken as true.
        let withFeeds: String
        /// Each flag: the data's Chinese name and the flag's message.
        let flags: [String]
    }

    struct Township: Equatable {
        let code: String
        let name: String
        let items: [Item]
    }

    struct Model: Equatable {
        let context: PageContext
        let month: String
        let error: String?
        /// Township, its households, recipients, recipients flagged, counts by outcome (in `outcomes` order) and flagged in all.
        let summary: [[String]]
        let totals: [String]
        /// By kind of data: its name, the departments, imports, as of this month, rows, matched, unknown, open flags.
        let kinds: [[String]]
        /// The townships with flagged households.
        let townships: [Township]
    }

    static let outcomes: [(key: String, name: String)] = [
        ("likely_ineligible", "可能不再符合"), ("benefit_down", "待遇可能降低"), ("newly_eligible", "可能新符合"), ("benefit_up", "待遇可能提高"),
        ("unchanged", "无变化"),
    ]
    static let outcomeClass = ["likely_ineligible": "status-overdue", "benefit_down": "status-due_soon", "newly_eligible": "status-met", "benefit_up": "status-met"]

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            guard req.user!.role.readsVerification else { throw StoreError.forbidden("核对工作清单由县民政局和乡镇（街道）经办人员查看") }
            let asked = req.query[String.self, at: "month"] ?? ""
            let parsed = try? Month(parsing: asked)
            let month = parsed ?? Day(req.now).monthOfYear
            let report = try await FeedAPI.verification(req, toImport: false).monthly(month: month)
            let error = asked.isEmpty || parsed != nil ? nil : "月份“\(asked)”应为 年-月（如 2025-07），已显示本月。"
            return htmlResponse(render(makeModel(c, month: month, error: error, report: report)))
        }
    }

    /// The programme and its amount a month, in Chinese.
    static func benefit(_ programme: String, fen: Int64) -> String {
        guard let p = Programme(rawValue: programme) else { return programme }
        return p.isPaid ? "\(p.chineseName) \(Money(fen: fen))/月" : p.chineseName
    }

    static func makeModel(_ c: PageContext, month: Month, error: String?, report: MonthlyVerification) -> Model {
        let names = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.key, $0.name) })
        let items = report.worklist
        let byTownship = Dictionary(grouping: items) { String($0.divisionCode.prefix(9)) }
        let townships = byTownship.keys.sorted().map { code in
            Township(code: code, name: (try? DivisionCode(code)).flatMap { Divisions.bundled[$0]?.name } ?? code, items: byTownship[code]!.map { i in
                Item(householdID: i.householdID, outcome: i.outcome, outcomeText: names[i.outcome] ?? i.outcome,
                     now: benefit(i.nowProgramme, fen: i.nowBenefitFen), withFeeds: benefit(i.withFeedsProgramme, fen: i.withFeedsBenefitFen),
                     flags: zip(i.kinds, i.flags).map { kind, message in "\(FeedKind(rawValue: kind)?.chineseName ?? kind)：\(message)" })
            })
        }
        func line(_ name: String, _ t: [MonthlyVerification.Township]) -> [String] {
            let outcomeCounts = outcomes.map { o in t.reduce(0) { $0 + ($1.outcomes[o.key] ?? 0) } }
            return [name] + [t.reduce(0) { $0 + $1.households }, t.reduce(0) { $0 + $1.recipients }, t.reduce(0) { $0 + $1.recipientsFlagged }].map(Format.grouped)
                + outcomeCounts.map(Format.grouped) + [Format.grouped(outcomeCounts.reduce(0, +))]
        }
        let kinds = report.kinds.map { k -> [String] in
            let kind = FeedKind(rawValue: k.kind)
            let open = [("high", "高"), ("medium", "中"), ("info", "提示")].compactMap { key, name in k.openFlags[key].map { "\(name) \($0)" } }
            return [kind?.chineseName ?? k.kind, kind?.departments.joined(separator: "、") ?? "", Format.grouped(k.imports), Format.grouped(k.importsThisMonth),
                    Format.grouped(k.rows), Format.grouped(k.matched), Format.grouped(k.unknown), open.isEmpty ? "0" : open.joined(separator: "，")]
        }
        return Model(context: c, month: month.description, error: error, summary: report.townships.map { line($0.name, [$0]) },
                     totals: line("合计", report.townships), kinds: kinds, townships: townships)
    }

    static func render(_ m: Model) -> String {
        let numberCells = { (r: [String]) -> [Node<HTML.TableRowContext>] in
            r.enumerated().map { i, v in i == 0 ? .td(.text(v)) : .td(.class("n"), .text(v)) }
        }
        return Layout.page(title: "核对工作清单", context: m.context, body: .group(
            .h2(.text("核对工作清单 · \(m.month)")),
            .form(.method(.get), .action("/verification"), .class("card slow"),
                  .label(.for("month"), .text("月份")), .input(.type(.text), .name("month"), .id("month"), .value(m.month)),
                  .button(.type(.submit), .text("查看")),
                  .span(.class("working"), .attribute(named: "hidden", value: "hidden"), .text(" 正在测算，请稍候……"))),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            .p(.text("辖区内每户按登记信息测算当月待遇；有未处理预警的家庭，再按部门核对数据测算。清单不改变任何待遇：需要调整的，请受理案件办理。")),
            m.summary.isEmpty ? .p("辖区内尚无登记家庭。") :
                .table(.thead(.tr(.th("乡镇（街道）"), .th(.class("n"), "户数"), .th(.class("n"), "享受低保、特困"), .th(.class("n"), "其中有预警"),
                                  .forEach(outcomes) { .th(.class("n"), .text($0.name)) }, .th(.class("n"), .text("有预警合计")))),
                       .tbody(.forEach(m.summary) { row in .tr(.group(numberCells(row))) }),
                       .tfoot(.tr(.group(numberCells(m.totals))))),
            .h3("核对数据"),
            m.kinds.isEmpty ? .p("尚未导入部门核对数据。") :
                .table(.thead(.tr(.th("数据"), .th("来源部门"), .th(.class("n"), "导入次数"), .th(.class("n"), "本月数据"), .th(.class("n"), "行数"),
                                  .th(.class("n"), "匹配成员"), .th(.class("n"), "未知人员"), .th("未处理预警"))),
                       .tbody(.forEach(m.kinds) { r in
                           .tr(.td(.text(r[0])), .td(.text(r[1])), .forEach(r[2...6]) { .td(.class("n"), .text($0)) }, .td(.text(r[7])))
                       })),
            m.townships.isEmpty ? .p("本月没有需要复核的家庭。") : .group(
                .forEach(m.townships) { t in
                    .section(.id("t-\(t.code)"),
                             .h3(.text("\(t.name)（\(t.items.count) 户）")),
                             .table(.thead(.tr(.th("家庭"), .th("核对结果"), .th("按登记信息"), .th("按部门数据"), .th("预警"))),
                                    .tbody(.forEach(t.items) { i in
                                        .tr(.td(.a(.href("/households/\(i.householdID)"), .text(i.householdID))),
                                            .td(.class(outcomeClass[i.outcome] ?? ""), .text(i.outcomeText)),
                                            .td(.text(i.now)), .td(.text(i.withFeeds)),
                                            .td(.forEach(Array(i.flags.enumerated())) { n, f in n == 0 ? .text(f) : .group(.br(), .text(f)) }))
                                    })))
                })
        )).render(indentedBy: .spaces(1))
    }
}
