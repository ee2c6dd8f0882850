import FluentKit
import Foundation
import JiuzhuCore

/// Stored household row. Fluent models stay at the edge: map to `Household` at once.
final class HouseholdModel: Model, @unchecked Sendable {
    static let schema = "households"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    @Field(key: "division_code") var divisionCode: String
    @Field(key: "hukou_type") var hukouType: String
    @Field(key: "deposits_fen") var depositsFen: Int64
    @Field(key: "vehicles_value_fen") var vehiclesValueFen: Int64
    @Field(key: "disability_vehicle") var disabilityVehicle: Bool
    @Field(key: "houses") var houses: Int64
    @Field(key: "business_registered") var businessRegistered: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(_ h: Household) {
        householdID = h.householdID
        apply(h)
    }

    func apply(_ h: Household) {
        countyCode = h.countyCode.digits
        divisionCode = h.divisionCode.digits
        hukouType = h.hukouType.rawValue
        depositsFen = h.deposits.fen
        vehiclesValueFen = h.vehiclesValue.fen
        disabilityVehicle = h.disabilityVehicle
        houses = h.houses
        businessRegistered = h.businessRegistered
    }

    func domain() throws -> Household {
        guard let hukou = HukouType(rawValue: hukouType) else { throw StoreError.corrupt("households.hukou_type", hukouType) }
        let code: DivisionCode
        do { code = try DivisionCode(divisionCode) } catch { throw StoreError.corrupt("households.division_code", divisionCode) }
        return Household(householdID: householdID, divisionCode: code, hukouType: hukou, deposits: Money(fen: depositsFen),
                         vehiclesValue: Money(fen: vehiclesValueFen), disabilityVehicle: disabilityVehicle, houses: houses,
                         businessRegistered: businessRegistered)
    }
}

/// Stored member row.
final class MemberModel: Model, @unchecked Sendable {
    static let schema = "members"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    @Field(key: "id_number") var idNumber: String
    @Field(key: "name") var name: String
    @Field(key: "relation") var relation: String
    @Field(key: "disability_grade") var disabilityGrade: Int64
    @Field(key: "disability_kind") var disabilityKind: String
    @Field(key: "serious_illness") var seriousIllness: Bool
    @Field(key: "veteran_disability_grade") var veteranDisabilityGrade: Int64
    @Field(key: "martyr_family") var martyrFamily: Bool
    @Field(key: "demobilized_veteran") var demobilizedVeteran: Bool
    @Field(key: "able_to_work") var ableToWork: Bool
    @Field(key: "has_capable_supporter") var hasCapableSupporter: Bool
    @Field(key: "care_level") var careLevel: String
    @Field(key: "monthly_income_fen") var monthlyIncomeFen: Int64
    @Field(key: "employment_income_fen") var employmentIncomeFen: Int64
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(_ m: Member, countyCode: DivisionCode) {
        apply(m, countyCode: countyCode)
    }

    func apply(_ m: Member, countyCode: DivisionCode) {
        householdID = m.householdID
        self.countyCode = countyCode.digits
        idNumber = m.idNumber.value
        name = m.name
        relation = m.relation.rawValue
        disabilityGrade = Int64(m.disabilityGrade)
        disabilityKind = m.disabilityKind.rawValue
        seriousIllness = m.seriousIllness
        veteranDisabilityGrade = Int64(m.veteranDisabilityGrade)
        martyrFamily = m.martyrFamily
        demobilizedVeteran = m.demobilizedVeteran
        ableToWork = m.ableToWork
        hasCapableSupporter = m.hasCapableSupporter
        careLevel = m.careLevel.rawValue
        monthlyIncomeFen = m.monthlyIncome.fen
        employmentIncomeFen = m.employmentIncome.fen
    }

    func domain() throws -> Member {
        guard let rel = Relation(rawValue: relation) else { throw StoreError.corrupt("members.relation", relation) }
        guard let kind = DisabilityKind(rawValue: disabilityKind) else { throw StoreError.corrupt("members.disability_kind", disabilityKind) }
        guard let care = CareLevel(rawValue: careLevel) else { throw StoreError.corrupt("members.care_level", careLevel) }
        let id: IDNumber
        do { id = try IDNumber(validating: idNumber, today: Day(year: 9999, month: 12, day: 31)!) } catch {
            throw StoreError.corrupt("members.id_number", idNumber)
        }
        return Member(householdID: householdID, idNumber: id, name: name, relation: rel,
                      disabilityGrade: Int(disabilityGrade), disabilityKind: kind, seriousIllness: seriousIllness,
                      veteranDisabilityGrade: Int(veteranDisabilityGrade), martyrFamily: martyrFamily,
                      demobilizedVeteran: demobilizedVeteran, ableToWork: ableToWork,
                      hasCapableSupporter: hasCapableSupporter, careLevel: care,
                      monthlyIncome: Money(fen: monthlyIncomeFen), employmentIncome: Money(fen: employmentIncomeFen))
    }
}

/// Stored audit record.
final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "county_code") var countyCode: String
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_key") var entityKey: String
    @Field(key: "detail") var detail: String
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "prev_hash") var prevHash: String?
    @OptionalField(key: "hash") var hash: String?

    init() {}
}

/// Stored version of a household's circumstances.
final class CircumstancesModel: Model, @unchecked Sendable {
    static let schema = "household_circumstances"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    /// YYYY-MM: text order is month order.
    @Field(key: "effective_from") var effectiveFrom: String
    @Field(key: "body") var body: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "recorded_by") var recordedBy: String

    init() {}

    func version() throws -> CircumstancesVersion {
        guard let from = try? Month(parsing: effectiveFrom) else { throw StoreError.corrupt("household_circumstances.effective_from", effectiveFrom) }
        let c: Circumstances
        do { c = try JSONDecoder().decode(Circumstances.self, from: Data(body.utf8)) } catch {
            throw StoreError.corrupt("household_circumstances.body", String(body.prefix(80)))
        }
        return CircumstancesVersion(effectiveFrom: from, circumstances: c, recordedAt: recordedAt, recordedBy: recordedBy)
    }
}

/// Stored user.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "username") var username: String
    @Field(key: "role") var role: String
    @Field(key: "division_code") var divisionCode: String
    @Field(key: "county_code") var countyCode: String
    @OptionalField(key: "department") var department: String?
    @Field(key: "active") var active: Bool
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "failed_logins") var failedLogins: Int64
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ u: UserAccount, passwordHash: String, at: Date) {
        username = u.username
        self.passwordHash = passwordHash
        failedLogins = 0
        createdAt = at
        apply(u)
    }

    func apply(_ u: UserAccount) {
        role = u.role.rawValue
        divisionCode = u.division.digits
        countyCode = u.division.countyCode.digits
        department = u.department
        active = u.active
    }

    func account() throws -> UserAccount {
        guard let r = Role(rawValue: role) else { throw StoreError.corrupt("users.role", role) }
        let d: DivisionCode
        do { d = try DivisionCode(divisionCode) } catch { throw StoreError.corrupt("users.division_code", divisionCode) }
        return UserAccount(username: username, role: r, division: d, department: department, active: active)
    }
}

/// Stored session: the SHA-256 of the token, never the token.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "username") var username: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "address") var address: String

    init() {}

    init(tokenHash: String, username: String, created: Date, expires: Date, address: String) {
        self.tokenHash = tokenHash
        self.username = username
        createdAt = created
        expiresAt = expires
        self.address = address
    }
}

/// Stored version of a household's facts.
final class HouseholdVersionModel: Model, @unchecked Sendable {
    static let schema = "household_versions"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    /// YYYY-MM-DD: text order is day order.
    @Field(key: "effective_from") var effectiveFrom: String
    @Field(key: "kind") var kind: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "body") var body: String

    init() {}

    init(_ r: HouseholdRecord, effective: Day, kind: FactChange, at: Date, by: String) throws {
        householdID = r.household.householdID
        countyCode = r.household.countyCode.digits
        effectiveFrom = effective.description
        self.kind = kind.rawValue
        recordedAt = at
        recordedBy = by
        body = String(decoding: try AuditLog.encoder.encode(r), as: UTF8.self)
    }

    func version() throws -> HouseholdVersion {
        guard let day = try? Day(parsing: effectiveFrom), let k = FactChange(rawValue: kind),
              let record = try? JSONDecoder().decode(HouseholdRecord.self, from: Data(body.utf8)) else {
            throw StoreError.corrupt("household_versions", householdID + "@" + effectiveFrom)
        }
        return HouseholdVersion(effectiveFrom: day, kind: k, recordedAt: recordedAt, recordedBy: recordedBy, record: record)
    }
}
