import Foundation

/// What a payment line pays: the programmes of the policy layer that are paid monthly or by season.
public enum PaymentProgramme: String, CaseIterable, Sendable, Codable, Comparable {
    case tekun
    case dibao
    case dibaoSingle = "dibao_single"
    case lowIncome = "low_income"
    case heating
    case disabilityLiving = "disability_living"
    case disabilityCare = "disability_care"
    case orphan

    public var chineseName: String {
        switch self {
        case .tekun: return "特困人员救助供养"
        case .dibao: return "最低生活保障"
        case .dibaoSingle: return "最低生活保障（单人户施保）"
        case .lowIncome: return "低收入家庭救助"
        case .heating: return "取暖救助"
        case .disabilityLiving: return "困难残疾人生活补贴"
        case .disabilityCare: return "重度残疾人护理补贴"
        case .orphan: return "孤儿基本生活费"
        }
    }

    public static func < (a: PaymentProgramme, b: PaymentProgramme) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One line of recipients.csv (../shared/spec/recipients-csv.md): a household already paid by the
/// county when it starts on Jiuzhu.
public struct RecipientLine: Sendable, Equatable {
    public let line: Int
    public let householdID: String
    public let programme: PaymentProgramme
    public let payee: IDNumber
    public let monthlyAmount: Money
    public let firstMonth: Month
    public let nextReview: Day
    public let bankAccount: String
}

/// Reads recipients.csv: UTF-8 (BOM accepted), RFC 4180, the header exactly; every line checked.
/// Any error refuses the file; the errors name the line, the column and the rule.
public enum RecipientsCSV {
    public static let header = ["household_id", "programme", "payee_id_number", "monthly_amount_fen", "first_month", "next_review", "bank_account"]

    public static func read(_ data: Data, file: String = "recipients.csv", today: Day) throws(FeedErrors) -> [RecipientLine] {
        var body = data
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var errors: [FeedError] = []
        var lines: [RecipientLine] = []
        var seen: [String: Int] = [:]
        var sawHeader = false
        func fail(_ line: Int, _ column: String, _ rule: String) { errors.append(FeedError(line: line, column: column, rule: rule)) }
        func record(_ line: Int, _ s: inout CSVRecordSplitter) {
            guard let fields = Optional(s.fields.map { String(validating: s.bytes[$0], as: UTF8.self) }), !fields.contains(nil) else {
                fail(line, "-", "the line is not UTF-8 text")
                return
            }
            let f = fields.map { $0!.trimmingCharacters(in: .whitespaces) }
            if !sawHeader {
                sawHeader = true
                if f != header { fail(1, "-", "the header must be exactly \(header.joined(separator: ",")), found \(f.joined(separator: ","))") }
                return
            }
            if f == [""] { return }
            guard f.count == header.count else { fail(line, "-", "expected \(header.count) columns, found \(f.count)"); return }
            let before = errors.count
            if f[0].isEmpty { fail(line, "household_id", "must not be empty") }
            let programme = PaymentProgramme(rawValue: f[1])
            if programme == nil { fail(line, "programme", "must be one of \(PaymentProgramme.allCases.map(\.rawValue).joined(separator: ", ")), found '\(f[1])'") }
            var payee: IDNumber?
            do { payee = try IDNumber(validating: f[2], today: today) } catch { fail(line, "payee_id_number", error.description) }
            let amount = Int64(f[3])
            if amount == nil || amount! < 0 { fail(line, "monthly_amount_fen", "must be a whole number of fen (分), 0 or more, found '\(f[3])'") }
            var first: Month?
            do {
                let m = try Month(parsing: f[4])
                if m > today.monthOfYear { fail(line, "first_month", "is after this month (\(today.monthOfYear))") } else { first = m }
            } catch { fail(line, "first_month", "must be a month YYYY-MM, found '\(f[4])'") }
            var review: Day?
            do { review = try Day(parsing: f[5]) } catch { fail(line, "next_review", "must be a date YYYY-MM-DD, found '\(f[5])'") }
            if !(10...30).contains(f[6].utf8.count) || !f[6].utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                fail(line, "bank_account", "must be 10 to 30 digits, found '\(f[6])'")
            }
            guard errors.count == before, let programme, let payee, let amount, let first, let review else { return }
            let key = f[0] + "|" + programme.rawValue + (programme == .dibaoSingle ? "|" + payee.value : "")
            if let earlier = seen[key] {
                fail(line, "programme", "household \(f[0]) already has a \(programme.rawValue) line (line \(earlier))"
                     + (programme == .dibaoSingle ? " for this payee" : "") + ": one line per household and programme")
                return
            }
            seen[key] = line
            lines.append(RecipientLine(line: line, householdID: f[0], programme: programme, payee: payee, monthlyAmount: Money(fen: amount),
                                       firstMonth: first, nextReview: review, bankAccount: f[6]))
        }
        var splitter = CSVRecordSplitter()
        do {
            try splitter.feed(body, record)
            try splitter.finish(record)
        } catch {
            fail((error as? CSVRecordTooLong)?.line ?? 1, "-", "a record goes on past 1024 KiB: a quote is not closed")
        }
        if !sawHeader { fail(1, "-", "the file is empty") }
        if !errors.isEmpty { throw FeedErrors(file: file, errors: Array(errors.prefix(FeedCSV.errorsKept)), total: errors.count) }
        return lines
    }
}
