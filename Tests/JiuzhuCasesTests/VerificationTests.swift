import FluentKit
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
import SQLKit
import Testing

@Suite struct VerificationTests {
    static let h1 = Fixtures.record("H1")   // 元江: head 李建国 (income 300 yuan), spouse 王秀英 (physical, grade 2); deposits 5,000 yuan
    static let h2 = Fixtures.record("H2", headID: Fixtures.idNumber(born: "19700101", sequence: 31), spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))
    static let stranger = Fixtures.idNumber(born: "19800101", sequence: 55)

    func setUp(_ rt: StoreRuntime) async throws -> Verification {
        let r = Registry(db: rt.db, actor: .system, now: { Fixtures.now })
        try await r.create(Self.h1)
        try await r.create(Self.h2)
        return Verification(db: rt.db, actor: AuditActor("test:officer"), now: { Fixtures.now })
    }

    static var head1: String { h1.members[0].idNumber.value }
    static var spouse1: String { h1.members[1].idNumber.value }
    static var head2: String { h2.members[0].idNumber.value }
    static let asOf = Day(year: 2025, month: 7, day: 1)!

    /// Seven feeds with planted discrepancies raise exactly those flags, and no others.
    @Test func plantedDiscrepancies_raiseExactlyTheirFlags() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let feeds: [(String, String)] = [
                ("人社", "id_number,employer,monthly_wage_fen\n\(Self.head1),元江县建筑公司,50000\n\(Self.head2),某超市,20000\n\(Self.stranger),某工厂,300000\n"),
                ("公安", "id_number,name,date_of_death\n\(Self.spouse1),王秀英,2025-06-20\n"),
                ("银行", "id_number,institution,balance_fen\n\(Self.head1),农村信用社,400000\n\(Self.head2),农村信用社,10000000\n"),
                ("财政", "id_number,employer\n\(Self.head2),县教育局\n"),
                ("市场监管", "id_number,registration_no,business_name\n\(Self.head1),92530428MA000001,建国小卖部\n"),
                ("公安交管", "id_number,plate,value_fen\n\(Self.head1),云F12345,8000000\n"),
                ("残联", "id_number,disability_grade,disability_kind\n\(Self.head1),2,physical\n\(Self.spouse1),2,physical\n\(Self.stranger),1,visual\n"),
            ]
            for (department, text) in feeds {
                _ = try await v.importFeed(Data(text.utf8), department: department, asOf: Self.asOf, fileName: "\(department).csv")
            }
            let flags = try await FeedStore(db: rt.db, actor: .system).flags()
            let seen = Set(flags.map { "\($0.householdID) \($0.kind) \($0.severity) \($0.idNumber ?? "-")" })
            #expect(seen == [
                "H1 wages medium \(Self.head1)",
                "H1 deaths high \(Self.spouse1)",
                "H2 deposits high -",
                "H2 public_payroll high \(Self.head2)",
                "H1 business medium \(Self.head1)",
                "H1 vehicles medium -",
                "H1 disability info \(Self.head1)",
            ], "\(seen.sorted())")
            #expect(flags.count == 7)
            #expect(flags.first { $0.kind == "wages" }?.message.contains("¥500.00") == true)
            #expect(flags.first { $0.kind == "deaths" }?.evidence.contains("2025-06-20") == true)
            // The stranger is counted in both feeds, but only a disability certificate makes them a lead.
            let store = FeedStore(db: rt.db, actor: .system)
            let wagesDigest = flags.first { $0.kind == "wages" }!.feedDigest
            #expect(try await store.existing(kind: "wages", digest: wagesDigest)?.unknown == 1)
            #expect(try await store.leads(digest: wagesDigest).isEmpty)
            let disabilityDigest = flags.first { $0.kind == "disability" }!.feedDigest
            #expect(try await store.leads(digest: disabilityDigest).map(\.idNumber) == [Self.stranger])
            #expect(try await store.leads(digest: disabilityDigest).map(\.line) == [4])
        }
    }

    @Test func theSameFileTwice_isRecognised_andNotAppliedAgain() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let text = Data("id_number,employer,monthly_wage_fen\n\(Self.head1),元江县建筑公司,50000\n".utf8)
            let first = try await v.importFeed(text, department: "人社", asOf: Self.asOf, fileName: "wages.csv")
            let again = try await v.importFeed(text, department: "人社", asOf: Self.asOf, fileName: "wages-copy.csv")
            #expect(!first.repeated && again.repeated)
            #expect(again.record.fileName == "wages.csv" && again.record.digest == first.record.digest)
            #expect(try await FeedStore(db: rt.db, actor: .system).flags().count == 1)
        }
    }

    /// What Excel in China writes: GB18030 (GBK) — read with the Chinese intact, declared or detected.
    @Test func gbkFiles_importWithTheChineseIntact() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let text = "id_number,employer,monthly_wage_fen\n\(Self.head1),元江县建筑公司,50000\n"
            let gbk = try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
            #expect(String(data: gbk, encoding: .utf8) == nil)   // really not UTF-8
            let summary = try await v.importFeed(gbk, department: "人社", asOf: Self.asOf, fileName: "wages-gbk.csv")
            #expect(summary.record.encoding == "gb18030")
            let flag = try #require(try await FeedStore(db: rt.db, actor: .system).flags().first)
            #expect(flag.evidence.contains("元江县建筑公司"))
        }
    }

    @Test(arguments: [
        ("id_number,employer,monthly_wage_fen\n530428196001010118,公司,100\n", "line 2, column id_number"),
        ("id_number,employer,monthly_wage_fen\nHEAD1,公司,1.5\n", "line 2, column monthly_wage_fen"),
        ("id_number,name,date_of_death\nSPOUSE1,王秀英,2025-13-01\n", "line 2, column date_of_death"),
        ("id_number,name,date_of_death\nSPOUSE1,王秀英,2099-01-01\n", "is after today"),
        ("id_number,employer,monthly_wage_fen\nHEAD1,公司,100\nHEAD1,公司\n", "line 3"),
        ("身份证号,单位,工资\nHEAD1,公司,100\n", "is not one of the feed formats"),
        ("id_number,insurance,contribution_base_fen\nHEAD1,pension,100\n", "line 2, column insurance: must be one of employee_medical, employee_pension, unemployment"),
        ("id_number,change,date,to_division\nHEAD1,moved_out,2025-06-01,5301\n", "line 2, column to_division"),
    ])
    func badFiles_areRefusedWithTheLineAndField_andChangeNothing(_ text: String, _ expected: String) async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let data = Data(text.replacingOccurrences(of: "HEAD1", with: Self.head1).replacingOccurrences(of: "SPOUSE1", with: Self.spouse1).utf8)
            let department = text.contains("date_of_death") || text.contains("to_division") ? "公安" : "人社"
            do {
                _ = try await v.importFeed(data, department: department, asOf: Self.asOf, fileName: "bad.csv")
                Issue.record("expected a refusal")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
            #expect(try await FeedStore(db: rt.db, actor: .system).flags().isEmpty)
            #expect(try await FeedImportRecords.count(rt.db) == 0)
        }
    }

    @Test func aFeedFromTheWrongDepartment_isRefused() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            await #expect(throws: FeedImportError.wrongDepartment(department: "残联", kind: .wages)) {
                try await v.importFeed(Data("id_number,employer,monthly_wage_fen\n\(Self.head1),公司,100\n".utf8), department: "残联",
                                       asOf: Self.asOf, fileName: "w.csv")
            }
        }
    }
}

enum FeedImportRecords {
    static func count(_ db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM feed_imports").first()!.decode(column: "n", as: Int.self)
    }
}

@Suite struct ReevaluationTests {
    /// H1 (a 低保 couple) turns out to earn 5,000 yuan a month: likely ineligible. H3 (a low-income
    /// couple) has a new grade-1 certificate: single-person inclusion makes it newly eligible.
    /// H2 has no flags and is not on the list. Nothing in the registry changes.
    @Test func theWorklist_setsTheEvaluationNowBesideTheOneWithTheFeeds() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = Registry(db: rt.db, actor: .system, now: { Fixtures.now })
            try await r.create(VerificationTests.h1)
            try await r.create(VerificationTests.h2)
            let township = Divisions.bundled.townships(in: try DivisionCode("530428"))[0].code
            let a = try IDNumber(validating: Fixtures.idNumber(born: "19850101", sequence: 61), today: Fixtures.today)
            let b = try IDNumber(validating: Fixtures.idNumber(born: "19860101", sequence: 62), today: Fixtures.today)
            let h3 = HouseholdRecord(household: Household(householdID: "H3", divisionCode: township, hukouType: .rural), members: [
                Member(householdID: "H3", idNumber: a, name: "赵一", relation: .head, monthlyIncome: 130000),
                Member(householdID: "H3", idNumber: b, name: "钱二", relation: .spouse),
            ])
            try await r.create(h3)
            let v = Verification(db: rt.db, actor: AuditActor("test"), now: { Fixtures.now })
            let asOf = Day(year: 2025, month: 7, day: 1)!
            _ = try await v.importFeed(Data("id_number,employer,monthly_wage_fen\n\(VerificationTests.head1),某公司,500000\n".utf8),
                                       department: "人社", asOf: asOf, fileName: "w.csv")
            _ = try await v.importFeed(Data("id_number,disability_grade,disability_kind\n\(b.value),1,physical\n".utf8),
                                       department: "残联", asOf: asOf, fileName: "d.csv")
            let list = try await v.worklist(month: Month(year: 2025, month: 7)!)
            #expect(list.map(\.householdID) == ["H1", "H3"])
            let h1 = list[0], h3item = list[1]
            #expect(h1.outcome == "likely_ineligible" && h1.nowProgramme == "dibao" && h1.withFeedsBenefitFen == 0)
            #expect(h3item.outcome == "newly_eligible" && h3item.nowProgramme == "low_income" && h3item.withFeedsProgramme == "dibao_single")
            #expect(try await r.household("H1").members[0].monthlyIncome.fen == 30000)   // unchanged
        }
    }

    @Test func feedFacts_takeTheDepartmentsRowsAsTrue() throws {
        let rec = VerificationTests.h1
        let wage = FeedRow(line: 2, idNumber: rec.members[0].idNumber, fields: ["employer": "x", "monthly_wage_fen": "80000"])
        let after = FeedFacts.apply(.wages, rows: [wage], to: rec)
        #expect(after.members[0].employmentIncome.fen == 80000 && after.members[0].monthlyIncome.fen == 110000)   // 300 yuan other income kept
        let death = FeedRow(line: 2, idNumber: rec.members[1].idNumber, fields: ["name": "王秀英", "date_of_death": "2025-06-20"])
        #expect(FeedFacts.apply(.deaths, rows: [death], to: rec).members.count == 1)
        let deposit = FeedRow(line: 2, idNumber: rec.members[0].idNumber, fields: ["institution": "x", "balance_fen": "100"])
        #expect(FeedFacts.apply(.deposits, rows: [deposit], to: rec).household.deposits == rec.household.deposits)   // lower than declared: kept
    }
}

extension VerificationTests {
    static var spouse2: String { h2.members[1].idNumber.value }

    /// The five further feed kinds: planted discrepancies, exactly their flags.
    @Test func furtherFeeds_raiseExactlyTheirFlags() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let feeds: [(String, String)] = [
                ("人社", "id_number,benefit,monthly_fen\n\(Self.head1),pension,50000\n\(Self.head2),basic_pension,10000\n"),
                ("自然资源", "id_number,property_no,use\n\(Self.head1),云(2020)元江县不动产权第0001号,residential\n\(Self.head1),云(2021)元江县不动产权第0002号,residential\n\(Self.head2),云(2022)元江县不动产权第0003号,commercial\n"),
                ("税务", "id_number,year,annual_income_fen\n\(Self.head2),2023,120000\n\(Self.head2),2024,1200000\n"),
                ("医保", "id_number,year,self_paid_fen\n\(Self.spouse1),2024,3000000\n"),
                ("法院", "id_number,obligor_id_number,monthly_fen\n\(Self.spouse2),\(Self.stranger),20000\n"),
            ]
            for (department, text) in feeds {
                _ = try await v.importFeed(Data(text.utf8), department: department, asOf: Self.asOf, fileName: "\(department).csv")
            }
            let flags = try await FeedStore(db: rt.db, actor: .system).flags()
            let seen = Set(flags.map { "\($0.householdID) \($0.kind) \($0.severity) \($0.idNumber ?? "-")" })
            #expect(seen == [
                "H1 pensions medium \(Self.head1)",
                "H1 real_estate high -",
                "H2 real_estate medium -",
                "H2 tax medium \(Self.head2)",
                "H1 medical_costs info \(Self.spouse1)",
                "H2 support_judgments medium \(Self.spouse2)",
            ], "\(seen.sorted())")
            #expect(flags.count == 6)
            #expect(flags.first { $0.kind == "tax" }?.message.contains("2024年") == true)
        }
    }
}

extension VerificationTests {
    /// The last six kinds (seed 000's annex): planted discrepancies, exactly their flags; a monitored
    /// stranger is a lead.
    @Test func annexFeeds_raiseExactlyTheirFlags() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let feeds: [(String, String)] = [
                ("人社", "id_number,insurance,contribution_base_fen\n\(Self.head1),employee_pension,200000\n\(Self.head1),employee_medical,200000\n\(Self.head2),unemployment,20000\n"),
                ("公积金中心", "id_number,contribution_base_fen,balance_fen\n\(Self.head2),500000,1200000\n"),
                ("退役军人", "id_number,category,veteran_disability_grade\n\(Self.head1),demobilized_veteran,0\n\(Self.stranger),disabled_veteran,3\n"),
                ("乡村振兴", "id_number,monitoring_type,since\n\(Self.spouse2),marginal,2024-03-01\n\(Self.stranger),sudden_hardship,2025-05-01\n"),
                ("公安", "id_number,change,date,to_division\n\(Self.spouse1),moved_out,2025-06-01,532625\n"),
                ("卫健", "id_number,diagnosis,since\n\(Self.head2),恶性肿瘤,2025-03-02\n\(Self.stranger),尿毒症,2025-04-01\n"),
            ]
            for (department, text) in feeds {
                _ = try await v.importFeed(Data(text.utf8), department: department, asOf: Self.asOf, fileName: "\(department).csv")
            }
            let store = FeedStore(db: rt.db, actor: .system)
            let flags = try await store.flags()
            let seen = Set(flags.map { "\($0.householdID) \($0.kind) \($0.severity) \($0.idNumber ?? "-")" })
            #expect(seen == [
                "H1 social_insurance medium \(Self.head1)",
                "H2 housing_fund medium \(Self.head2)",
                "H1 veterans info \(Self.head1)",
                "H2 monitored_households info \(Self.spouse2)",
                "H1 household_registration medium \(Self.spouse1)",
                "H2 serious_illness info \(Self.head2)",
            ], "\(seen.sorted())")
            #expect(flags.count == 6)
            #expect(flags.first { $0.kind == "social_insurance" }?.message.contains("职工基本养老保险、职工基本医疗保险") == true)
            #expect(flags.first { $0.kind == "household_registration" }?.message.contains("迁出至马关县") == true)
            let monitored = try #require(flags.first { $0.kind == "monitored_households" })
            #expect(try await store.leads(digest: monitored.feedDigest).map(\.idNumber) == [Self.stranger])
            let illness = try #require(flags.first { $0.kind == "serious_illness" })
            #expect(try await store.leads(digest: illness.feedDigest).map(\.line) == [3])
            let veterans = try #require(flags.first { $0.kind == "veterans" })
            #expect(try await store.leads(digest: veterans.feedDigest).isEmpty)
            // The worklist takes the rows as true: the moved-out spouse leaves H1, the wage base counts.
            let list = try await v.worklist(month: Month(year: 2025, month: 7)!)
            #expect(Set(list.map(\.householdID)) == ["H1", "H2"])
        }
    }
}

extension VerificationTests {
    /// The month's verification covers every household, counts recipients as the rules say, and
    /// sums the data received by kind.
    @Test func theMonthlyVerification_coversEveryHousehold() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await setUp(rt)
            let r = Registry(db: rt.db, actor: .system, now: { Fixtures.now })
            try await r.create(Fixtures.record("H3", headID: Fixtures.idNumber(born: "19500101", sequence: 71), spouseID: Fixtures.idNumber(born: "19520101", sequence: 82)))
            _ = try await v.importFeed(Data("id_number,name,date_of_death\n\(Self.spouse1),王秀英,2025-06-20\n\(Self.stranger),某人,2025-06-21\n".utf8),
                                       department: "公安", asOf: Self.asOf, fileName: "deaths.csv")
            let month = Month(year: 2025, month: 7)!
            let report = try await v.monthly(month: month)
            #expect(report.townships.reduce(0) { $0 + $1.households } == 3)
            var paid = 0
            for id in ["H1", "H2", "H3"] {
                let rec = try await r.household(id)
                let pack = try PackChoice.byDivision(.bundled).pack(for: rec.household)
                if try ReferenceRules.evaluate(rec.household, members: rec.members, month: month, pack: pack, explain: false).programme.isPaid { paid += 1 }
            }
            #expect(report.townships.reduce(0) { $0 + $1.recipients } == paid)
            #expect(report.worklist.map(\.householdID) == ["H1"])
            #expect(report.worklist == (try await v.worklist(month: month)))
            #expect(report.townships.reduce(0) { $0 + $1.outcomes.values.reduce(0, +) } == 1)
            #expect(report.kinds.map(\.kind) == ["deaths"])
            #expect(report.kinds[0].rows == 2 && report.kinds[0].matched == 1 && report.kinds[0].unknown == 1)
            #expect(report.kinds[0].imports == 1 && report.kinds[0].importsThisMonth == 1 && report.kinds[0].openFlags == ["high": 1])
        }
    }
}

@Suite struct SpreadsheetFeedTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Raw DEFLATE from zlib (Python's, level 9): a short text and a long repetitive one.
    @Test func inflate_readsWhatZlibWrites() throws {
        let short = try Inflate.decompress(Array(Data(base64Encoded: "e75k35M9s55Nnfi0a6VCRmpOTj4A")!))
        #expect(String(decoding: short, as: UTF8.self) == "社会救助 hello")
        let long = try Inflate.decompress(Array(Data(base64Encoded: "7cq7CYAwFEDRWf1/phAEbYQoKKntUoqVAcFlXiKpXMExBLndKY7YNSy93yY/X87uoTVyNEEbp/Q9ds85CIFAIBAIBAKBQCAQCAQCgUAgEAgEAuGLEMVJmuVFWdUIob/qBQ==")!))
        #expect(long.count == 7600)
        #expect(String(decoding: long, as: UTF8.self) == String(repeating: "乡镇民政干部一门受理，", count: 200) + String(repeating: "abcdefghij", count: 100))
        #expect(throws: Inflate.Failure.self) { try Inflate.decompress([0x07]) }
    }

    /// A feed saved as .xlsx (shared strings, deflated entries) imports with the Chinese intact.
    @Test func anXLSXFeed_importsWithTheChineseIntact() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let v = try await VerificationTests().setUp(rt)
            let file = try Data(contentsOf: Self.fixtures.appendingPathComponent("wages.xlsx"))
            #expect(String(decoding: try XLSXReader.csv(file), as: UTF8.self) == "id_number,employer,monthly_wage_fen\n\(VerificationTests.head1),元江县建筑公司,50000\n")
            let summary = try await v.importFeed(file, department: "人社", asOf: VerificationTests.asOf, fileName: "wages.xlsx")
            #expect(summary.record.encoding == "xlsx" && summary.record.flags == 1)
            #expect(try await FeedStore(db: rt.db, actor: .system).flags().first?.evidence.contains("元江县建筑公司") == true)
        }
    }
}

extension VerificationTests {
    /// A provincial file imported by two counties is applied once in each (imports are per jurisdiction).
    @Test func theSameFile_isAppliedOncePerJurisdiction() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            _ = try await setUp(rt)
            let other = HouseholdRecord(household: Household(householdID: "X1", divisionCode: try DivisionCode("430321"), hukouType: .rural), members: [
                Member(householdID: "X1", idNumber: try IDNumber(validating: Fixtures.idNumber(county: "430321", born: "19700101", sequence: 11), today: Fixtures.today),
                       name: "湘一", relation: .head)])
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(other)
            let file = Data("id_number,name,date_of_death\n\(Self.spouse1),王秀英,2025-06-20\n\(other.members[0].idNumber.value),湘一,2025-06-21\n".utf8)
            let yuanjiang = Verification(db: rt.db, scope: Jurisdiction(division: try DivisionCode("530428")), actor: AuditActor("yj"), now: { Fixtures.now })
            let xiangtan = Verification(db: rt.db, scope: Jurisdiction(division: try DivisionCode("430321")), actor: AuditActor("xt"), now: { Fixtures.now })
            let a = try await yuanjiang.importFeed(file, department: "公安", asOf: Self.asOf, fileName: "province.csv")
            let b = try await xiangtan.importFeed(file, department: "公安", asOf: Self.asOf, fileName: "province.csv")
            #expect(!a.repeated && !b.repeated)
            #expect(a.record.matched == 1 && a.record.unknown == 1 && b.record.matched == 1)
            #expect(try await yuanjiang.importFeed(file, department: "公安", asOf: Self.asOf, fileName: "again.csv").repeated)
            #expect(try await FeedStore(db: rt.db, actor: .system).flags().map(\.householdID).sorted() == ["H1", "X1"])
        }
    }
}

extension VerificationTests {
    /// The feed history: a jurisdiction lists the imports it made, newest first; the whole database all of them.
    @Test func imports_areListedPerJurisdiction_newestFirst() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            _ = try await setUp(rt)
            let yuanjiang = Jurisdiction(division: try DivisionCode("530428")), xiangtan = Jurisdiction(division: try DivisionCode("430321"))
            let deaths = Data("id_number,name,date_of_death\n\(Self.spouse1),王秀英,2025-06-20\n".utf8)
            let wages = Data("id_number,employer,monthly_wage_fen\n\(Self.head1),元江县建筑公司,50000\n".utf8)
            let yj = Verification(db: rt.db, scope: yuanjiang, actor: AuditActor("yj"), now: { Fixtures.now })
            _ = try await yj.importFeed(deaths, department: "公安", asOf: Self.asOf, fileName: "deaths.csv")
            _ = try await yj.importFeed(wages, department: "人社", asOf: Self.asOf, fileName: "wages.csv")
            _ = try await yj.importFeed(wages, department: "人社", asOf: Self.asOf, fileName: "wages-again.csv")   // recognised: not listed twice
            _ = try await Verification(db: rt.db, scope: xiangtan, actor: AuditActor("xt"), now: { Fixtures.now })
                .importFeed(deaths, department: "公安", asOf: Self.asOf, fileName: "province.csv")
            func listed(_ scope: Jurisdiction) async throws -> [String] {
                try await FeedStore(db: rt.db, scope: scope, actor: .system).imports().map(\.fileName)
            }
            #expect(try await listed(yuanjiang) == ["wages.csv", "deaths.csv"])
            #expect(try await listed(xiangtan) == ["province.csv"])
            #expect(try await listed(.everywhere).sorted() == ["deaths.csv", "province.csv", "wages.csv"])
            // A township's scope is its own: the county's imports are not its imports.
            #expect(try await listed(Jurisdiction(division: Self.h1.household.divisionCode)) == [])
            let first = try #require(try await FeedStore(db: rt.db, scope: yuanjiang, actor: .system).imports().last)
            #expect(first.kind == "deaths" && first.department == "公安" && first.rows == 1 && first.matched == 1 && first.flags == 1 && first.importedBy == "yj")
        }
    }
}
