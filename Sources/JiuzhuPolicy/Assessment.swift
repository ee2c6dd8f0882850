import JiuzhuCore

/// A specialised programme the household (or some of its members) should be referred to, and why.
public struct Referral: Sendable, Equatable, Codable {
    /// `medical`, `education`, `housing`, `employment`, `heating`, `disability_living`, `disability_care`.
    public let programme: String
    public let title: String
    /// The department that decides it.
    public let department: String
    /// The members concerned (empty: the whole household).
    public let members: [String]
    public let reason: String
    public let citation: String
    /// The facts the registry holds are not enough: the department must check something first.
    public let toVerify: Bool
    /// The monthly (or one-off, as `reason` says) amount the pack gives, when it gives one.
    public let amountFen: Int64?
    /// The pack parameters behind the amount, with their dates and citations.
    public let parameters: [ParameterUse]

    public init(programme: String, title: String, department: String, members: [String], reason: String, citation: String,
                toVerify: Bool, amountFen: Int64? = nil, parameters: [ParameterUse] = []) {
        self.programme = programme
        self.title = title
        self.department = department
        self.members = members
        self.reason = reason
        self.citation = citation
        self.toVerify = toVerify
        self.amountFen = amountFen
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case programme, title, department, members, reason, citation, toVerify = "to_verify", amountFen = "amount_fen", parameters
    }
}

/// The comprehensive assessment (综合评估) of a household for a month: the basic-living result
/// with its explanation, and every specialised programme to refer it to — what the one-window
/// intake shows the officer.
public struct Assessment: Sendable, Equatable, Codable {
    public let evaluation: Evaluation
    /// 渐退期, when the household had 低保 before this month.
    public let gradualExit: GradualExit.Decision?
    /// 低保积分制, where the pack has one (元江).
    public let points: DibaoPoints.Result?
    public let referrals: [Referral]

    enum CodingKeys: String, CodingKey { case evaluation, gradualExit = "gradual_exit", points, referrals }
}

public enum ComprehensiveAssessment {
    /// Assesses a household: the pack's basic-living evaluation, then the referrals that follow from
    /// its result and its members' facts.
    public static func assess(_ record: HouseholdRecord, circumstances: Circumstances = .none, month: Month,
                              pack: PolicyPack) throws(PolicyError) -> Assessment {
        let e = try BasicLivingRules.evaluate(record, circumstances: circumstances, month: month, pack: pack)
        let p = try ReferenceParameters(pack: pack, month: month)
        var exit: GradualExit.Decision?
        if let previous = circumstances.previous {
            guard let programme = Programme(rawValue: previous.programme) else {
                throw PolicyError(pack: pack.id, "circumstances.previous.programme: must be one of " + Programme.allCases.map(\.rawValue).joined(separator: ", "))
            }
            exit = try GradualExit.decide(previous: (programme, Money(fen: previous.benefitFen)), current: e, becauseOfWork: previous.riseFromWork,
                                          monthsAlreadyInExit: previous.exitMonthsPaid, pack: pack)
        }
        let view = try BasicLivingRules.householdView(record, circumstances: circumstances, month: month, pack: pack)
        let points = try DibaoPoints.score(view, circumstances: circumstances, evaluation: e, month: month, pack: pack)
        var referrals = referrals(view, circumstances: circumstances, evaluation: e, parameters: p, pack: pack, month: month)
        referrals = try withAmounts(referrals, view, circumstances: circumstances, evaluation: e, pack: pack, month: month)
        return Assessment(evaluation: e, gradualExit: exit, points: points, referrals: referrals)
    }

    static func referrals(_ r: HouseholdRecord, circumstances c: Circumstances = .none, evaluation e: Evaluation,
                          parameters p: ReferenceParameters, pack: PolicyPack, month: Month) -> [Referral] {
        let day = month.firstDay
        let members = r.members
        let ages = members.map { $0.idNumber.age(on: day) }
        var out: [Referral] = []
        let programme = e.programme
        let assisted = programme != .none
        let facts = members.map { MemberFacts($0, on: day, parameters: p, extra: MemberCategory.from(c.of($0.idNumber).conditions)) }

        // 医疗救助 (国办发〔2021〕42号): by the group the household falls in.
        let medical: [Programme: (group: String, members: [String], reason: String)] = [
            .tekun: ("特困人员", members.map(\.name), "特困人员属医疗救助第一类对象：参保个人缴费全额资助，原则上取消起付标准，政策范围内费用救助比例不低于70%"),
            .dibao: ("低保对象", members.map(\.name), "低保家庭成员属医疗救助第二类对象：参保定额资助，原则上取消起付标准，救助比例不低于70%"),
            .dibaoSingle: ("单人户施保对象", zip(members, facts).filter { $0.1.isInclusion }.map(\.0.name),
                           "单独纳入低保的成员属医疗救助第二类对象；其他家庭成员属低保边缘（第三类）"),
            .lowIncome: ("低保边缘家庭", members.map(\.name), "低保边缘家庭成员属医疗救助第三类对象（起付标准约为上年人均可支配收入的10%）"),
        ]
        if let m = medical[programme] {
            out.append(Referral(programme: "medical", title: "医疗救助（\(m.group)）", department: "县医疗保障局", members: m.members,
                                reason: m.reason, citation: "国办发〔2021〕42号；POLICY.md §8.2", toVerify: false))
        } else if case let ill = members.filter(\.seriousIllness).map(\.name), !ill.isEmpty {
            out.append(Referral(programme: "medical", title: "医疗救助（因病致贫重病患者）", department: "县医疗保障局", members: ill,
                                reason: "有重病成员但不属低保、特困、低保边缘：如自付医疗费用过高致基本生活困难，可认定为因病致贫重病患者（需核查费用）",
                                citation: "国办发〔2021〕42号（第四类对象）；POLICY.md §8.2", toVerify: true))
        }

        // 教育救助 (暂行办法 第三十三至三十六条): children of assisted households, by school stage — the
        // recorded stage where the circumstances give one, else the stage of the child's age.
        if assisted {
            for (m, age) in zip(members, ages) {
                let recorded = c.of(m.idNumber).school
                let byAge = (3...18).contains(age) && m.relation != .head
                guard recorded != .none || byAge else { continue }
                let stage: String, must: Bool
                switch (recorded, age) {
                case (.preschool, _): (stage, must) = ("学前教育", false)
                case (.primary, _): (stage, must) = ("义务教育（小学）", true)
                case (.junior, _): (stage, must) = ("义务教育（初中）", true)
                case (.seniorHigh, _), (.secondaryVocational, _): (stage, must) = ("高中阶段（\(recorded.chineseName)）", false)
                case (.undergraduate, _), (.postgraduate, _): (stage, must) = ("高等教育（\(recorded.chineseName)）", false)
                case (.none, 3...5): (stage, must) = ("学前教育", false)
                case (.none, 6...11): (stage, must) = ("义务教育（小学）", true)
                case (.none, 12...14): (stage, must) = ("义务教育（初中）", true)
                default: (stage, must) = ("高中阶段（普通高中、中职）", false)
                }
                let paid = programme == .tekun || programme == .dibao || programme == .dibaoSingle
                out.append(Referral(programme: "education", title: "教育救助（\(stage)）", department: "县教育局（就读学校）", members: [m.name],
                                    reason: "\(age) 岁，\(stage)阶段" + (recorded == .none ? "（按年龄推定）" : "（在读）") + "；"
                                        + (must && paid ? "低保、特困家庭义务教育阶段学生应当给予教育救助" : "按规定适当给予教育救助")
                                        + (m.disabilityGrade > 0 ? "；残疾儿童不能入学的可送教上门" : ""),
                                    citation: "《社会救助暂行办法》第三十三至三十六条；中办发〔2020〕18号 第9项；POLICY.md §8.3", toVerify: recorded == .none))
            }
        }

        // 住房救助 (暂行办法 第三十七至四十一条): no home of their own, or a rural house to check.
        if programme == .dibao || programme == .tekun || programme == .dibaoSingle || programme == .lowIncome {
            if r.household.houses == 0 {
                out.append(Referral(programme: "housing", title: "住房救助（公租房或租赁补贴）", department: "县住房和城乡建设局", members: [],
                                    reason: "家庭无自有住房：可按规定配租公共租赁住房或发放住房租赁补贴",
                                    citation: "《社会救助暂行办法》第三十七至四十一条；国办发〔2023〕39号；POLICY.md §8.4", toVerify: true))
            } else if r.household.hukouType == .rural {
                out.append(Referral(programme: "housing", title: "住房救助（农村危房改造）", department: "县住房和城乡建设局", members: [],
                                    reason: "农村困难家庭有自有住房：应鉴定住房安全等级，C、D级危房优先纳入农村危房改造",
                                    citation: "《社会救助暂行办法》第三十七至四十一条；POLICY.md §8.4", toVerify: true))
            }
        }

        // 就业救助 (暂行办法 第四十二至四十五条): working-age members able to work with no work income.
        // Work is wage income, or business income where the circumstances itemise income.
        func works(_ m: Member) -> Bool {
            m.employmentIncome > .zero || (c.of(m.idNumber).incomes?.contains { ($0.kind == .wage || $0.kind == .business) && $0.fen > 0 } ?? false)
        }
        if assisted {
            let idle = zip(members, ages).filter {
                $0.0.ableToWork && (16...59).contains($0.1) && !works($0.0) && c.of($0.0.idNumber).school == .none
            }.map(\.0.name)
            let anyoneWorking = members.contains { works($0) }
            if !idle.isEmpty {
                out.append(Referral(programme: "employment", title: anyoneWorking ? "就业救助" : "就业救助（零就业家庭）", department: "县人力资源和社会保障局",
                                    members: idle,
                                    reason: (anyoneWorking ? "有劳动能力、处于劳动年龄而无工作收入的成员" : "家庭中无人就业：按零就业家庭优先安置，可安排公益性岗位")
                                        + "；提供职业介绍、技能培训、就业补贴等帮扶",
                                    citation: "《社会救助暂行办法》第四十二至四十五条", toVerify: false))
            }
        }

        // 取暖救助: where the pack provides it (双鸭山).
        if let groups = pack.parameters["heating_assistance_groups"]?.value(on: day), case .names(let names) = groups.value,
           names.contains(programme.rawValue) {
            out.append(Referral(programme: "heating", title: "取暖救助", department: "县（区）民政局", members: [],
                                reason: "\(programme.chineseName)家庭按户发放取暖救助（标准由市、县（区）确定）",
                                citation: pack.parameters["heating_assistance_groups"]!.citation, toVerify: false))
        }

        // 残疾人两项补贴: living subsidy for disabled members of assisted households; care subsidy for grades 1–2.
        let disabled = members.filter { $0.disabilityGrade > 0 }
        if assisted && !disabled.isEmpty {
            out.append(Referral(programme: "disability_living", title: "困难残疾人生活补贴", department: "县残疾人联合会（民政局）",
                                members: disabled.map(\.name), reason: "低保、特困或低收入家庭中的持证残疾人",
                                citation: "国发〔2015〕52号（困难残疾人生活补贴和重度残疾人护理补贴，待核定）", toVerify: false))
        }
        let severe = members.filter { (1...2).contains($0.disabilityGrade) }
        if !severe.isEmpty {
            out.append(Referral(programme: "disability_care", title: "重度残疾人护理补贴", department: "县残疾人联合会（民政局）",
                                members: severe.map(\.name), reason: "一、二级残疾人（不以家庭经济困难为条件）",
                                citation: "国发〔2015〕52号（待核定）", toVerify: false))
        }
        return out
    }
}

extension ComprehensiveAssessment {
    /// The amounts the pack gives for the referrals that have one, and the referrals that follow from
    /// the household's circumstances: orphan support, funeral assistance, disaster relief.
    static func withAmounts(_ referrals: [Referral], _ r: HouseholdRecord, circumstances c: Circumstances, evaluation e: Evaluation,
                            pack: PolicyPack, month: Month) throws(PolicyError) -> [Referral] {
        let day = month.firstDay
        let reader = PackReader(pack: pack, needs: "the referral's amount needs")
        /// A parameter in force that month, or nil when the pack has none (yet).
        func inForce(_ name: String) -> Bool { pack.parameters[name]?.value(on: day) != nil }
        func money(_ name: String) throws(PolicyError) -> (Money, ParameterUse)? {
            guard inForce(name) else { return nil }
            return try reader.money(name, on: day)
        }
        var out: [Referral] = []
        for ref in referrals {
            switch ref.programme {
            case "disability_living":
                if let (amount, use) = try money("disability_living_subsidy") {
                    let total = amount * Int64(ref.members.count)
                    out.append(ref.with(amount: total, reason: ref.reason + "；每人每月 \(amount) × \(ref.members.count) 人 = \(total)", uses: [use]))
                    continue
                }
            case "disability_care":
                if let (g1, u1) = try money("disability_care_subsidy_grade1"), let (g2, u2) = try money("disability_care_subsidy_grade2") {
                    let grades = r.members.filter { ref.members.contains($0.name) }.map(\.disabilityGrade)
                    let ones = Int64(grades.filter { $0 == 1 }.count), twos = Int64(grades.filter { $0 == 2 }.count)
                    let total = g1 * ones + g2 * twos
                    out.append(ref.with(amount: total, reason: ref.reason + "；一级每人每月 \(g1) × \(ones) + 二级 \(g2) × \(twos) = \(total)", uses: [u1, u2]))
                    continue
                }
            case "heating":
                if let (amount, use) = try money("heating_assistance_amount") {
                    out.append(ref.with(amount: amount, reason: ref.reason + "；每户每个采暖期 \(amount)", uses: [use]))
                    continue
                }
            default: break
            }
            out.append(ref)
        }

        // 孤儿、事实无人抚养儿童基本生活保障.
        let children = r.members.filter { !c.of($0.idNumber).conditions.isDisjoint(with: [.orphan, .unsupportedChild]) }
        if !children.isEmpty {
            let names = children.map(\.name)
            if let (amount, use) = try money("orphan_allowance") {
                let total = amount * Int64(children.count)
                out.append(Referral(programme: "orphan", title: "孤儿、事实无人抚养儿童基本生活保障", department: "县民政局（儿童福利）", members: names,
                                    reason: "经认定的孤儿或事实无人抚养儿童：按月发放基本生活费，每人每月 \(amount) × \(children.count) 人 = \(total)"
                                        + (e.programme == .tekun ? "；选择孤儿保障的不再认定为特困人员（43号 第九条）" : ""),
                                    citation: use.citation, toVerify: false, amountFen: total.fen, parameters: [use]))
            } else {
                out.append(Referral(programme: "orphan", title: "孤儿、事实无人抚养儿童基本生活保障", department: "县民政局（儿童福利）", members: names,
                                    reason: "经认定的孤儿或事实无人抚养儿童：按月发放基本生活费（本包未给标准）",
                                    citation: "国办发〔2010〕54号；民发〔2019〕62号", toVerify: false))
            }
        }

        // 殡葬救助: a member of a 低保 or 特困 household died.
        if c.recentDeath && (e.programme == .tekun || e.programme == .dibao || e.programme == .dibaoSingle) {
            var reason = "低保、特困家庭成员身故：减免基本殡葬服务费用"
            var uses: [ParameterUse] = []
            if inForce("funeral_waiver_items") {
                let (v, use) = try reader.get("funeral_waiver_items", .list, on: day)
                if case .names(let items) = v { reason += "（\(items.count) 项：\(use.value)）" }
                uses.append(use)
            } else if inForce("funeral_waiver_items_count") {
                let (v, use) = try reader.get("funeral_waiver_items_count", .count, on: day)
                if case .integer(let n) = v { reason += "（\(n) 项基本费用）" }
                uses.append(use)
            }
            out.append(Referral(programme: "funeral", title: "殡葬救助（基本殡葬服务费用减免）", department: "县民政局（殡仪馆）", members: [],
                                reason: reason, citation: uses.first?.citation ?? "《社会救助暂行办法》；中办发〔2020〕18号", toVerify: false, parameters: uses))
        }

        // 受灾人员救助: transition living relief for the displaced, and housing.
        if let d = c.disaster {
            if d.displacedPeople > 0, let (daily, use) = try money("disaster_transition_daily") {
                let days = Int64(Day.daysIn(year: month.year, month: month.month))
                let total = daily * Int64(d.displacedPeople) * days
                var uses = [use]
                var months = ""
                if inForce("disaster_transition_months") {
                    let (v, u) = try reader.get("disaster_transition_months", .months, on: day)
                    if case .integer(let m) = v { months = "，一般不超过 \(m) 个月" }
                    uses.append(u)
                }
                out.append(Referral(programme: "disaster_transition", title: "受灾人员过渡期生活救助", department: "县应急管理局", members: [],
                                    reason: "因灾无房可住、生活困难 \(d.displacedPeople) 人：每人每天 \(daily) × \(d.displacedPeople) 人 × 本月 \(days) 天 = \(total)" + months,
                                    citation: use.citation, toVerify: true, amountFen: total.fen, parameters: uses))
            }
            if d.house != .none, let (amount, use) = try money(d.house == .collapsed ? "disaster_house_rebuild" : "disaster_house_repair") {
                out.append(Referral(programme: "disaster_housing", title: d.house == .collapsed ? "因灾倒损住房恢复重建" : "因灾损坏住房维修",
                                    department: "县应急管理局、县住房和城乡建设局", members: [],
                                    reason: "住房\(d.house.chineseName)：每户 \(amount)", citation: use.citation, toVerify: true,
                                    amountFen: amount.fen, parameters: [use]))
            }
            if [12, 1, 2, 3, 4, 5].contains(month.month) {
                out.append(Referral(programme: "disaster_winter_spring", title: "冬春临时生活困难救助", department: "县应急管理局", members: [],
                                    reason: "受灾家庭在冬春期间（12 月至次年 5 月）口粮、衣被、取暖等基本生活困难的，纳入冬春救助（按人分配，数额由县确定）",
                                    citation: "《自然灾害救助条例》第二十条；POLICY.md §8.1", toVerify: true))
            }
        }
        return out
    }
}

extension Referral {
    func with(amount: Money, reason: String, uses: [ParameterUse]) -> Referral {
        Referral(programme: programme, title: title, department: department, members: members, reason: reason, citation: citation,
                 toVerify: toVerify, amountFen: amount.fen, parameters: uses)
    }
}
