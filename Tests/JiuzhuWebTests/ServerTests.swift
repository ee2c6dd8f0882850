import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

@Suite struct ServerTests {
    @Test func health_answersOK_withTheDatabaseKind() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.GET, "/health") { res async throws in
                #expect(res.status == .ok)
                let body = try res.decoded([String: String].self)
                #expect(body["status"] == "ok")
                #expect(body["database"] == (TestDatabase.kind == "sqlite" ? "sqlite" : "postgresql"))
            }
        }
    }

    @Test func newDatabase_loadsTheDemoCounty_andItsUsers_whoSeeTheHomePageAfterSigningIn() async throws {
        try await withJiuzhuApp(demo: true) { app in
            // Not signed in: the home page sends the browser to the sign-in form.
            try await app.testing().test(.GET, "/") { res async throws in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login")
            }
            var csrf = ""
            try await app.testing().test(.GET, "/login") { res async throws in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<form method=\"post\" action=\"/login\">"))
                csrf = res.headers.setCookie?[SignInPage.csrfCookie]?.string ?? ""
                #expect(res.body.string.contains("value=\"\(csrf)\""))
            }
            let form = "username=admin&password=\(DemoCounty.password)&csrf=\(csrf)"
            var session = ""
            try await app.testing().test(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(SignInPage.csrfCookie)=\(csrf)"],
                                         body: ByteBuffer(string: form)) { res async throws in
                #expect(res.status == .seeOther)
                session = res.headers.setCookie?[SessionCookie.name]?.string ?? ""
                #expect(!session.isEmpty)
            }
            try await app.testing().test(.GET, "/", headers: ["Cookie": "\(SessionCookie.name)=\(session)"]) { res async throws in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .html)
                let html = res.body.string
                #expect(html.contains("<html lang=\"zh\""))
                #expect(html.contains("家庭登记"))
                // Every row is one of 元江县's real townships.
                let townships = Divisions.bundled.townships(in: try DivisionCode("530428"))
                let shown = townships.filter { html.contains($0.name) }
                #expect(shown.count >= 8, "expected the demo households spread over 元江县's townships")
                #expect(html.contains("2,000"))
            }
            try await app.testing().test(.GET, "/api/v1/households?per_page=1", headers: authHeaders) { res async throws in
                #expect(try res.decoded(RegistryPage.self).total == 2000)
            }
        }
    }

    @Test func signInForm_withoutItsToken_orWithAWrongPassword_keepsTheUsername_andSignsNobodyIn() async throws {
        try await withJiuzhuApp(demo: true) { app in
            try await app.testing().test(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "username=admin&password=\(DemoCounty.password)&csrf=forged")) { res async throws in
                #expect(res.status == .forbidden)
                #expect(res.headers.setCookie?[SessionCookie.name] == nil)
                #expect(res.body.string.contains("页面已过期"))
            }
            try await app.testing().test(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(SignInPage.csrfCookie)=t1"],
                                         body: ByteBuffer(string: "username=admin&password=wrong-password&csrf=t1")) { res async throws in
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("用户名或密码不正确"))
                #expect(res.body.string.contains("value=\"admin\""))
                #expect(res.headers.setCookie?[SessionCookie.name] == nil)
            }
        }
    }

    @Test func unknownPage_is404_inChinese_forABrowser() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.GET, "/no-such-page", headers: ["Accept": "text/html"]) { res async throws in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("未找到"))
            }
        }
    }

    @Test func homePage_rendersFromAViewModel_withNoDatabase() {
        let html = HomePage.render(HomePage.makeModel([
            TownshipCount(code: "530428100", name: "澧江街道", countyName: "元江哈尼族彝族傣族自治县", households: 1234, members: 4321),
        ]))
        #expect(html.contains("<td>澧江街道</td>"))
        #expect(html.contains("1,234"))
        #expect(html.contains("4,321"))
        #expect(HomePage.render(HomePage.makeModel([])).contains("尚无登记家庭"))
    }
}

@Suite struct OpenAPITests {
    /// The document lists exactly the operations the app serves.
    @Test func openAPIDocument_matchesTheRegisteredRoutes() async throws {
        try await withJiuzhuApp { app in
            var served = Set<String>()
            for route in app.routes.all {
                let path = "/" + route.path.map { c -> String in
                    if case .parameter(let name) = c { return "{\(name)}" }
                    return "\(c)"
                }.joined(separator: "/")
                guard path.hasPrefix("/api/") || path == "/health" else { continue }
                served.insert("\(route.method.rawValue.lowercased()) \(path)")
            }
            let doc = try JSONSerialization.jsonObject(with: APIDescription.json) as! [String: Any]
            let paths = doc["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, item) in paths {
                for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method) \(path)")
                }
            }
            #expect(served == documented)
            try await app.testing().test(.GET, "/openapi.json") { res async throws in
                #expect(res.status == .ok)
                #expect(Data(buffer: res.body) == APIDescription.json)
            }
        }
    }

    /// Every schema reference points at a schema the document defines.
    @Test func openAPIDocument_referencesResolve() throws {
        let text = String(decoding: APIDescription.json, as: UTF8.self)
        let doc = try JSONSerialization.jsonObject(with: APIDescription.json) as! [String: Any]
        let schemas = (doc["components"] as! [String: Any])["schemas"] as! [String: Any]
        let refs = text.components(separatedBy: "#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!refs.isEmpty)
        for r in refs { #expect(schemas[String(r)] != nil, "\(r)") }
    }
}

@Suite struct LogMaskingTests {
    @Test func idNumbersInLoggedPaths_areMasked() {
        #expect(MaskedRouteLogging.mask("/api/v1/members/53042819600101011X") == "/api/v1/members/5304**********011X")
        #expect(MaskedRouteLogging.mask("/api/v1/households/H0000001") == "/api/v1/households/H0000001")
        #expect(MaskedRouteLogging.mask("/api/v1/cases/530428-2025-000001") == "/api/v1/cases/530428-2025-000001")
    }
}
