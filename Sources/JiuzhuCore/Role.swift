/// What a user does (岗位), which decides what they may do; where they may do it is their division.
public enum Role: String, Sendable, Codable, CaseIterable {
    case countyAdmin = "county_admin"
    case countyOfficer = "county_officer"
    case townshipOfficer = "township_officer"
    case villageAssistant = "village_assistant"
    case departmentLiaison = "department_liaison"
    case socialWorker = "social_worker"
    case auditor

    public var chineseName: String {
        switch self {
        case .countyAdmin: return "县级系统管理员"
        case .countyOfficer: return "县民政局经办人员"
        case .townshipOfficer: return "乡镇民政干部"
        case .villageAssistant: return "村级协理员"
        case .departmentLiaison: return "部门联络员"
        case .socialWorker: return "社会工作者"
        case .auditor: return "审计监督人员"
        }
    }

    /// May read households' files in their division.
    public var readsRegistry: Bool { self != .departmentLiaison }
    /// May register and change households in their division.
    public var writesRegistry: Bool { [.countyAdmin, .countyOfficer, .townshipOfficer, .villageAssistant].contains(self) }
    /// May add and change users in their division.
    public var managesUsers: Bool { self == .countyAdmin }
    /// The role belongs at county level (its division is a county, six digits).
    public var isCountyLevel: Bool { [.countyAdmin, .countyOfficer, .auditor, .departmentLiaison].contains(self) }
}

/// A department that receives referrals (转办) and whose liaison works them.
public enum Department: String, Sendable, Codable, CaseIterable {
    case medicalSecurity = "medical_security"
    case education
    case housing
    case humanResources = "human_resources"
    case disabledPersons = "disabled_persons"
    case emergency
    case civilAffairs = "civil_affairs"

    public var chineseName: String {
        switch self {
        case .medicalSecurity: return "县医疗保障局"
        case .education: return "县教育局"
        case .housing: return "县住房和城乡建设局"
        case .humanResources: return "县人力资源和社会保障局"
        case .disabledPersons: return "县残疾人联合会"
        case .emergency: return "县应急管理局"
        case .civilAffairs: return "县民政局"
        }
    }

    /// The department a specialised programme of the comprehensive assessment goes to.
    public static func receiving(_ programme: String) -> Department {
        switch programme {
        case "medical": return .medicalSecurity
        case "education": return .education
        case "housing": return .housing
        case "employment": return .humanResources
        case "disability_living", "disability_care": return .disabledPersons
        case _ where programme.hasPrefix("disaster"): return .emergency
        default: return .civilAffairs
        }
    }
}
