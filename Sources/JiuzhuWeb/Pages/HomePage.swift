import Foundation
import JiuzhuStore
import Plot
import Vapor

/// 首页: the registry by township.
enum HomePage {
    /// Everything the page shows, already formatted.
    struct Model: Equatable {
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
        guard req.user != nil else { return req.redirect(to: "/login") }
        let model = makeModel(try await req.registry.countsByTownship())
        let response = Response(status: .ok, body: .init(string: render(model)))
        response.headers.contentType = .html
        return response
    }

    static func makeModel(_ counts: [TownshipCount]) -> Model {
        Model(
            rows: counts.map {
                Model.Row(county: $0.countyName, township: $0.name, code: $0.code,
                          households: grouped($0.households), members: grouped($0.members))
            },
            totalHouseholds: grouped(counts.reduce(0) { $0 + $1.households }),
            totalMembers: grouped(counts.reduce(0) { $0 + $1.members }),
            townshipCount: grouped(counts.count)
        )
    }

    static func render(_ m: Model) -> String {
        Layout.page(title: "户籍登记总览", body: .group(
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

    /// 12,345
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
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
