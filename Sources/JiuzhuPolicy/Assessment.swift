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

    enum CodingKeys: String, CodingKey {
        case programme, title, department, members, reason, citation, toVerify = "to_verify"
    }
}

/// The comprehensive assessment (综合评估) of a household for a month: the basic-living result
/// with its explanation, and every specialised programme to refer it to — what the one-window
/// intake shows the officer.
public struct Assessment: Sendable, Equatable, Codable {
    public let evaluation: Evaluation
    public let referrals: [Referral]
}

public enum ComprehensiveAssessment {
    /// Assesses a household: the pack's basic-living evaluation, then the referrals that follow from
    /// its result and its members' facts.
    public static func assess(_ record: HouseholdRecord, month: Month, pack: PolicyPack) throws(PolicyError) -> Assessment {
        let e = try ReferenceRules.evaluate(record.household, members: record.members, month: month, pack: pack)
        let p = try ReferenceParameters(pack: pack, month: month)
        return Assessment(evaluation: e, referrals: referrals(record, evaluation: e, parameters: p, pack: pack, month: month))
    }

    static func referrals(_ r: HouseholdRecord, evaluation e: Evaluation, parameters p: ReferenceParameters,
                          pack: PolicyPack, month: Month) -> [Referral] {
        let day = month.firstDay
        let members = r.members
        let ages = members.map { $0.idNumber.age(on: day) }
        var out: [Referral] = []
        let programme = e.programme
        let assisted = programme != .none
        let facts = members.map { MemberFacts($0, on: day, parameters: p) }

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

        // 教育救助 (暂行办法 第三十三至三十六条): children of assisted households, by school stage.
        if assisted {
            for (m, age) in zip(members, ages) where (3...18).contains(age) && m.relation != .head {
                let stage: String, must: Bool
                switch age {
                case 3...5: (stage, must) = ("学前教育", false)
                case 6...11: (stage, must) = ("义务教育（小学）", true)
                case 12...14: (stage, must) = ("义务教育（初中）", true)
                default: (stage, must) = ("高中阶段（普通高中、中职）", false)
                }
                let paid = programme == .tekun || programme == .dibao || programme == .dibaoSingle
                out.append(Referral(programme: "education", title: "教育救助（\(stage)）", department: "县教育局（就读学校）", members: [m.name],
                                    reason: "\(age) 岁，\(stage)阶段；" + (must && paid ? "低保、特困家庭义务教育阶段学生应当给予教育救助" : "按规定适当给予教育救助")
                                        + (m.disabilityGrade > 0 ? "；残疾儿童不能入学的可送教上门" : ""),
                                    citation: "《社会救助暂行办法》第三十三至三十六条；中办发〔2020〕18号 第9项；POLICY.md §8.3", toVerify: true))
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
                                    citation: "《社会救助暂行办法》第三十七至四十一条；潭县政办发〔2021〕11号（C、D级危房优先）；POLICY.md §8.4", toVerify: true))
            }
        }

        // 就业救助 (暂行办法 第四十二至四十五条): working-age members able to work with no work income.
        if assisted {
            let idle = zip(members, ages).filter { $0.0.ableToWork && (16...59).contains($0.1) && $0.0.employmentIncome == .zero }.map(\.0.name)
            let anyoneWorking = members.contains { $0.employmentIncome > .zero }
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
