import Foundation

/// A kind of department data (家庭经济状况核对, POLICY.md §6): who sends it and its columns. Every
/// feed is a CSV file whose first column is `id_number`; docs/feeds/ describes each with an example.
public enum FeedKind: String, Sendable, Codable, CaseIterable {
    /// 死亡 (公安、卫健): `id_number,name,date_of_death`.
    case deaths
    /// 工资收入 (人社、税务): `id_number,employer,monthly_wage_fen`.
    case wages
    /// 机动车辆 (公安交管): `id_number,plate,value_fen`.
    case vehicles
    /// 市场主体登记 (市场监管): `id_number,registration_no,business_name`.
    case business
    /// 财政供养人员 (组织、财政): `id_number,employer`.
    case publicPayroll = "public_payroll"
    /// 存款、理财 (人民银行、银行): `id_number,institution,balance_fen`.
    case deposits
    /// 残疾人证 (残联): `id_number,disability_grade,disability_kind`.
    case disability
    /// 养老金、失业保险金 (人社): `id_number,benefit,monthly_fen`.
    case pensions
    /// 不动产登记 (自然资源、住建): `id_number,property_no,use`.
    case realEstate = "real_estate"
    /// 个人所得税 (税务): `id_number,year,annual_income_fen`.
    case tax
    /// 医疗费用 (医保): `id_number,year,self_paid_fen`.
    case medicalCosts = "medical_costs"
    /// 重特大疾病 (医保、卫健): `id_number,diagnosis,since`.
    case seriousIllness = "serious_illness"
    /// 赡养、抚养、扶养费判决 (法院): `id_number,obligor_id_number,monthly_fen`.
    case supportJudgments = "support_judgments"
    /// 社会保险缴费 (人社): `id_number,insurance,contribution_base_fen` — an employee's insurance is paid on their wage.
    case socialInsurance = "social_insurance"
    /// 住房公积金缴存 (公积金中心): `id_number,contribution_base_fen,balance_fen`.
    case housingFund = "housing_fund"
    /// 优抚对象 (退役军人): `id_number,category,veteran_disability_grade`.
    case veterans
    /// 防止返贫监测对象 (乡村振兴): `id_number,monitoring_type,since`.
    case monitoredHouseholds = "monitored_households"
    /// 户籍迁出、注销 (公安): `id_number,change,date,to_division`.
    case householdRegistration = "household_registration"
    // Pushes of monitored groups (seed 002's annex, 龙岩市社会救助监测预警机制).
    /// 城乡失业登记人员、离校未就业高校毕业生 (人社): `id_number,status,since`.
    case unemployment
    /// 住房救助、农村危房改造对象 (住建): `id_number,assistance,since`.
    case housingAssistance = "housing_assistance"
    /// 农村贫困人口中慢性病患者 (卫健): `id_number,chronic_condition,since`.
    case chronicIllness = "chronic_illness"
    /// 低保、特困家庭学生被中考录取本地职业学校 (教育, 技工学校 人社): `id_number,school,since`.
    case vocationalStudents = "vocational_students"
    /// 因自然灾害住房倒塌、危房的农村住房灾后重建对象 (应急): `id_number,damage,since`.
    case disasterHousing = "disaster_housing"

    public var chineseName: String {
        switch self {
        case .deaths: return "死亡信息"
        case .wages: return "工资收入"
        case .vehicles: return "机动车辆"
        case .business: return "市场主体登记"
        case .publicPayroll: return "财政供养人员"
        case .deposits: return "存款理财"
        case .disability: return "残疾人证"
        case .pensions: return "养老金、失业保险金"
        case .realEstate: return "不动产登记"
        case .tax: return "个人所得税"
        case .medicalCosts: return "医疗费用"
        case .seriousIllness: return "重特大疾病"
        case .supportJudgments: return "赡养（抚养、扶养）费判决"
        case .socialInsurance: return "社会保险缴费"
        case .housingFund: return "住房公积金缴存"
        case .veterans: return "优抚对象"
        case .monitoredHouseholds: return "防止返贫监测对象"
        case .householdRegistration: return "户籍迁出、注销"
        case .unemployment: return "失业登记、离校未就业"
        case .housingAssistance: return "住房救助、危房改造"
        case .chronicIllness: return "慢性病患者"
        case .vocationalStudents: return "职业学校录取学生"
        case .disasterHousing: return "灾后住房重建"
        }
    }

    /// The departments that send it.
    public var departments: [String] {
        switch self {
        case .deaths: return ["公安", "卫健"]
        case .wages: return ["人社", "税务"]
        case .vehicles: return ["公安交管", "公安", "交通"]
        case .business: return ["市场监管"]
        case .publicPayroll: return ["组织", "组织部", "财政"]
        case .deposits: return ["人民银行", "银行"]
        case .disability: return ["残联"]
        case .pensions: return ["人社"]
        case .realEstate: return ["自然资源", "住建"]
        case .tax: return ["税务"]
        case .medicalCosts: return ["医保"]
        case .seriousIllness: return ["医保", "卫健"]
        case .supportJudgments: return ["法院"]
        case .socialInsurance: return ["人社"]
        case .housingFund: return ["公积金中心", "公积金", "住建"]
        case .veterans: return ["退役军人"]
        case .monitoredHouseholds: return ["乡村振兴", "扶贫", "农业农村"]
        case .householdRegistration: return ["公安"]
        case .unemployment: return ["人社"]
        case .housingAssistance: return ["住建"]
        case .chronicIllness: return ["卫健"]
        case .vocationalStudents: return ["教育", "人社"]
        case .disasterHousing: return ["应急"]
        }
    }

    /// The columns after `id_number`, in order.
    public var columns: [String] {
        switch self {
        case .deaths: return ["name", "date_of_death"]
        case .wages: return ["employer", "monthly_wage_fen"]
        case .vehicles: return ["plate", "value_fen"]
        case .business: return ["registration_no", "business_name"]
        case .publicPayroll: return ["employer"]
        case .deposits: return ["institution", "balance_fen"]
        case .disability: return ["disability_grade", "disability_kind"]
        case .pensions: return ["benefit", "monthly_fen"]
        case .realEstate: return ["property_no", "use"]
        case .tax: return ["year", "annual_income_fen"]
        case .medicalCosts: return ["year", "self_paid_fen"]
        case .seriousIllness: return ["diagnosis", "since"]
        case .supportJudgments: return ["obligor_id_number", "monthly_fen"]
        case .socialInsurance: return ["insurance", "contribution_base_fen"]
        case .housingFund: return ["contribution_base_fen", "balance_fen"]
        case .veterans: return ["category", "veteran_disability_grade"]
        case .monitoredHouseholds: return ["monitoring_type", "since"]
        case .householdRegistration: return ["change", "date", "to_division"]
        case .unemployment: return ["status", "since"]
        case .housingAssistance: return ["assistance", "since"]
        case .chronicIllness: return ["chronic_condition", "since"]
        case .vocationalStudents: return ["school", "since"]
        case .disasterHousing: return ["damage", "since"]
        }
    }

    public var header: [String] { ["id_number"] + columns }

    /// Whether a person in this data whom the registry does not know may need help (a lead for
    /// proactive discovery, 主动发现): a disability certificate or heavy medical costs do; a wage,
    /// a car or a death do not, and are only counted.
    public var signalsNeed: Bool {
        switch self {
        case .disability, .medicalCosts, .seriousIllness, .monitoredHouseholds: return true
        case .unemployment, .housingAssistance, .chronicIllness, .vocationalStudents, .disasterHousing: return true
        default: return false
        }
    }
}

/// The codes feeds use, with their Chinese names.
public enum FeedCodes {
    /// Social insurance an employee pays on their wage (the contribution base is the wage).
    public static let insurance = ["employee_pension": "职工基本养老保险", "employee_medical": "职工基本医疗保险", "unemployment": "失业保险"]
    /// 优抚对象 categories.
    public static let veteranCategory = ["disabled_veteran": "伤残军人", "martyr_family": "烈属、因公牺牲军人遗属、病故军人遗属",
                                         "demobilized_veteran": "在乡老复员军人", "other_entitled": "其他定期抚恤补助优抚对象"]
    /// 防止返贫监测对象 types (2021 national monitoring mechanism).
    public static let monitoringType = ["unstable": "脱贫不稳定户", "marginal": "边缘易致贫户", "sudden_hardship": "突发严重困难户"]
    /// Household-registration changes that take a person out of the household.
    public static let registrationChange = ["moved_out": "户籍迁出", "cancelled": "户籍注销"]
    /// 人社 registers.
    public static let unemploymentStatus = ["registered_unemployed": "城乡失业登记人员", "unemployed_graduate": "离校未就业高校毕业生"]
    /// 住建 housing help.
    public static let housingAssistance = ["housing_assistance": "住房救助", "dilapidated_renovation": "农村危房改造"]
    /// 应急: what the disaster did to the house.
    public static let disasterDamage = ["collapsed": "住房倒塌", "dangerous": "危房"]
}

/// How a feed's bytes are encoded: UTF-8 (with or without BOM) or GB18030, which includes GBK —
/// what Excel in China writes when it saves CSV.
public enum FeedEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030

    /// `gbk` and `gb2312` are read as GB18030, their superset.
    public init?(named name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gbk", "gb2312", "gb18030", "cp936": self = .gb18030
        default: return nil
        }
    }

    /// UTF-8 when the bytes are valid UTF-8 (a BOM says so too), else GB18030.
    public static func detect(_ data: Data) -> FeedEncoding {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        return String(data: data, encoding: .utf8) != nil ? .utf8 : .gb18030
    }

    static let foundationGB18030 = String.Encoding(rawValue: 0x8000_0632)

    /// One field's bytes as text (nil: not text in this encoding). ASCII reads the same in both.
    public func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        switch self {
        case .utf8: return String(validating: bytes, as: UTF8.self)
        case .gb18030:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(data: Data(bytes), encoding: Self.foundationGB18030)
        }
    }

}

/// One checked row of a feed.
public struct FeedRow: Sendable, Equatable, Codable {
    public let line: Int
    public let idNumber: IDNumber
    /// The other columns, by name, as given (amounts and dates already checked).
    public let fields: [String: String]

    public init(line: Int, idNumber: IDNumber, fields: [String: String]) {
        self.line = line
        self.idNumber = idNumber
        self.fields = fields
    }

    public func fen(_ column: String) -> Int64 { Int64(fields[column] ?? "") ?? 0 }

    enum CodingKeys: String, CodingKey { case line, idNumber = "id_number", fields }
}

public struct FeedFile: Sendable, Equatable {
    public let kind: FeedKind
    public let encoding: FeedEncoding
    public let rows: [FeedRow]
}

/// A row that breaks a rule: the line, the column and the rule.
public struct FeedError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: String
    public let rule: String
    public init(line: Int, column: String, rule: String) { self.line = line; self.column = column; self.rule = rule }
    public var description: String { "line \(line), column \(column): \(rule)" }
}

public struct FeedErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    /// The first errors (at most ``FeedCSV/errorsKept``), in line order.
    public let errors: [FeedError]
    /// How many there were in all.
    public let total: Int
    public init(file: String, errors: [FeedError], total: Int? = nil) { self.file = file; self.errors = errors; self.total = total ?? errors.count }
    public var description: String { errors.prefix(20).map { "\(file) \($0)" }.joined(separator: "\n") + (total > 20 ? "\n… and \(total - 20) more" : "") }
}

/// What a scan of a feed found: its kind, its encoding and how many rows it holds.
public struct FeedScanSummary: Sendable, Equatable {
    public let kind: FeedKind
    public let encoding: FeedEncoding
    public let rows: Int
}

/// Reads a feed: decodes it (declared or detected encoding), checks the header exactly, and each
/// row: a valid ID number, whole fen amounts, real dates, known codes. Any error refuses the file.
public enum FeedCSV {
    /// The most errors a refusal lists (it counts them all).
    public static let errorsKept = 1000
    /// How much of a file the encoding is detected from.
    static let detectionSample = 1 << 20

    /// Reads a whole feed held in memory: every row, or the errors.
    public static func read(_ data: Data, kind: FeedKind, encoding declared: FeedEncoding? = nil, file: String = "feed.csv",
                            today: Day) throws(FeedErrors) -> FeedFile {
        var rows: [FeedRow] = []
        let summary = try scan(.data(data), kind: kind, encoding: declared ?? FeedEncoding.detect(data), file: file, today: today) { _, _, row in
            rows.append(row())
        }
        return FeedFile(kind: kind, encoding: summary.encoding, rows: rows)
    }

    /// Streams a feed piece by piece, checking every row; calls `visit` with each valid row's line
    /// and ID number, and a function that builds the row (its fields are decoded only if asked for).
    /// After the last row, throws every error found (the first ``errorsKept``, and their count):
    /// a caller applies nothing until `scan` has returned.
    public static func scan(_ source: FeedSource, kind: FeedKind, encoding declared: FeedEncoding? = nil, file: String = "feed.csv",
                            today: Day, visit: (_ line: Int, _ id: IDNumber, _ row: () -> FeedRow) -> Void) throws(FeedErrors) -> FeedScanSummary {
        let encoding: FeedEncoding
        do { encoding = try declared ?? FeedEncoding.detect(sample(source)) } catch {
            throw FeedErrors(file: file, errors: [FeedError(line: 1, column: "-", rule: "the file cannot be read: \(error.localizedDescription)")])
        }
        var errors: [FeedError] = []
        var errorCount = 0
        func fail(_ line: Int, _ column: String, _ rule: String) {
            errorCount += 1
            if errors.count < errorsKept { errors.append(FeedError(line: line, column: column, rule: rule)) }
        }
        var splitter = CSVRecordSplitter()
        var sawHeader = false, headerProblem: FeedError?, firstPiece = true, rows = 0
        let columns = kind.columns
        var values = [String](repeating: "", count: columns.count)
        func record(_ line: Int, _ s: inout CSVRecordSplitter) {
            guard headerProblem == nil else { return }
            if !sawHeader {
                sawHeader = true
                let found = s.fields.map { encoding.decode(s.bytes[$0]) ?? "?" }
                if found != kind.header {
                    headerProblem = FeedError(line: 1, column: "-", rule: "the header must be exactly \(kind.header.joined(separator: ",")) for \(kind.rawValue), found \(found.joined(separator: ","))")
                }
                return
            }
            if s.fields.count == 1 && s.fields[0].isEmpty { return }   // a blank line
            guard s.fields.count == columns.count + 1 else {
                fail(line, "-", "expected \(columns.count + 1) columns, found \(s.fields.count)")
                return
            }
            var id: IDNumber?
            do { id = try IDNumber(validating: String(decoding: s.bytes[s.fields[0]], as: UTF8.self), today: today) } catch {
                fail(line, "id_number", error.description)
            }
            for (i, name) in columns.enumerated() {
                guard let text = encoding.decode(s.bytes[s.fields[i + 1]]) else {
                    fail(line, name, "is not \(encoding.rawValue) text (declare the encoding: --encoding gbk or utf-8)")
                    continue
                }
                let v = trimmed(text)
                if let rule = check(name, v, today: today) { fail(line, name, rule) }
                values[i] = v
            }
            guard let id, errorCount == 0 else { return }
            rows += 1
            visit(line, id) { FeedRow(line: line, idNumber: id, fields: Dictionary(uniqueKeysWithValues: zip(columns, values))) }
        }
        do {
            try source.forEachChunk { piece in
                var piece = piece
                if firstPiece {
                    firstPiece = false
                    if encoding == .utf8 && piece.starts(with: [0xEF, 0xBB, 0xBF]) { piece = piece.dropFirst(3) }
                }
                try splitter.feed(piece, record)
            }
            try splitter.finish(record)
        } catch let e as CSVRecordTooLong {
            fail(e.line, "-", "the record goes on past \(e.limit / 1024) KiB: a quote is not closed")
        } catch {
            throw FeedErrors(file: file, errors: [FeedError(line: 1, column: "-", rule: "the file cannot be read: \(error.localizedDescription)")])
        }
        if let headerProblem { throw FeedErrors(file: file, errors: [headerProblem]) }
        if !sawHeader { throw FeedErrors(file: file, errors: [FeedError(line: 1, column: "-", rule: "the file is empty")]) }
        if errorCount > 0 { throw FeedErrors(file: file, errors: errors, total: errorCount) }
        return FeedScanSummary(kind: kind, encoding: encoding, rows: rows)
    }

    /// The text without the white space (Unicode Zs and tab) at either end — Foundation's
    /// `trimmingCharacters(in: .whitespaces)`, asked only when an end is white space.
    static func trimmed(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        func white(_ u: Unicode.Scalar) -> Bool { u == "\t" || u.properties.generalCategory == .spaceSeparator }
        return white(first) || white(last) ? text.trimmingCharacters(in: .whitespaces) : text
    }

    /// The start of a file, cut after its last newline (so no character is cut in two).
    static func sample(_ source: FeedSource) throws -> Data {
        let head = try source.prefix(detectionSample)
        guard head.count == detectionSample, let cut = head.lastIndex(of: 0x0A) else { return head }
        return head[..<cut]
    }

    static func check(_ column: String, _ v: String, today: Day) -> String? {
        switch column {
        case let c where c.hasSuffix("_fen"):
            guard let n = Int64(v), n >= 0 else { return "must be a whole number of fen (分), 0 or more, found '\(v)'" }
        case "date_of_death", "since", "date":
            guard let d = try? Day(parsing: v) else { return "must be a date YYYY-MM-DD, found '\(v)'" }
            if d > today { return "is after today" }
        case "insurance":
            guard FeedCodes.insurance[v] != nil else { return "must be one of " + FeedCodes.insurance.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "category":
            guard FeedCodes.veteranCategory[v] != nil else { return "must be one of " + FeedCodes.veteranCategory.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "veteran_disability_grade":
            guard let g = Int(v), (0...10).contains(g) else { return "must be 0 (none) or a grade 1–10, found '\(v)'" }
        case "monitoring_type":
            guard FeedCodes.monitoringType[v] != nil else { return "must be one of " + FeedCodes.monitoringType.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "status":
            guard FeedCodes.unemploymentStatus[v] != nil else { return "must be one of " + FeedCodes.unemploymentStatus.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "assistance":
            guard FeedCodes.housingAssistance[v] != nil else { return "must be one of " + FeedCodes.housingAssistance.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "damage":
            guard FeedCodes.disasterDamage[v] != nil else { return "must be one of " + FeedCodes.disasterDamage.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "change":
            guard FeedCodes.registrationChange[v] != nil else { return "must be one of " + FeedCodes.registrationChange.keys.sorted().joined(separator: ", ") + ", found '\(v)'" }
        case "to_division":
            if !v.isEmpty, (try? DivisionCode(v)) == nil { return "must be a division code (6, 9 or 12 digits) or empty, found '\(v)'" }
        case "disability_grade":
            guard let g = Int(v), (1...4).contains(g) else { return "must be 1–4, found '\(v)'" }
        case "disability_kind":
            guard let k = DisabilityKind(rawValue: v), k != .none else { return "must be one of physical, visual, hearing, speech, intellectual, mental, multiple" }
        case "name", "employer", "institution", "business_name", "registration_no", "plate", "property_no", "diagnosis", "chronic_condition", "school":
            if v.isEmpty { return "must not be empty" }
        case "benefit":
            guard ["basic_pension", "pension", "unemployment_benefit"].contains(v) else { return "must be basic_pension, pension or unemployment_benefit, found '\(v)'" }
        case "use":
            guard ["residential", "commercial", "other"].contains(v) else { return "must be residential, commercial or other, found '\(v)'" }
        case "year":
            guard let y = Int(v), (2000...today.year).contains(y) else { return "must be a year from 2000 to \(today.year), found '\(v)'" }
        case "obligor_id_number":
            do { _ = try IDNumber(validating: v, today: today) } catch { return error.description }
        default: break
        }
        return nil
    }

    /// The kind of a feed, from its header line (nil: no known format).
    /// Only the header's bytes are decoded: a newline byte ends a line in UTF-8 and GB18030 alike.
    public static func kind(of data: Data, encoding: FeedEncoding? = nil) -> FeedKind? {
        var header = Data(data.prefix(while: { $0 != 0x0A }))
        let e = encoding ?? FeedEncoding.detect(header)
        if e == .utf8 && header.starts(with: [0xEF, 0xBB, 0xBF]) { header = header.dropFirst(3) }
        var first: [String]?
        var splitter = CSVRecordSplitter()
        try? splitter.feed(header) { _, s in first = first ?? s.fields.map { e.decode(s.bytes[$0]) ?? "?" } }
        try? splitter.finish { _, s in first = first ?? s.fields.map { e.decode(s.bytes[$0]) ?? "?" } }
        return FeedKind.allCases.first { $0.header == first }
    }
}
