import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// 工作台: my cases with their next deadline (overdue and due soon first), and the registry by township.
enum HomePage {
    /// One case on the workbench.
    struct Task: Equatable {
        let number: String
        let household: String
        let programme: String
        let state: String
        let due: String
        let status: String
        let statusText: String
    }

    /// Everything the page shows, already formatted.
    struct Model: Equatable {
        var context: PageContext?
        var tasks: [Task] = []
        /// The latest steps on the division's cases: (when, who, what, case number).
        var recent: [[String]] = []
        struct Row: Equatable {
            let county: String
            let township: String
            let code: String
            let households: String
            let members: String
        }
        let rows: [Row]
        let totalHouseholds: String
        let totalMembers: String
        let townshipCount: String
    }

    static func handle(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            var model = makeModel(try await req.registry.countsByTownship(), context: c)
            if req.user!.role.readsRegistry {
                model.tasks = try await tasks(req)
                model.recent = try await req.casework.recentActivity().map { number, e in
                    [Format.day(Day(e.at)), e.actor.replacingOccurrences(of: "user:", with: ""), CasePages.actionTitle(e.action == "receive_temporary" ? "receive" : e.action), number]
                }
            }
            return htmlResponse(render(model))
        }
    }

    /// The open cases of the user's division, by their next deadline.
    static func tasks(_ req: Request) async throws -> [Task] {
        let work = try req.casework
        let today = Day(req.now)
        let open = try await work.list().filter { s in !["enrolled", "closed", "withdrawn", "referred", "ineligible"].contains(s.state) }.prefix(50)
        let rows = open.map { s -> (task: Task, due: Day?) in
            let due = s.dueOn.flatMap { try? Day(parsing: $0) }
            let status = due.map { d in Workdays.status(of: Deadline(key: "", title: "", due: d, met: nil, basis: "", provisional: false),
                                                        today: today, soon: 2, calendar: .bundled) } ?? "open"
            let task = Task(number: s.number, household: s.householdID, programme: CaseProgramme(rawValue: s.programme)?.chineseName ?? "临时救助",
                            state: CaseState(rawValue: s.state)?.chineseName ?? s.state, due: due.map(Format.day) ?? "—",
                            status: status, statusText: Format.deadlineStatus[status] ?? status)
            return (task, due)
        }
        // Overdue first, then due soon, then the rest; within each by the due day itself (not its Chinese text), undated last.
        func rank(_ r: (task: Task, due: Day?)) -> (Int, Int, Day) {
            (r.task.status == "overdue" ? 0 : r.task.status == "due_soon" ? 1 : 2, r.due == nil ? 1 : 0, r.due ?? today)
        }
        return rows.sorted { rank($0) < rank($1) }.map(\.task)
    }

    static func makeModel(_ counts: [TownshipCount], context: PageContext? = nil) -> Model {
        Model(
            context: context,
            rows: counts.map {
                Model.Row(county: $0.countyName, township: $0.name, code: $0.code,
                          households: Format.grouped($0.households), members: Format.grouped($0.members))
            },
            totalHouseholds: Format.grouped(counts.reduce(0) { $0 + $1.households }),
            totalMembers: Format.grouped(counts.reduce(0) { $0 + $1.members }),
            townshipCount: Format.grouped(counts.count)
        )
    }

    static func render(_ m: Model) -> String {
        Layout.page(title: "工作台", context: m.context, body: .group(
            .h2("我的待办"),
            m.tasks.isEmpty ? .p("暂无待办案件。") : .table(
                .thead(.tr(.th("案卷号"), .th("家庭"), .th("救助项目"), .th("环节"), .th("下一期限"), .th("状态"))),
                .tbody(.forEach(m.tasks) { t in
                    .tr(.td(.a(.href("/cases/\(t.number)"), .text(t.number))), .td(.text(t.household)), .td(.text(t.programme)),
                        .td(.text(t.state)), .td(.text(t.due)), .td(.class("status-\(t.status)"), .text(t.statusText)))
                })),
            .h2("最近办理"),
            m.recent.isEmpty ? .p("暂无。") : .table(
                .thead(.tr(.th("日期"), .th("经办人"), .th("操作"), .th("案卷号"))),
                .tbody(.forEach(m.recent) { r in .tr(.td(.text(r[0])), .td(.text(r[1])), .td(.text(r[2])), .td(.a(.href("/cases/\(r[3])"), .text(r[3])))) })),
            .h2("家庭登记 · 按乡镇（街道）"),
            .div(.class("summary"),
                 .div(.text("登记家庭"), .strong(.text(m.totalHouseholds)), .text(" 户")),
                 .div(.text("家庭成员"), .strong(.text(m.totalMembers)), .text(" 人")),
                 .div(.text("乡镇（街道）"), .strong(.text(m.townshipCount)), .text(" 个"))),
            m.rows.isEmpty
                ? .p("尚无登记家庭。可用 jiuzhu import population 导入，或通过 API 登记。")
                : .table(
                    .thead(.tr(.th("县（市、区）"), .th("乡镇（街道）"), .th("区划代码"), .th(.class("n"), .text("家庭（户）")), .th(.class("n"), .text("成员（人）")))),
                    .tbody(.forEach(m.rows) { r in
                        .tr(.td(.text(r.county)), .td(.text(r.township)), .td(.text(r.code)),
                            .td(.class("n"), .text(r.households)), .td(.class("n"), .text(r.members)))
                    }),
                    .tfoot(.tr(.td(.attribute(named: "colspan", value: "3"), .text("合计")),
                               .td(.class("n"), .text(m.totalHouseholds)), .td(.class("n"), .text(m.totalMembers))))
                )
        )).render(indentedBy: .spaces(1))
    }
}

/// An error shown to a person in a browser.
enum ErrorPage {
    static func render(status: HTTPResponseStatus, body: ErrorBody) -> String {
        let title: String
        switch status.code {
        case 404: title = "未找到"
        case 400, 422: title = "输入有误"
        default: title = "出错了"
        }
        return Layout.page(title: title, body: .group(
            .h2(.text("\(title)（\(status.code)）")),
            .p(.text(body.message)),
            .ul(.forEach(body.problems) { .li(.text($0.description)) })
        )).render()
    }
}
