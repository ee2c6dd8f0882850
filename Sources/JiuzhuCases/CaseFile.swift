import Foundation
import JiuzhuCore
import JiuzhuPolicy

/// What an application asks for. The basic-living programmes go through the full procedure of
/// 民发〔2021〕57号 / 43号 here; the others are received at the same window and referred.
public enum CaseProgramme: String, Sendable, Codable, CaseIterable {
    case dibao, tekun
    case lowIncome = "low_income"
    // Specialised programmes: received at the same window and referred to their department.
    case medical, education, housing, employment
    case disabilityLiving = "disability_living"
    case disabilityCare = "disability_care"
    case orphan, funeral, heating
    case disasterRelief = "disaster_relief"

    public var chineseName: String {
        switch self {
        case .dibao: return "最低生活保障"
        case .tekun: return "特困人员救助供养"
        case .lowIncome: return "低保边缘（低收入）家庭认定"
        case .medical: return "医疗救助"
        case .education: return "教育救助"
        case .housing: return "住房救助"
        case .employment: return "就业救助"
        case .disabilityLiving: return "困难残疾人生活补贴"
        case .disabilityCare: return "重度残疾人护理补贴"
        case .orphan: return "孤儿、事实无人抚养儿童基本生活保障"
        case .funeral: return "殡葬救助"
        case .heating: return "取暖救助"
        case .disasterRelief: return "受灾人员救助"
        }
    }

    /// Decided by civil affairs through the procedure (低保, 特困, 低收入); the rest go to a department.
    public var isBasicLiving: Bool { self == .dibao || self == .tekun || self == .lowIncome }

    /// The referral programme key of a specialised application.
    public var referralProgramme: String { self == .disasterRelief ? "disaster_transition" : rawValue }
}

/// Where a case is in its procedure.
public enum CaseState: String, Sendable, Codable, CaseIterable {
    /// 受理: received at the township window.
    case received
    /// 调查核实: home visit and information check.
    case investigating
    /// 初审意见 proposed, not yet publicly noticed.
    case proposed
    /// 公示 running.
    case publicNotice = "public_notice"
    /// 公示 drew objections: re-investigate or hold 民主评议.
    case objected
    /// Waiting for the decision (审核确认) by the county, or the township where delegated.
    case awaitingDecision = "awaiting_decision"
    /// Approved and enrolled: the benefit runs from `benefitFrom`.
    case enrolled
    /// Refused; the written notice with reasons is due.
    case refused
    /// Refused and the applicant notified.
    case closed
    case withdrawn
    /// A specialised programme: passed to its department (the referral carries it on).
    case referred

    public var chineseName: String {
        switch self {
        case .received: return "已受理"
        case .investigating: return "调查核实中"
        case .proposed: return "已提出初审意见"
        case .publicNotice: return "公示中"
        case .objected: return "公示有异议"
        case .awaitingDecision: return "待审核确认"
        case .enrolled: return "已确认纳入"
        case .refused: return "不予确认（待书面告知）"
        case .closed: return "已办结"
        case .withdrawn: return "已撤回"
        case .referred: return "已转相关部门办理"
        }
    }

    public var isFinal: Bool { self == .enrolled || self == .closed || self == .withdrawn || self == .referred }
}

/// A required material (申请材料) and whether it is in the file.
public struct Material: Sendable, Codable, Equatable {
    public let key: String
    public let title: String
    public var provided: Bool
}

/// A deadline of the procedure, counted in working days (or calendar days where the rule says so).
public struct Deadline: Sendable, Codable, Equatable {
    public let key: String
    public let title: String
    public let due: Day
    /// When it was met; nil while open.
    public var met: Day?
    /// The rule and its source.
    public let basis: String
    /// The count ran into a year whose State Council holiday notice is not loaded: weekends only,
    /// to be recounted when the notice is added.
    public let provisional: Bool

    public init(key: String, title: String, due: Day, met: Day?, basis: String, provisional: Bool) {
        self.key = key
        self.title = title
        self.due = due
        self.met = met
        self.basis = basis
        self.provisional = provisional
    }
}

/// The home visit (入户调查): at least the pack's number of investigators.
public struct HomeVisit: Sendable, Codable, Equatable {
    public let on: Day
    public let investigators: [String]
    public let findings: String
    /// A county officer's visit (required for applications by relatives of staff).
    public let byCounty: Bool

    public init(on: Day, investigators: [String], findings: String, byCounty: Bool = false) {
        self.on = on
        self.investigators = investigators
        self.findings = findings
        self.byCounty = byCounty
    }

    enum CodingKeys: String, CodingKey {
        case on, investigators, findings, byCounty = "by_county"
    }
}

/// A result of the information check (信息核对), entered by hand until department feeds arrive.
public struct CheckResult: Sendable, Codable, Equatable {
    public let department: String
    public let finding: String
    /// The finding contradicts what the household declared.
    public let discrepancy: Bool

    public init(department: String, finding: String, discrepancy: Bool) {
        self.department = department
        self.finding = finding
        self.discrepancy = discrepancy
    }
}

/// The township's preliminary opinion (初审意见), with the assessment it rests on.
public struct Opinion: Sendable, Codable, Equatable {
    public let eligible: Bool
    public let programme: String
    public let benefitFen: Int64
    public let reason: String
    public let on: Day

    enum CodingKeys: String, CodingKey {
        case eligible, programme, benefitFen = "benefit_fen", reason, on
    }
}

/// The public notice (公示) and what it drew.
public struct PublicNotice: Sendable, Codable, Equatable {
    public let from: Day
    /// The last day of the notice (calendar days).
    public let through: Day
    public var objections: [String]
}

/// 民主评议: held only when the notice drew objections.
public struct CommunityReview: Sendable, Codable, Equatable {
    public let on: Day
    public let participants: Int
    public let outcome: String

    public init(on: Day, participants: Int, outcome: String) {
        self.on = on
        self.participants = participants
        self.outcome = outcome
    }
}

/// The decision (审核确认).
public struct CaseDecision: Sendable, Codable, Equatable {
    public let approved: Bool
    public let on: Day
    public let by: String
    /// Who decides under the pack: county or township.
    public let level: String
    public let programme: String
    public let benefitFen: Int64
    public let reasons: String
    /// The first month paid (the month after the decision), when approved.
    public let benefitFrom: Month?
    /// The assessment the decision rests on, with the facts of its day: it can be explained again
    /// whatever changes afterwards.
    public let assessment: Assessment?

    enum CodingKeys: String, CodingKey {
        case approved, on, by, level, programme, benefitFen = "benefit_fen", reasons, benefitFrom = "benefit_from", assessment
    }
}

/// The whole case file (案卷).
public struct CaseFile: Sendable, Codable, Equatable {
    public let number: String
    public let householdID: String
    public let division: DivisionCode
    public let programme: CaseProgramme
    public var state: CaseState
    public var version: Int
    public let pack: String
    public let receivedOn: Day
    /// 首问负责: the official who received it and answers for it.
    public let receivedBy: String
    public let applicant: IDNumber
    /// A written proxy (委托), when someone else applied for the household.
    public let proxy: String?
    /// 家庭经济状况核对授权 signed.
    public var consentToVerification: Bool
    /// A member is a near relative of social-assistance staff or of a village committee member:
    /// registered separately, and the county must visit.
    public let relativeOfStaff: Bool
    public var materials: [Material]
    /// What the window showed: every programme the household may qualify for, and why.
    public let assessment: Assessment
    public var deadlines: [Deadline]
    public var homeVisits: [HomeVisit]
    public var checks: [CheckResult]
    public var opinion: Opinion?
    public var notices: [PublicNotice]
    public var reviews: [CommunityReview]
    public var decision: CaseDecision?
    public var refusalNotifiedOn: Day?
    /// The procedure's total time may run to the extended limit (objections, cross-region, …).
    public var extended: Bool

    /// The materials still missing: what the one-time notice (一次性告知) lists.
    public var missingMaterials: [Material] { materials.filter { !$0.provided } }

    /// The earliest open deadline.
    public var nextDue: Day? { deadlines.filter { $0.met == nil }.map(\.due).min() }

    enum CodingKeys: String, CodingKey {
        case number, householdID = "household_id", division = "division_code", programme, state, version, pack
        case receivedOn = "received_on", receivedBy = "received_by", applicant = "applicant_id_number", proxy
        case consentToVerification = "consent_to_verification", relativeOfStaff = "relative_of_staff", materials, assessment, deadlines
        case homeVisits = "home_visits", checks, opinion, notices = "public_notices", reviews = "community_reviews", decision
        case refusalNotifiedOn = "refusal_notified_on", extended
    }
}
