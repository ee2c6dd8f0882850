/// A synthetic population for demos, tests and benchmarks: deterministic per seed (the same
/// seed, count and day give the same values and so the same CSV bytes), spread over the real
/// townships of the five seed localities, with valid and unique ID numbers whose birth dates
/// fit each member's relation to the head.
///
/// Shares are meant to look like a county's registry: household sizes 1–6 with many one- and
/// two-person elderly households in the countryside, about 6% of people with a disability
/// certificate, about 3% seriously ill, a few disabled veterans, martyr families and demobilised
/// veterans. Incomes and assets are spread around the 低保 line of the `reference` policy pack
/// (S urban 70000, S rural 50000 fen a month) so that every outcome of the reference rules
/// (特困, 低保, 单人户, 低收入, none) turns up in a thousand households, most being none.
public struct SyntheticPopulation: Sendable {
    public let seed: UInt64
    public let divisions: Divisions
    public let today: Day

    /// The seed localities whose townships households are spread over.
    public static let localities = ["532625", "430321", "350800", "230500", "530428"]

    public init(seed: UInt64, divisions: Divisions = .bundled, today: Day) {
        self.seed = seed
        self.divisions = divisions
        self.today = today
    }

    /// `n` households (ids `H0000001`…, fixed width) and their members, each household's
    /// members together, head first.
    public func generate(households n: Int) -> Population {
        var g = Generator(seed: seed, places: places(), today: today, count: max(0, n))
        var population = Population()
        population.households.reserveCapacity(max(0, n))
        population.members.reserveCapacity(max(0, n) * 3)
        for i in 0..<max(0, n) {
            g.household(number: i + 1, into: &population)
        }
        return population
    }

    /// Generates `n` households and writes them straight to Population CSV v1 bytes.
    public func generateCSV(households n: Int) -> (households: [UInt8], members: [UInt8]) {
        var g = Generator(seed: seed, places: places(), today: today, count: max(0, n))
        var h: [UInt8] = [], m: [UInt8] = []
        h.reserveCapacity(max(0, n) * 64 + 160)
        m.reserveCapacity(max(0, n) * 3 * 88 + 320)
        PopulationCSV.appendHouseholdsHeader(to: &h)
        PopulationCSV.appendMembersHeader(to: &m)
        var one = Population()
        one.members.reserveCapacity(8)
        for i in 0..<max(0, n) {
            one.households.removeAll(keepingCapacity: true)
            one.members.removeAll(keepingCapacity: true)
            g.household(number: i + 1, into: &one)
            PopulationCSV.appendHousehold(one.households[0], to: &h)
            for member in one.members { PopulationCSV.appendMember(member, to: &m) }
        }
        return (h, m)
    }

    /// Townships of the seed localities, grouped by locality (in table order).
    func places() -> [[Place]] {
        var out: [[Place]] = []
        for code in Self.localities {
            guard let locality = try? DivisionCode(code) else { continue }
            let townships = divisions.townships(in: locality)
            if !townships.isEmpty { out.append(townships.map { Place(township: $0) }) }
        }
        if out.isEmpty {
            // A table without the seed localities: any township, else any county.
            let townships = divisions.all.filter { $0.level == .township }
            let rows = townships.isEmpty ? divisions.counties() : townships
            if !rows.isEmpty { out.append(rows.map { Place(township: $0) }) }
        }
        if out.isEmpty {
            out.append([Place(township: Division(code: DivisionCode(trusted: "532625"), name: "马关县", level: .county, parent: nil))])
        }
        return out
    }
}

/// A township households can live in, with what the generator needs precomputed.
struct Place: Sendable {
    let code: DivisionCode
    /// Village codes under the township: its nine digits and 001–030.
    let villages: [DivisionCode]
    /// The county's six digits as ASCII: the address code of ID numbers.
    let county: [UInt8]
    /// Per mille of households with urban hukou: 街道 mostly urban, 镇 mixed, 乡 rural.
    let urbanPerMille: Int

    init(township: Division) {
        code = township.code
        county = Array(township.code.digits.utf8.prefix(6))
        if township.code.level == .township {
            villages = (1...30).map { v in
                DivisionCode(trusted: township.code.digits + (v < 10 ? "00" : "0") + String(v))
            }
        } else {
            villages = []
        }
        if township.name.hasSuffix("街道") || township.level != .township {
            urbanPerMille = 850
        } else if township.name.hasSuffix("镇") {
            urbanPerMille = 250
        } else {
            urbanPerMille = 40
        }
    }
}

/// xoshiro256** seeded with SplitMix64: fast, deterministic on every platform.
struct Xoshiro256: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// 0..<n (n > 0), by multiply-high: no division, negligible bias.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// lo...hi inclusive.
    @inline(__always)
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + below(hi - lo + 1) }

    @inline(__always)
    mutating func int64(_ lo: Int64, _ hi: Int64) -> Int64 { lo + Int64(below(Int(hi - lo + 1))) }

    /// True with probability `perMille`/1000.
    @inline(__always)
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }
}

/// Names: common surnames (most common first) and given-name characters, as UTF-8 bytes.
enum SyntheticNames {
    static let surnames: [[UInt8]] = (
        "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 "
        + "潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 "
        + "邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 普 刀 欧阳 司马 诸葛"
    ).split(separator: " ").map { Array($0.utf8) }
    static let male: [[UInt8]] = "伟 强 磊 军 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 俊 帆 帅 旭 宁 龙 林 阳 建 国 志 文 海 东 成 兵 峰 德 福 生 荣 金 山 根 发 忠 新"
        .split(separator: " ").map { Array($0.utf8) }
    static let female: [[UInt8]] = "芳 娜 敏 静 丽 艳 娟 霞 秀 英 燕 玲 桂 兰 萍 红 梅 琳 婷 雪 慧 莉 琴 云 洁 颖 倩 佳 欣 月 凤 珍 玉 春 琼 花 菊 香 翠 莲"
        .split(separator: " ").map { Array($0.utf8) }
    static let neutral: [[UInt8]] = "子 晨 雨 思 一 嘉 梓 文 亚 小 海 诗 安 晓 永 家 天 少"
        .split(separator: " ").map { Array($0.utf8) }
}

/// One person being generated, before they become a `Member`.
private struct Person {
    var relation: Relation
    var male: Bool
    var age: Int
    var surname: Int
}

/// The working state of one generation run.
struct Generator {
    var rng: Xoshiro256
    let places: [[Place]]
    let today: Day
    let idWidth: Int
    /// The first 17 digits of every ID number handed out, as a number.
    var usedIDs = Set<UInt64>()
    private var people: [Person] = []
    private var memberScratch: [Member] = []
    var nameBytes: [UInt8] = []
    var idBytes = [UInt8](repeating: 48, count: 18)
    let weights = IDNumber.weights
    let checks = IDNumber.checkCharacters
    let surnameCount = SyntheticNames.surnames.count

    /// The 低保 standards of the `reference` pack, which the income spread is built around.
    static let standardUrban: Int64 = 70000, standardRural: Int64 = 50000
    /// The deduction from work income under the reference pack: floor(186000 × 30%).
    static let deductionCap: Int64 = 55800

    init(seed: UInt64, places: [[Place]], today: Day, count: Int) {
        rng = Xoshiro256(seed: seed)
        self.places = places
        self.today = today
        idWidth = max(7, String(count).count)
        usedIDs.reserveCapacity(count * 3)
        people.reserveCapacity(8)
        nameBytes.reserveCapacity(16)
    }

    // MARK: Households

    mutating func household(number: Int, into population: inout Population) {
        let locality = places[rng.below(places.count)]
        let place = locality[rng.below(locality.count)]
        let urban = rng.chance(place.urbanPerMille)
        let code = !place.villages.isEmpty && rng.chance(300) ? place.villages[rng.below(place.villages.count)] : place.code

        composeFamily(urban: urban)
        let n = people.count

        // Economic tier: 0 poor, 1 near the line, 2 ordinary. Old and small households are poorer.
        let elderlyOnly = people.allSatisfy { $0.age >= 60 }
        let (poor, near): (Int, Int) = switch (n, elderlyOnly) {
        case (1, true): (330, 160)
        case (_, true): (170, 150)
        case (1, false): (100, 90)
        default: (50, 80)
        }
        let roll = rng.below(1000)
        let tier = roll < poor ? 0 : roll < poor + near ? 1 : 2

        let id = householdID(number)
        let s = urban ? Self.standardUrban : Self.standardRural
        var members = memberScratch
        memberScratch = []
        members.removeAll(keepingCapacity: true)
        var anySevere = false
        for p in people {
            let member = makeMember(p, householdID: id, county: place.county, urban: urban, tier: tier, size: n)
            if member.disabilityGrade == 1 || member.disabilityGrade == 2 || member.seriousIllness { anySevere = true }
            members.append(member)
        }
        incomes(&members, tier: tier, standard: s, urban: urban)
        population.members.append(contentsOf: members)
        memberScratch = members

        // Assets.
        var household = Household(householdID: id, divisionCode: code, hukouType: urban ? .urban : .rural)
        let limit = 24 * s * Int64(n)
        if tier < 2 {
            household.deposits = Money(fen: rng.chance(870) ? rng.int64(0, limit * 9 / 10) : rng.int64(limit + 1, limit * 3))
            let v = rng.below(1000)
            if anySevere && v < 120 {
                household.vehiclesValue = Money(fen: rng.int64(300_000, 1_000_000))
                household.disabilityVehicle = true
            } else if v < 200 {
                household.vehiclesValue = Money(fen: rng.int64(1_500_000, 8_000_000))
            }
            let hv = rng.below(1000)
            household.houses = hv < 200 ? 0 : hv < 960 ? 1 : 2
            household.businessRegistered = rng.chance(20)
        } else {
            let d = rng.below(1000)
            household.deposits = Money(fen: d < 120 ? rng.int64(0, 1_000_000)
                                       : d < 420 ? rng.int64(1_000_000, 5_000_000)
                                       : d < 780 ? rng.int64(5_000_000, 20_000_000)
                                       : rng.int64(20_000_000, 100_000_000))
            if rng.chance(urban ? 450 : 300) { household.vehiclesValue = Money(fen: rng.int64(500_000, 30_000_000)) }
            let hv = rng.below(1000)
            household.houses = hv < 50 ? 0 : hv < 700 ? 1 : hv < 950 ? 2 : 3
            household.businessRegistered = rng.chance(80)
        }
        population.households.append(household)
    }

    /// Fills `people` with the household's make-up: relations, sexes, ages, family names.
    private mutating func composeFamily(urban: Bool) {
        people.removeAll(keepingCapacity: true)
        let k = rng.below(1000)
        // Cumulative shares of family types; the countryside has more lone and elderly households.
        let cuts = urban ? [100, 240, 360, 480, 820, 880] : [170, 330, 390, 470, 730, 770]
        let surname = pickSurname()
        if k < cuts[0] {
            // An old person living alone (more often a widow).
            people.append(Person(relation: .head, male: !rng.chance(600), age: oldAge(60, 95), surname: surname))
        } else if k < cuts[1] {
            // An elderly couple.
            let headAge = oldAge(60, 90)
            let male = rng.chance(850)
            people.append(Person(relation: .head, male: male, age: headAge, surname: surname))
            addSpouse(headAge: headAge, headMale: male)
        } else if k < cuts[2] {
            // A working-age adult alone.
            let age = rng.chance(500) ? rng.int(20, 35) : rng.int(36, 59)
            people.append(Person(relation: .head, male: rng.chance(600), age: age, surname: surname))
            if rng.chance(40) { addSibling(headAge: age, surname: surname) }
        } else if k < cuts[3] {
            // A couple without children at home.
            let age = rng.int(22, 59)
            let male = rng.chance(850)
            people.append(Person(relation: .head, male: male, age: age, surname: surname))
            addSpouse(headAge: age, headMale: male)
        } else if k < cuts[4] {
            // Parents and children.
            let age = rng.int(25, 60)
            let male = rng.chance(850)
            people.append(Person(relation: .head, male: male, age: age, surname: surname))
            addSpouse(headAge: age, headMale: male)
            let children = urban ? (rng.chance(650) ? 1 : 2) : rng.int(1, 3)
            for _ in 0..<children { addChild(headAge: age) }
        } else if k < cuts[5] {
            // One parent and children.
            let age = rng.int(25, 55)
            let male = !rng.chance(650)
            people.append(Person(relation: .head, male: male, age: age, surname: surname))
            for _ in 0..<rng.int(1, 2) { addChild(headAge: age) }
        } else if rng.chance(550) {
            // Three generations down: head, spouse, a grown child (and their spouse), grandchildren.
            let age = rng.int(50, 80)
            let male = rng.chance(850)
            people.append(Person(relation: .head, male: male, age: age, surname: surname))
            addSpouse(headAge: age, headMale: male)
            let childAge = rng.int(max(20, age - 45), age - 18)
            let childMale = rng.chance(700)
            let familyName = people[0].male ? surname : (people.count > 1 ? people[1].surname : surname)
            people.append(Person(relation: .child, male: childMale, age: childAge, surname: childMale ? familyName : pickSurname()))
            if rng.chance(600) {
                people.append(Person(relation: .other, male: !childMale, age: max(18, childAge + rng.int(-4, 4)),
                                     surname: childMale ? pickSurname() : familyName))
            }
            let grandName = childMale ? familyName : pickSurname()
            for _ in 0..<rng.int(1, 2) where childAge >= 18 + 1 {
                people.append(Person(relation: .grandchild, male: rng.chance(520),
                                     age: rng.int(max(0, childAge - 40), childAge - 19), surname: grandName))
            }
        } else {
            // Three generations up: head, spouse, children, and the head's parent(s) or grandparents.
            let age = rng.int(28, 55)
            let male = rng.chance(850)
            people.append(Person(relation: .head, male: male, age: age, surname: surname))
            addSpouse(headAge: age, headMale: male)
            for _ in 0..<rng.int(0, 2) { addChild(headAge: age) }
            if age <= 35 && rng.chance(150) {
                let grandAge = min(100, age + rng.int(42, 65))
                people.append(Person(relation: .grandparent, male: rng.chance(400), age: grandAge, surname: surname))
            } else {
                let both = rng.chance(450) && age + 22 <= 98
                let fatherAge = min(100, age + rng.int(22, 38))
                let motherAge = min(100, age + rng.int(20, 36))
                if both {
                    people.append(Person(relation: .parent, male: true, age: fatherAge, surname: male ? surname : pickSurname()))
                    people.append(Person(relation: .parent, male: false, age: motherAge, surname: pickSurname()))
                } else {
                    let father = !rng.chance(650)
                    people.append(Person(relation: .parent, male: father, age: father ? fatherAge : motherAge,
                                         surname: father && male ? surname : pickSurname()))
                }
            }
        }
        if people.count > 6 { people.removeLast(people.count - 6) }
    }

    /// 60–95 (or lo–hi), with fewer of the very old.
    private mutating func oldAge(_ lo: Int, _ hi: Int) -> Int {
        let span = hi - lo + 1
        return lo + min(rng.below(span), rng.below(span) + rng.below(6))
    }

    private mutating func addSpouse(headAge: Int, headMale: Bool) {
        let gap = headMale ? rng.int(-1, 5) : rng.int(-5, 1)
        let age = max(18, min(100, headAge - gap))
        people.append(Person(relation: .spouse, male: !headMale, age: age, surname: pickSurname()))
    }

    private mutating func addChild(headAge: Int) {
        guard headAge >= 18 else { return }
        let age = rng.int(max(0, headAge - 45), headAge - 18)
        // Children take the father's family name.
        let father = people.first(where: { ($0.relation == .head || $0.relation == .spouse) && $0.male })
        people.append(Person(relation: .child, male: rng.chance(515), age: age, surname: father?.surname ?? people[0].surname))
    }

    private mutating func addSibling(headAge: Int, surname: Int) {
        people.append(Person(relation: .sibling, male: rng.chance(500), age: max(18, headAge + rng.int(-10, 10)), surname: surname))
    }

    private mutating func pickSurname() -> Int {
        // The smaller of two draws: common surnames come up far more often.
        min(rng.below(surnameCount), rng.below(surnameCount))
    }

    private func householdID(_ number: Int) -> String {
        let digits = String(number)
        return "H" + String(repeating: "0", count: max(0, idWidth - digits.utf8.count)) + digits
    }

    // MARK: Members

    private mutating func makeMember(_ p: Person, householdID: String, county: [UInt8], urban: Bool, tier: Int, size: Int) -> Member {
        let id = idNumber(county: county, age: p.age, male: p.male)
        var m = Member(householdID: householdID, idNumber: id, name: name(p), relation: p.relation)
        let age = p.age
        let poorer = tier < 2 ? 2 : 1

        // Disability certificate: about 6% overall, more among the old and the poor.
        if rng.chance((age >= 60 ? 90 : 40) * poorer) {
            let g = rng.below(1000)
            m.disabilityGrade = g < 150 ? 1 : g < 400 ? 2 : g < 700 ? 3 : 4
            let k = rng.below(1000)
            m.disabilityKind = k < 400 ? .physical : k < 520 ? .visual : k < 640 ? .hearing : k < 680 ? .speech
                : k < 800 ? .intellectual : k < 920 ? .mental : .multiple
        }
        m.seriousIllness = rng.chance((age >= 60 ? 45 : 18) * poorer)
        if p.male && age >= 35 && rng.chance(8) { m.veteranDisabilityGrade = rng.int(1, 10) }
        m.martyrFamily = age >= 18 && rng.chance(5)
        m.demobilizedVeteran = !urban && p.male && age >= 65 && rng.chance(30)

        let severe = m.disabilityGrade == 1 || m.disabilityGrade == 2
            || (m.disabilityGrade == 3 && (m.disabilityKind == .intellectual || m.disabilityKind == .mental))
        if age < 16 || age >= 70 || severe {
            m.ableToWork = false
        } else if m.seriousIllness {
            m.ableToWork = rng.chance(200)
        } else if age >= 60 {
            m.ableToWork = rng.chance(tier == 0 ? 350 : 500)
        } else if age < 23 {
            m.ableToWork = rng.chance(550)
        } else {
            m.ableToWork = rng.chance(950)
        }

        if age < 18 {
            m.hasCapableSupporter = size > 1 || rng.chance(300)
        } else if age >= 60 || severe {
            m.hasCapableSupporter = rng.chance(size == 1 && tier == 0 ? 450 : 700)
        } else {
            m.hasCapableSupporter = !m.ableToWork && rng.chance(500)
        }

        let c = rng.below(1000)
        if m.disabilityGrade == 1 {
            m.careLevel = c < 500 ? .full : c < 800 ? .semi : .self
        } else if m.disabilityGrade == 2 || age >= 90 {
            m.careLevel = c < 150 ? .full : c < 550 ? .semi : .self
        } else if age >= 80 || m.seriousIllness {
            m.careLevel = c < 80 ? .full : c < 330 ? .semi : .self
        }
        return m
    }

    /// Incomes: ordinary households draw them person by person; poor and near-poor
    /// households get a total net income around the 低保 line, shared out.
    private mutating func incomes(_ members: inout [Member], tier: Int, standard s: Int64, urban: Bool) {
        let today = self.today
        if tier == 2 {
            for i in members.indices {
                let age = IDNumber.age(born: members[i].idNumber.birthDate, on: today)
                var work: Int64 = 0, other: Int64 = 0
                if members[i].ableToWork && age >= 16 {
                    if rng.chance(90) {
                        other = rng.int64(0, 50_000)
                    } else if age >= 60 {
                        work = rng.int64(80_000, 300_000)
                        other = rng.int64(15_000, 60_000)
                    } else {
                        work = urban ? rng.int64(250_000, 1_500_000) : rng.int64(150_000, 700_000)
                    }
                } else if age >= 60 {
                    other = urban && rng.chance(700) ? rng.int64(200_000, 600_000) : rng.int64(15_000, 200_000)
                } else if age >= 18 {
                    other = rng.int64(0, 80_000)
                }
                members[i].employmentIncome = Money(fen: work)
                members[i].monthlyIncome = Money(fen: work + other)
            }
            return
        }
        // Target net for the whole household: poor below S × n, near-poor from 0.95 to 1.6 × S × n.
        let n = Int64(members.count)
        let perMille = tier == 0 ? rng.int64(0, 950) : rng.int64(950, 1600)
        var remaining = s * n * perMille / 1000
        let workers = members.indices.filter { members[$0].ableToWork && IDNumber.age(born: members[$0].idNumber.birthDate, on: today) >= 18 }
        var lastNonWorker: Int? = nil
        for i in members.indices where !workers.contains(i) {
            let age = IDNumber.age(born: members[i].idNumber.birthDate, on: today)
            // Pensions and allowances, never more than what is left of the target.
            let amount = age >= 60 ? min(remaining, rng.int64(10_000, 40_000)) : age >= 18 ? min(remaining, rng.int64(0, 20_000)) : 0
            members[i].monthlyIncome = Money(fen: amount)
            members[i].employmentIncome = 0
            remaining -= amount
            if age >= 18 || lastNonWorker == nil { lastNonWorker = i }
        }
        if workers.isEmpty {
            if let i = lastNonWorker ?? members.indices.first {
                members[i].monthlyIncome = members[i].monthlyIncome + Money(fen: remaining)
            }
            return
        }
        for (k, i) in workers.enumerated() {
            let share = k == workers.count - 1 ? remaining : remaining / Int64(workers.count - k)
            remaining -= share
            // Work income beyond the deduction is what counts; some of it is other income.
            let work = share > 0 ? share + Self.deductionCap : rng.int64(0, Self.deductionCap)
            members[i].employmentIncome = Money(fen: work)
            members[i].monthlyIncome = Money(fen: work)
        }
    }

    /// A fresh ID number: the county's address code, a birth date `age` years before today,
    /// a sequence code odd for men and even for women, unused so far.
    private mutating func idNumber(county: [UInt8], age: Int, male: Bool) -> IDNumber {
        // Born between (today − age − 1 year, today − age]: `age` completed years today.
        let anniversary = Day(year: today.year - age, month: today.month,
                              day: min(today.day, Day.daysIn(year: today.year - age, month: today.month)))!
        var birth = Day(ordinal: anniversary.ordinal - rng.below(365))
        var sequence = rng.int(0, 499) * 2 + (male ? 1 : 2)
        if sequence > 999 { sequence = 998 }
        var tries = 0
        while true {
            for i in 0..<6 { idBytes[i] = county[i] }
            put(birth.year, width: 4, at: 6)
            put(birth.month, width: 2, at: 10)
            put(birth.day, width: 2, at: 12)
            put(sequence, width: 3, at: 14)
            var key: UInt64 = 0
            var sum = 0
            for i in 0..<17 {
                let d = Int(idBytes[i] - 48)
                key = key &* 10 &+ UInt64(d)
                sum += weights[i] * d
            }
            if usedIDs.insert(key).inserted {
                idBytes[17] = checks[sum % 11]
                break
            }
            tries += 1
            sequence += 2
            if sequence > 999 { sequence = male ? 1 : 2 }
            if tries % 499 == 0 {
                // Every sequence code of that day is taken: a day earlier (same age unless at the bound).
                birth = Day(ordinal: birth.ordinal - 1)
            }
        }
        let value = String(decoding: idBytes, as: UTF8.self)
        return IDNumber(unchecked: value, birthDate: birth, sex: male ? .male : .female)
    }

    @inline(__always)
    private mutating func put(_ value: Int, width: Int, at offset: Int) {
        var v = value
        var i = offset + width - 1
        while i >= offset {
            idBytes[i] = UInt8(48 + v % 10)
            v /= 10
            i -= 1
        }
    }

    private mutating func name(_ p: Person) -> String {
        nameBytes.removeAll(keepingCapacity: true)
        nameBytes.append(contentsOf: SyntheticNames.surnames[p.surname])
        let chars = rng.chance(350) ? 1 : 2
        for c in 0..<chars {
            let pool = c == 1 && rng.chance(300) ? SyntheticNames.neutral
                : p.male ? SyntheticNames.male : SyntheticNames.female
            nameBytes.append(contentsOf: pool[rng.below(pool.count)])
        }
        return String(decoding: nameBytes, as: UTF8.self)
    }
}
