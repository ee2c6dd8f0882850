import JiuzhuCore
import Plot

/// Who is looking at a page, and the form token every form on it carries.
struct PageContext: Equatable, Sendable {
    let username: String
    let roleName: String
    let divisionName: String
    /// The anti-forgery token (also in the `jiuzhu_csrf` cookie): every form posts it back.
    let csrf: String
    /// The user's role, for the links only some roles follow (nil: only the links everyone has).
    var role: Role? = nil
}

/// The frame every page shares: Chinese, the bureau's name, the navigation of a signed-in user, and
/// plain CSS that prints well on A4 and fits a 1366×768 screen.
enum Layout {
    static let navigation: [(href: String, title: String)] = [
        ("/", "工作台"), ("/households", "家庭登记"), ("/intake", "一门受理"), ("/cases", "案件"), ("/referrals", "转介"), ("/policy", "政策"),
        ("/statistics", "统计"), ("/admin/users", "管理"),
    ]

    /// The links of a role: everyone's, with the department-data pages and the roll (发放) after 转介 for those who may see them.
    static func navigation(for role: Role?) -> [(href: String, title: String)] {
        var links = navigation
        var feeds: [(href: String, title: String)] = []
        if role?.readsFeedHistory == true { feeds.append(("/feeds", "核对数据")) }
        if role?.readsVerification == true { feeds.append(("/verification", "核对清单")) }
        if role?.readsPayments == true { feeds.append(("/payroll", "发放")) }
        if role?.readsWarnings == true { feeds.append(("/monitoring", "监测预警")) }
        if role?.worksHotline == true || role == .auditor { feeds.append(("/hotline", "12349")) }
        links.insert(contentsOf: feeds, at: (links.firstIndex { $0.href == "/referrals" } ?? links.count - 1) + 1)
        return links
    }

    static func page(title: String, context: PageContext? = nil, body: Node<HTML.BodyContext>) -> HTML {
        HTML(
            .lang(.chinese),
            .head(
                .encoding(.utf8),
                .title("\(title) · 救助 社会救助信息平台"),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "style", text: css)
            ),
            .body(
                .header(
                    .h1(.a(.href("/"), .text("救助 · 社会救助信息平台"))),
                    .unwrap(context) { c in
                        .group(
                            .nav(.forEach(navigation(for: c.role)) { .a(.href($0.href), .text($0.title)) }),
                            .div(.class("who"),
                                 .text("\(c.username)（\(c.roleName) · \(c.divisionName)）"),
                                 .form(.method(.post), .action("/logout"), .class("inline"),
                                       .input(.type(.hidden), .name("csrf"), .value(c.csrf)),
                                       .button(.type(.submit), .text("退出"))))
                        )
                    }
                ),
                .main(body),
                // Forms that may take a while say so at once and cannot be sent twice.
                .element(named: "script", text: "document.addEventListener('submit',function(e){var f=e.target;if(!f.classList.contains('slow'))return;"
                    + "var b=f.querySelector('button[type=submit]');if(b){b.disabled=true;}var p=f.querySelector('.working');if(p){p.hidden=false;}});"),
                .footer(.p(.text("救助 Jiuzhu — 县级民政部门社会救助信息平台 · "), .a(.href("/openapi.json"), .text("API 文档"))))
            )
        )
    }

    /// A table of plain text: a header row and rows of cells.
    static func textTable(_ headers: [String], _ rows: [[String]]) -> Node<HTML.BodyContext> {
        .table(.thead(.tr(.forEach(headers) { .th(.text($0)) })),
               .tbody(.forEach(rows) { r in .tr(.forEach(r) { .td(.text($0)) }) }))
    }

    /// A hidden field with the page's form token.
    static func csrfField(_ c: PageContext) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("csrf"), .value(c.csrf))
    }

    static let css = """
    body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#1d1d1f;background:#fafafa;font-size:15px}
    header{background:#9b1c1c;color:#fff;padding:.5rem 1.2rem;display:flex;flex-wrap:wrap;align-items:center;gap:1.2rem}
    header a{color:#fff;text-decoration:none}header h1{font-size:1.2rem;margin:0}
    nav{display:flex;gap:1rem}nav a{padding:.2rem .4rem;border-radius:3px}nav a:hover{background:#7f1515}
    .who{margin-left:auto;font-size:.9rem}.inline{display:inline;margin-left:.6rem}
    main{padding:1rem 1.2rem;max-width:76rem}
    table{border-collapse:collapse;background:#fff;margin:.4rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
    td.n,th.n{text-align:right}td.param{overflow-wrap:anywhere;min-width:9rem}tfoot td{font-weight:bold}footer{color:#666;font-size:.85rem;padding:1rem 1.2rem}
    .summary{display:flex;flex-wrap:wrap;gap:1.2rem;margin:.5rem 0 1rem}.summary div{background:#fff;border:1px solid #ddd;padding:.5rem 1rem}
    .summary strong{display:block;font-size:1.4rem}
    form.card,section.card{background:#fff;border:1px solid #ddd;padding:.8rem 1rem;margin:.6rem 0}
    label{display:inline-block;min-width:7rem}input[type=text],input[type=number],input[type=date],input[type=password],select{padding:.25rem;font-size:.95rem}
    .error{color:#b00020}.field-error{color:#b00020;font-size:.85rem;margin-left:.5rem}
    .status-overdue{color:#b00020;font-weight:bold}.status-due_soon{color:#b36b00;font-weight:bold}.status-met,.status-met_late{color:#2e7d32}
    .explain{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.6rem;font-size:.9rem;max-height:28rem;overflow:auto}
    .notice{background:#fff;border:1px solid #999;padding:1.2rem 1.6rem;max-width:42rem}
    .working{color:#b36b00;font-weight:bold}
    @media print{header,footer,nav,.who,.noprint{display:none}body{background:#fff}main{padding:0}.notice{border:none}
      @page{size:A4;margin:20mm}}
    """
}
