import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct PolicyCommandTests {
    /// Writes a synthetic population and returns its folder.
    func population(_ n: Int, seed: Int) throws -> URL {
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", String(n), "--seed", String(seed), "--today", "2025-07-15", "--out", dir.path]).status == 0)
        return dir
    }

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func simulate_printsTheSpecTotals_equalToTheOracle() throws {
        let dir = try population(3000, seed: 11)
        let r = try CLI.run(["simulate", "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path, "--month", "2024-03", "--policy", "reference"])
        #expect(r.status == 0, "\(r.stderr)")
        let totals = try json(r.stdout)
        #expect(Set(totals.keys) == ["month", "households", "programs", "total_benefit_fen"])
        let programs = totals["programs"] as! [String: [String: Int]]
        #expect(Set(programs.keys) == ["tekun", "dibao", "dibao_single", "low_income", "none"])

        // The oracle, household by household, summed.
        let population = try PopulationFiles.read(households: dir.appendingPathComponent("households.csv"),
                                                  members: dir.appendingPathComponent("members.csv"), today: Fixtures.today)
        let groups = Dictionary(grouping: population.members, by: \.householdID)
        var expected: [String: (Int, Int64)] = [:]
        for h in population.households {
            let o = SpecOracle.evaluate(h, groups[h.householdID]!, month: Month(year: 2024, month: 3)!)!
            expected[o.programme, default: (0, 0)].0 += 1
            expected[o.programme, default: (0, 0)].1 += o.benefitFen
        }
        for (name, p) in programs {
            #expect(p["households"] == (expected[name]?.0 ?? 0), "\(name)")
            #expect(Int64(p["benefit_fen"]!) == (expected[name]?.1 ?? 0), "\(name)")
        }
        #expect(Int64(totals["total_benefit_fen"] as! Int) == expected.values.reduce(0) { $0 + $1.1 })
        #expect(totals["households"] as? Int == 3000)
        #expect(totals["month"] as? String == "2024-03")
    }

    @Test func simulate_whatIf_showsGainsAndLosses_thatAddUp() throws {
        let dir = try population(3000, seed: 12)
        let r = try CLI.run(["simulate", "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path, "--month", "2025-07", "--policy", "reference",
                             "--set", "S_rural=60000", "--set", "uplift_rate=20%"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try json(r.stdout)
        let base = report["baseline"] as! [String: Any], whatIf = report["what_if"] as! [String: Any]
        let cost = report["total_cost_change_fen"] as! Int
        #expect(cost == (whatIf["total_benefit_fen"] as! Int) - (base["total_benefit_fen"] as! Int))
        #expect(cost > 0, "a higher standard and uplift cost more")
        let byProgramme = report["by_programme"] as! [String: [String: Int]]
        #expect(byProgramme.values.reduce(0) { $0 + $1["gained"]! } == byProgramme.values.reduce(0) { $0 + $1["lost"]! })
        #expect(byProgramme.values.reduce(0) { $0 + $1["cost_change_fen"]! } == cost)
        #expect(byProgramme["dibao"]!["gained"]! > 0)
        let townships = report["by_township"] as! [[String: Any]]
        #expect(townships.reduce(0) { $0 + (($1["change"] as! [String: Int])["cost_change_fen"]!) } == cost)
        #expect((report["set"] as! [String: String]) == ["S_rural": "60000", "uplift_rate": "0.2"])
    }

    @Test func simulate_timings_reportEachPhaseOnStderr_andLeaveStdoutTheJSON() throws {
        let dir = try population(100, seed: 15)
        let r = try CLI.run(["simulate", "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path, "--month", "2025-07", "--policy", "reference", "--timings"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("ms  read and check 100 households"))
        #expect(r.stderr.contains("ms  evaluate 100 households"))
        #expect(try json(r.stdout)["households"] as? Int == 100)
    }

    @Test func simulate_badInput_isAClearError() throws {
        let dir = try population(50, seed: 13)
        let files = ["--households", dir.appendingPathComponent("households.csv").path, "--members", dir.appendingPathComponent("members.csv").path]
        let unknown = try CLI.run(["simulate"] + files + ["--month", "2025-07", "--policy", "reference", "--set", "S_moon=1"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("parameter S_moon") && unknown.stderr.contains("unknown parameter"))
        let badValue = try CLI.run(["simulate"] + files + ["--month", "2025-07", "--policy", "reference", "--set", "uplift_rate=lots"])
        #expect(badValue.stderr.contains("parameter uplift_rate"))
        let early = try CLI.run(["simulate"] + files + ["--month", "2019-12", "--policy", "reference"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("no value on 2019-12-01"))
        // Without --policy each household is evaluated under its own locality's pack, which differ from the reference pack.
        let own = try CLI.run(["simulate"] + files + ["--month", "2025-07"])
        #expect(own.status == 0, "\(own.stderr)")
        let reference = try CLI.run(["simulate"] + files + ["--month", "2025-07", "--policy", "reference"])
        #expect(try json(own.stdout)["households"] as? Int == 50)
        #expect(own.stdout != reference.stdout)
        let unknownPack = try CLI.run(["simulate"] + files + ["--month", "2025-07", "--policy", "999999"])
        #expect(unknownPack.stderr.contains("no such pack"))
    }

    @Test func explain_andSimulateFromTheRegistry() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let dir = try population(200, seed: 14)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path]).status == 0)
        let text = try CLI.run(["explain", "--database", db, "--household", "H0000001", "--month", "2025-07", "--policy", "reference"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("家庭 H0000001"))
        #expect(text.stdout.contains("结论："))
        #expect(text.stdout.contains("所用参数："))
        #expect(text.stdout.contains("自 2020-01-01 起执行"))
        let asJSON = try CLI.run(["explain", "--database", db, "--household", "H0000001", "--month", "2025-07", "--policy", "reference", "--json"])
        let e = try json(asJSON.stdout)
        #expect(e["household_id"] as? String == "H0000001")
        #expect((e["steps"] as! [Any]).count >= 4)
        let assessed = try CLI.run(["assess", "--database", db, "--household", "H0000001", "--month", "2025-07"])
        #expect(assessed.status == 0, "\(assessed.stderr)")
        #expect(assessed.stdout.contains("结论："))
        #expect(assessed.stdout.contains("专项救助转介："))
        let assessedJSON = try json(try CLI.run(["assess", "--database", db, "--household", "H0000001", "--month", "2025-07", "--json"]).stdout)
        #expect(assessedJSON["referrals"] is [Any])
        let missing = try CLI.run(["explain", "--database", db, "--household", "NOPE", "--month", "2025-07", "--policy", "reference"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("household NOPE not found"))

        let fromFiles = try CLI.run(["simulate", "--households", dir.appendingPathComponent("households.csv").path,
                                     "--members", dir.appendingPathComponent("members.csv").path, "--month", "2025-07", "--policy", "reference"])
        let fromRegistry = try CLI.run(["simulate", "--database", db, "--month", "2025-07", "--policy", "reference"])
        #expect(fromRegistry.status == 0, "\(fromRegistry.stderr)")
        #expect(fromRegistry.stdout == fromFiles.stdout)
        await cleanup()
    }
}

@Suite struct PriceSubsidyCommandTests {
    @Test func priceSubsidy_printsTheDecision_inChineseAndJSON() throws {
        let r = try CLI.run(["price-subsidy", "--index-month", "2025-06", "--cpi", "3.6%", "--food-cpi", "6.5%", "--policy", "reference"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("启动：2025-07 发放价格临时补贴，城市 ¥46.00/人·月，农村 ¥33.00/人·月"))
        let j = try CLI.run(["price-subsidy", "--index-month", "2025-06", "--cpi", "1%", "--food-cpi", "2%", "--policy", "reference", "--json"])
        #expect(j.stdout.contains("\"triggered\" : false"))
        let bad = try CLI.run(["price-subsidy", "--index-month", "2025-06", "--cpi", "lots", "--food-cpi", "2%", "--policy", "reference"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--cpi"))
    }
}

@Suite struct CircumstancesCommandTests {
    @Test func set_show_andAssessUsesThem_badFileNamesTheField() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", "20", "--seed", "15", "--today", "2025-07-15", "--out", dir.path]).status == 0)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path]).status == 0)
        let members = try String(contentsOf: dir.appendingPathComponent("members.csv"), encoding: .utf8).split(separator: "\n")
        let first = members.dropFirst().first { (line: Substring) in line.hasPrefix("H0000001,") }!.split(separator: ",")
        let head = String(first[1])
        let file = dir.appendingPathComponent("c.json")
        try #"{"members":[{"id_number":"\#(head)","incomes":[{"kind":"basic_pension","fen":10000}]}],"previous":{"programme":"dibao","benefit_fen":25000,"exit_months_paid":0,"rise_from_work":true}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let set = try CLI.run(["circumstances", "set", "--database", db, "--household", "H0000001", "--from", "2025-01", "--file", file.path])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("from 2025-01"))
        let shown = try CLI.run(["circumstances", "show", "--database", db, "--household", "H0000001"])
        #expect(shown.stdout.contains("\"effective_from\" : \"2025-01\""))
        let assessed = try CLI.run(["assess", "--database", db, "--household", "H0000001", "--month", "2025-07"])
        #expect(assessed.status == 0, "\(assessed.stderr)")
        #expect(assessed.stdout.contains("【渐退期】"))
        #expect(assessed.stdout.contains("城乡居民基础养老金"))

        try #"{"members":[{"id_number":"\#(head)","school":"kindergarten"}]}"#.write(to: file, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["circumstances", "set", "--database", db, "--household", "H0000001", "--from", "2025-02", "--file", file.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("members[0].school"))
        let stillOne = try CLI.run(["circumstances", "show", "--database", db, "--household", "H0000001"])
        #expect(stillOne.stdout.components(separatedBy: "effective_from").count == 2)
        await cleanup()
    }
}
