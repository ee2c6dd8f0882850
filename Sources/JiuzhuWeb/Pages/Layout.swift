import Plot

/// The frame every page shares: Chinese, the bureau's name, plain CSS that prints well.
enum Layout {
    static func page(title: String, body: Node<HTML.BodyContext>) -> HTML {
        HTML(
            .lang(.chinese),
            .head(
                .encoding(.utf8),
                .title("\(title) · 救助 社会救助信息平台"),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "style", text: css)
            ),
            .body(
                .header(.h1(.a(.href("/"), .text("救助 · 社会救助信息平台")))),
                .main(body),
                .footer(.p(.text("救助 Jiuzhu — 县级民政部门社会救助信息平台 · "), .a(.href("/openapi.json"), .text("API 文档"))))
            )
        )
    }

    static let css = """
    body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
    header{background:#9b1c1c;color:#fff;padding:.6rem 1.2rem}header a{color:#fff;text-decoration:none}
    header h1{font-size:1.3rem;margin:0}main{padding:1rem 1.2rem;max-width:72rem}
    table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ccc;padding:.3rem .7rem;text-align:left}
    td.n,th.n{text-align:right}tfoot td{font-weight:bold}footer{color:#666;font-size:.85rem;padding:1rem 1.2rem}
    .summary{display:flex;gap:2rem;margin:.5rem 0 1rem}.summary div{background:#fff;border:1px solid #ddd;padding:.5rem 1rem}
    .summary strong{display:block;font-size:1.4rem}
    @media print{header{background:none;color:#000}header a{color:#000}footer{display:none}}
    """
}
