import Foundation
import Testing
@testable import JiuzhuCore

// Population CSV v1 (population-csv.md). Every expected value below is worked from the spec by
// hand: headers written out, ID numbers with their MOD 11-2 check characters computed from the
// weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the table 1 0 X 9 8 7 6 5 4 3 2, e.g.
// 53262519550301001 → weighted sum mod 11 = 0 → check 1 → 532625195503010015 … (see each ID).

private let today = Day(year: 2025, month: 7, day: 1)!

private let householdsHeader =
    "household_id,division_code,hukou_type,deposits_fen,vehicles_value_fen,disability_vehicle,houses,business_registered\n"
private let membersHeader =
    "household_id,id_number,name,relation,disability_grade,disability_kind,serious_illness,veteran_disability_grade,"
    + "martyr_family,demobilized_veteran,able_to_work,has_capable_supporter,care_level,monthly_income_fen,employment_income_fen\n"

/// Two good households (lines 2, 3).
private let goodHouseholds = householdsHeader
    + "H1,532625100,rural,100000,0,0,1,0\n"
    + "H2,430321100001,urban,0,0,0,0,0\n"

/// Three good members (lines 2–4). IDs: 532625195503010015 (male, 1955-03-01),
/// 532625195806150023 (female, 1958-06-15), 53262519400101007X (male, 1940-01-01).
private let goodMembers = membersHeader
    + "H1,532625195503010015,张三,head,0,none,0,0,0,0,0,0,self,30000,0\n"
    + "H1,532625195806150023,李四,spouse,2,physical,0,0,0,0,0,1,semi,20000,0\n"
    + "H2,53262519400101007X,王五,head,0,none,0,0,0,0,1,0,self,150000,120000\n"

private func read(_ households: String, _ members: String, maxErrors: Int = 100) throws(PopulationCSVErrors) -> Population {
    try PopulationCSV.read(households: Data(households.utf8), members: Data(members.utf8), today: today, maxErrors: maxErrors)
}

/// The errors reading the two files, as `file:line:column` (`-` for no column).
private func places(_ households: String, _ members: String) -> [String] {
    do {
        _ = try read(households, members)
        return []
    } catch {
        return error.errors.map { "\($0.file):\($0.line):\($0.column ?? "-")" }
    }
}

private func errors(_ households: String, _ members: String) -> [PopulationCSVError] {
    do {
        _ = try read(households, members)
        return []
    } catch {
        return error.errors
    }
}

/// goodMembers with its line `line` (2–4) replaced.
private func members(replacing line: Int, with row: String) -> String {
    var rows = goodMembers.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    rows[line - 1] = row
    return rows.joined(separator: "\n")
}

private func households(replacing line: Int, with row: String) -> String {
    var rows = goodHouseholds.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    rows[line - 1] = row
    return rows.joined(separator: "\n")
}

// MARK: - Good files

@Test func read_goodFiles_givesHouseholdsAndMembersInFileOrder() throws {
    let p = try read(goodHouseholds, goodMembers)
    #expect(p.households.map(\.householdID) == ["H1", "H2"])
    #expect(p.households[0].divisionCode.digits == "532625100")
    #expect(p.households[0].hukouType == .rural)
    #expect(p.households[0].deposits == Money(fen: 100000))
    #expect(p.households[0].houses == 1)
    #expect(p.households[1].divisionCode.digits == "430321100001")
    #expect(p.households[1].hukouType == .urban)
    #expect(p.members.map(\.name) == ["张三", "李四", "王五"])
    #expect(p.members.map(\.householdID) == ["H1", "H1", "H2"])
    let spouse = p.members[1]
    #expect(spouse.idNumber.value == "532625195806150023")
    #expect(spouse.idNumber.birthDate == Day(year: 1958, month: 6, day: 15))
    #expect(spouse.idNumber.sex == .female)
    #expect(spouse.relation == .spouse)
    #expect(spouse.disabilityGrade == 2)
    #expect(spouse.disabilityKind == .physical)
    #expect(spouse.hasCapableSupporter)
    #expect(!spouse.ableToWork)
    #expect(spouse.careLevel == .semi)
    #expect(p.members[2].idNumber.value == "53262519400101007X")
    #expect(p.members[2].monthlyIncome == Money(fen: 150000))
    #expect(p.members[2].employmentIncome == Money(fen: 120000))
}

@Test func read_byteOrderMark_isIgnored() throws {
    let bom = "\u{FEFF}"
    let p = try read(bom + goodHouseholds, bom + goodMembers)
    #expect(p.households.count == 2)
    #expect(p.members.count == 3)
}

@Test func read_crlfLineEnds_areAccepted() throws {
    let p = try read(goodHouseholds.replacingOccurrences(of: "\n", with: "\r\n"),
                     goodMembers.replacingOccurrences(of: "\n", with: "\r\n"))
    #expect(p.households.map(\.householdID) == ["H1", "H2"])
    #expect(p.households[1].businessRegistered == false)
    #expect(p.members[2].employmentIncome == Money(fen: 120000))
}

@Test func read_lastLineWithoutLineEnd_isRead() throws {
    let p = try read(String(goodHouseholds.dropLast()), String(goodMembers.dropLast()))
    #expect(p.members.count == 3)
}

@Test func read_trailingBlankLines_areIgnored() throws {
    let p = try read(goodHouseholds + "\n\n", goodMembers + "\r\n\n")
    #expect(p.households.count == 2)
    #expect(p.members.count == 3)
}

@Test func read_leadingZerosInIntegers_areAccepted() throws {
    let p = try read(households(replacing: 2, with: "H1,532625100,rural,000100000,00,0,01,0"), goodMembers)
    #expect(p.households[0].deposits == Money(fen: 100000))
    #expect(p.households[0].houses == 1)
}

@Test func read_lowerCaseXCheckCharacter_isStoredAsUpperCase() throws {
    let p = try read(goodHouseholds, members(replacing: 4, with: "H2,53262519400101007x,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(p.members[2].idNumber.value == "53262519400101007X")
}

@Test func read_membersNotContiguousAndHeadNotFirst_areAccepted() throws {
    let m = membersHeader
        + "H1,532625195806150023,李四,spouse,0,none,0,0,0,0,0,1,self,0,0\n"
        + "H2,53262519400101007X,王五,head,0,none,0,0,0,0,1,0,self,0,0\n"
        + "H1,532625195503010015,张三,head,0,none,0,0,0,0,0,0,self,0,0\n"
    let p = try read(goodHouseholds, m)
    #expect(p.members.map(\.name) == ["李四", "王五", "张三"])
}

@Test func read_quotedFieldsWithCommaQuoteAndLineBreak_areUnescaped() throws {
    let h = householdsHeader + "\"H,1\",\"532625100\",rural,0,0,0,1,0\n" + "H2,430321100001,urban,0,0,0,0,0\n"
    let m = membersHeader
        + "\"H,1\",532625195503010015,\"张\"\"三\"\"\",head,0,none,0,0,0,0,0,0,self,0,0\n"
        + "\"H,1\",532625195806150023,\"李\n四\",spouse,0,none,0,0,0,0,0,1,self,0,0\n"
        + "H2,53262519400101007X,\"王,五\",head,0,none,0,0,0,0,1,0,self,0,0\n"
    let p = try read(h, m)
    #expect(p.households.map(\.householdID) == ["H,1", "H2"])
    #expect(p.members.map(\.name) == ["张\"三\"", "李\n四", "王,五"])
    #expect(p.members.map(\.householdID) == ["H,1", "H,1", "H2"])
}

@Test func read_emptyPopulation_isAccepted() throws {
    let p = try read(householdsHeader, membersHeader)
    #expect(p == Population())
}

// MARK: - Bad layout

@Test func read_emptyFile_isErrorOnLine1() {
    #expect(places("", goodMembers) == ["households.csv:1:-"])
}

@Test func read_unknownColumn_isErrorNamingIt() {
    let h = householdsHeader.replacingOccurrences(of: "houses", with: "house_count") + "H1,532625100,rural,0,0,0,1,0\n"
    let e = errors(h, goodMembers)
    // house_count is unknown and houses is then missing.
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["households.csv:1:-", "households.csv:1:houses"])
    #expect(e[0].rule.contains("house_count"))
}

@Test func read_missingColumn_isErrorNamingIt() {
    let m = membersHeader.replacingOccurrences(of: ",care_level", with: "")
    #expect(places(goodHouseholds, m) == ["members.csv:1:care_level"])
}

@Test func read_wrongColumnOrder_isErrorNamingTheFirstMisplacedColumn() {
    let h = householdsHeader.replacingOccurrences(of: "division_code,hukou_type", with: "hukou_type,division_code")
    let e = errors(h + "H1,rural,532625100,0,0,0,1,0\n", goodMembers)
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["households.csv:1:division_code"])
    #expect(e[0].rule.contains("column 2 is hukou_type"))
}

@Test func read_duplicateColumn_isError() {
    let h = householdsHeader.replacingOccurrences(of: "houses", with: "deposits_fen")
    #expect(places(h, goodMembers) == ["households.csv:1:deposits_fen", "households.csv:1:houses"])
}

@Test func read_tooManyFields_isErrorOnTheRow() {
    #expect(places(households(replacing: 3, with: "H2,430321100001,urban,0,0,0,0,0,9"), goodMembers)
        .prefix(1) == ["households.csv:3:-"])
}

@Test func read_tooFewFields_isErrorOnTheRow() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,0,none")) == ["members.csv:3:-"])
}

@Test func read_blankLineInTheMiddle_isError() {
    let h = householdsHeader + "H1,532625100,rural,100000,0,0,1,0\n\n" + "H2,430321100001,urban,0,0,0,0,0\n"
    #expect(places(h, goodMembers) == ["households.csv:3:-"])
}

@Test func read_unterminatedQuote_isErrorOnTheLineWhereTheRecordStarts() {
    let m = membersHeader
        + "H1,532625195503010015,张三,head,0,none,0,0,0,0,0,0,self,0,0\n"
        + "H1,532625195806150023,\"李四,spouse,0,none,0,0,0,0,0,1,self,0,0\n"
        + "H2,53262519400101007X,王五,head,0,none,0,0,0,0,1,0,self,0,0\n"
    // Everything after the open quote is swallowed, so H2 then has no members.
    #expect(places(goodHouseholds, m) == ["members.csv:3:name", "households.csv:3:-"])
}

@Test func read_quoteInsideUnquotedField_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李\"四\",spouse,0,none,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:name"])
}

@Test func read_textAfterClosingQuote_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,\"李\"四,spouse,0,none,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:name"])
}

@Test func read_errorInMultiLineRecord_namesTheLineWhereItStarts() {
    let m = membersHeader
        + "H1,532625195503010015,张三,head,0,none,0,0,0,0,0,0,self,0,0\n"          // line 2
        + "H1,532625195806150023,\"李\n\n四\",wife,0,none,0,0,0,0,0,1,self,0,0\n"  // lines 3–5
        + "H2,53262519400101007X,王五,head,0,none,0,0,0,0,1,0,self,0,x\n"        // line 6
    #expect(places(goodHouseholds, m) == ["members.csv:3:relation", "members.csv:6:employment_income_fen"])
}

@Test func read_customFileNames_appearInErrors() {
    do {
        _ = try PopulationCSV.read(households: Data(goodHouseholds.utf8), members: Data("".utf8),
                                   householdsFile: "hh-2025.csv", membersFile: "mm-2025.csv", today: today)
        Issue.record("expected errors")
    } catch {
        #expect(error.errors.first?.file == "mm-2025.csv")
        #expect(error.errors.first?.line == 1)
    }
}

// MARK: - households.csv fields

@Test func read_householdIDLongerThan64Characters_isError() {
    let id = String(repeating: "户", count: 65)
    let e = errors(households(replacing: 2, with: "\(id),532625100,rural,0,0,0,1,0"), goodMembers)
    // The members of H1 then point at a household that is not there: their lines follow.
    #expect(e.first.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == "households.csv:2:household_id")
    #expect(e.first?.rule.contains("65") == true)
}

@Test func read_householdIDOf64Characters_isAccepted() throws {
    let id = String(repeating: "户", count: 64)
    let p = try read(households(replacing: 2, with: "\(id),532625100,rural,0,0,0,1,0"),
                     goodMembers.replacingOccurrences(of: "H1,", with: "\(id),"))
    #expect(p.households[0].householdID == id)
}

@Test func read_emptyHouseholdID_isError() {
    #expect(places(households(replacing: 2, with: ",532625100,rural,0,0,0,1,0"), goodMembers.replacingOccurrences(of: "H1,", with: ","))
        == ["households.csv:2:household_id"])
}

@Test func read_divisionCodeOfWrongLength_isError() {
    #expect(places(households(replacing: 2, with: "H1,5326251,rural,0,0,0,1,0"), goodMembers) == ["households.csv:2:division_code"])
}

@Test func read_divisionCodeWithLetters_isError() {
    #expect(places(households(replacing: 2, with: "H1,53262510A,rural,0,0,0,1,0"), goodMembers) == ["households.csv:2:division_code"])
}

@Test func read_divisionCodeOfUnknownCounty_isError() {
    // 110101 (东城区, Beijing) is a real county code but not in the bundled table.
    #expect(places(households(replacing: 2, with: "H1,110101001,rural,0,0,0,1,0"), goodMembers) == ["households.csv:2:division_code"])
}

@Test func read_divisionCodeOfUnknownTownship_isError() {
    #expect(places(households(replacing: 2, with: "H1,532625999,rural,0,0,0,1,0"), goodMembers) == ["households.csv:2:division_code"])
}

@Test func read_countyAndVillageCodes_areAccepted() throws {
    let h = householdsHeader + "H1,532625,rural,0,0,0,1,0\n" + "H2,532625100030,urban,0,0,0,0,0\n"
    let p = try read(h, goodMembers)
    #expect(p.households.map(\.divisionCode.digits) == ["532625", "532625100030"])
}

@Test func read_unknownHukouType_isError() {
    #expect(places(households(replacing: 2, with: "H1,532625100,Rural,0,0,0,1,0"), goodMembers) == ["households.csv:2:hukou_type"])
}

@Test func read_negativeInteger_isError() {
    let e = errors(households(replacing: 2, with: "H1,532625100,rural,-100,0,0,1,0"), goodMembers)
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["households.csv:2:deposits_fen"])
    #expect(e[0].rule.contains("'-100'"))
}

@Test func read_decimalInteger_isError() {
    #expect(places(households(replacing: 2, with: "H1,532625100,rural,0,12.5,0,1,0"), goodMembers) == ["households.csv:2:vehicles_value_fen"])
}

@Test func read_integerWithPlusSign_isError() {
    #expect(places(households(replacing: 2, with: "H1,532625100,rural,0,0,0,+1,0"), goodMembers) == ["households.csv:2:houses"])
}

@Test func read_emptyInteger_isError() {
    #expect(places(households(replacing: 2, with: "H1,532625100,rural,,0,0,1,0"), goodMembers) == ["households.csv:2:deposits_fen"])
}

@Test func read_integerBeyondInt64_isError() {
    // Int64.max is 9223372036854775807; one more does not fit.
    #expect(places(households(replacing: 2, with: "H1,532625100,rural,9223372036854775808,0,0,1,0"), goodMembers)
        == ["households.csv:2:deposits_fen"])
}

@Test func read_int64Max_isAccepted() throws {
    let p = try read(households(replacing: 2, with: "H1,532625100,rural,9223372036854775807,0,0,1,0"), goodMembers)
    #expect(p.households[0].deposits.fen == Int64.max)
}

@Test func read_flagOtherThan0Or1_isError() {
    #expect(places(households(replacing: 2, with: "H1,532625100,rural,0,0,true,1,0"), goodMembers) == ["households.csv:2:disability_vehicle"])
    #expect(places(households(replacing: 2, with: "H1,532625100,rural,0,0,0,1,2"), goodMembers) == ["households.csv:2:business_registered"])
}

@Test func read_duplicateHouseholdID_namesBothLines() {
    let h = goodHouseholds + "H1,430321100,urban,0,0,0,0,0\n"
    let e = errors(h, goodMembers)
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["households.csv:4:household_id"])
    #expect(e[0].rule.contains("line 2"))
}

@Test func read_householdWithoutMembers_isErrorOnItsHouseholdsLine() {
    let h = goodHouseholds + "H3,430321100,urban,0,0,0,0,0\n"
    let e = errors(h, goodMembers)
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["households.csv:4:-"])
    #expect(e[0].rule.contains("H3"))
}

// MARK: - members.csv fields

@Test func read_memberOfUnknownHousehold_isError() {
    let e = errors(goodHouseholds, goodMembers + "H9,532625198501010031,赵六,head,0,none,0,0,0,0,1,0,self,0,0\n")
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["members.csv:5:household_id"])
    #expect(e[0].rule.contains("H9"))
}

@Test func read_memberWithBadCheckDigit_namesLineAndColumn() {
    // 53262519400101007 has check X; write 5 instead.
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,532625194001010075,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.count == 1)
    #expect(e.first?.description == "members.csv line 4, column id_number: check digit: character 18 is 5, the MOD 11-2 check of the first 17 gives X")
}

@Test func read_idNumberOfWrongLength_isError() {
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,53262519400101007,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["members.csv:4:id_number"])
    #expect(e.first?.rule == "length: must be 18 characters, found 17")
}

@Test func read_idNumberWithLetter_isError() {
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,53262519400101A07X,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.first?.description == "members.csv line 4, column id_number: characters: character 15 must be a digit")
}

@Test func read_idNumberWithImpossibleBirthDate_isError() {
    // 2023-02-29 does not exist; 53262520230229001 → check 7.
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,532625202302290017,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.first?.description == "members.csv line 4, column id_number: date: birth date 20230229 (characters 7–14) is not a real calendar date")
}

@Test func read_idNumberBornAfterToday_isError() {
    // Born 2025-07-02, the day after today; 53262520250702001 → check 0.
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,532625202507020010,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["members.csv:4:id_number"])
    #expect(e.first?.rule.contains("future") == true)
}

@Test func read_idNumberBornToday_isAccepted() throws {
    // 53262520250701001 → check 5.
    let p = try read(goodHouseholds, members(replacing: 4, with: "H2,532625202507010015,王五,head,0,none,0,0,0,0,0,1,self,0,0"))
    #expect(p.members[2].idNumber.birthDate == today)
}

@Test func read_leapDayBirthDate_isAccepted() throws {
    // 1980-02-29 exists; 43032119800229005 → check 1.
    let p = try read(goodHouseholds, members(replacing: 4, with: "H2,430321198002290051,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(p.members[2].idNumber.birthDate == Day(year: 1980, month: 2, day: 29))
    #expect(p.members[2].idNumber.sex == .male)
}

@Test func read_duplicateIDNumber_namesBothLines() {
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,532625195503010015,王五,head,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["members.csv:4:id_number"])
    #expect(e.first?.rule.contains("line 2") == true)
    #expect(e.first?.rule.contains("532625195503010015") == true)
}

@Test func read_emptyName_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,,spouse,0,none,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:name"])
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,\" \",spouse,0,none,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:name"])
}

@Test func read_unknownRelation_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,wife,0,none,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:relation"])
}

@Test func read_disabilityGradeAbove4_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,5,physical,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:disability_grade"])
}

@Test func read_unknownDisabilityKind_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,2,blind,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:disability_kind"])
}

@Test func read_gradeWithKindNone_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,2,none,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:disability_kind"])
}

@Test func read_gradeZeroWithAKind_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,0,visual,0,0,0,0,0,1,self,0,0"))
        == ["members.csv:3:disability_kind"])
}

@Test func read_veteranGradeAbove10_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,0,none,0,11,0,0,0,1,self,0,0"))
        == ["members.csv:3:veteran_disability_grade"])
}

@Test func read_memberFlagOtherThan0Or1_isErrorInItsColumn() {
    let row = "H1,532625195806150023,李四,spouse,0,none,0,0,0,0,0,1,self,0,0"
    var fields = row.split(separator: ",").map(String.init)
    let flagColumns = [6: "serious_illness", 8: "martyr_family", 9: "demobilized_veteran", 10: "able_to_work", 11: "has_capable_supporter"]
    for (index, column) in flagColumns.sorted(by: { $0.key < $1.key }) {
        fields = row.split(separator: ",").map(String.init)
        fields[index] = "yes"
        #expect(places(goodHouseholds, members(replacing: 3, with: fields.joined(separator: ","))) == ["members.csv:3:\(column)"])
    }
}

@Test func read_unknownCareLevel_isError() {
    #expect(places(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,spouse,0,none,0,0,0,0,0,1,partial,0,0"))
        == ["members.csv:3:care_level"])
}

@Test func read_employmentIncomeAboveMonthlyIncome_isError() {
    #expect(places(goodHouseholds, members(replacing: 4, with: "H2,53262519400101007X,王五,head,0,none,0,0,0,0,1,0,self,100000,100001"))
        == ["members.csv:4:employment_income_fen"])
}

@Test func read_negativeIncome_isError() {
    #expect(places(goodHouseholds, members(replacing: 4, with: "H2,53262519400101007X,王五,head,0,none,0,0,0,0,1,0,self,-1,0"))
        == ["members.csv:4:monthly_income_fen"])
}

@Test func read_householdWithoutHead_isErrorOnItsHouseholdsLine() {
    let e = errors(goodHouseholds, members(replacing: 4, with: "H2,53262519400101007X,王五,child,0,none,0,0,0,0,1,0,self,0,0"))
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["households.csv:3:-"])
    #expect(e.first?.rule.contains("H2") == true)
}

@Test func read_householdWithTwoHeads_namesBothLines() {
    let e = errors(goodHouseholds, members(replacing: 3, with: "H1,532625195806150023,李四,head,0,none,0,0,0,0,0,1,self,0,0"))
    #expect(e.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["members.csv:3:relation"])
    #expect(e.first?.rule.contains("line 2") == true)
}

@Test func read_badBytes_areNotValidUTF8() {
    var m = Data(goodMembers.utf8)
    // Replace the first byte of 李 (E6 9D 8E) with a lone continuation byte.
    let li = Data("李".utf8)
    let at = m.range(of: li)!
    m.replaceSubrange(at, with: [0x9D, 0x8E, 0x41])
    do {
        _ = try PopulationCSV.read(households: Data(goodHouseholds.utf8), members: m, today: today)
        Issue.record("expected an error")
    } catch {
        #expect(error.errors.map { "\($0.file):\($0.line):\($0.column ?? "-")" } == ["members.csv:3:name"])
    }
}

@Test func read_manyErrors_stopAtMaxErrors() {
    var h = householdsHeader
    for i in 1...10 { h += "H\(i),532625100,rural,-1,0,0,1,0\n" }
    do {
        _ = try read(h, membersHeader, maxErrors: 3)
        Issue.record("expected errors")
    } catch {
        #expect(error.errors.map(\.line) == [2, 3, 4])
        #expect(error.truncated)
    }
}

@Test func read_errorsOfBothFiles_areAllReported() {
    let h = households(replacing: 3, with: "H2,430321100001,city,0,0,0,0,0")
    let m = members(replacing: 2, with: "H1,532625195503010015,张三,head,0,none,0,0,0,0,0,0,self,1,2")
    #expect(places(h, m) == ["households.csv:3:hukou_type", "members.csv:2:employment_income_fen"])
}

@Test func errorDescription_withoutColumn_namesFileAndLine() {
    let e = PopulationCSVError(file: "households.csv", line: 4, column: nil, rule: "household H3 has no members in members.csv")
    #expect(e.description == "households.csv line 4: household H3 has no members in members.csv")
}

// MARK: - Writing

@Test func write_smallPopulation_givesExactBytes() throws {
    let id = try IDNumber(validating: "532625195503010015", today: today)
    let p = Population(
        households: [Household(householdID: "H1", divisionCode: try DivisionCode("532625100"), hukouType: .rural,
                               deposits: 100000, vehiclesValue: 500000, disabilityVehicle: true, houses: 1)],
        members: [Member(householdID: "H1", idNumber: id, name: "张\"三\",\n甲", relation: .head, disabilityGrade: 1,
                         disabilityKind: .intellectual, seriousIllness: true, veteranDisabilityGrade: 10,
                         ableToWork: false, careLevel: .full, monthlyIncome: 30000, employmentIncome: 0)])
    let (h, m) = PopulationCSV.write(p)
    #expect(String(decoding: h, as: UTF8.self) == householdsHeader + "H1,532625100,rural,100000,500000,1,1,0\n")
    #expect(String(decoding: m, as: UTF8.self)
        == membersHeader + "H1,532625195503010015,\"张\"\"三\"\",\n甲\",head,1,intellectual,1,10,0,0,0,0,full,30000,0\n")
    #expect(h.first != 0xEF) // no BOM
}

@Test func write_thenRead_givesEqualPopulation() throws {
    var p = try read(goodHouseholds, goodMembers)
    p.members[0].name = "欧阳\"小\",明\r\n二"
    p.households[1].householdID = "H 2,\"乙\""
    p.members[2].householdID = "H 2,\"乙\""
    let (h, m) = PopulationCSV.write(p)
    let back = try PopulationCSV.read(households: h, members: m, today: today)
    #expect(back == p)
}

@Test func write_thenRead_syntheticPopulation_givesEqualPopulation() throws {
    let p = SyntheticPopulation(seed: 7, today: today).generate(households: 2000)
    let (h, m) = PopulationCSV.write(p)
    let back = try PopulationCSV.read(households: h, members: m, today: today)
    #expect(back == p)
    // Written again, the bytes are the same.
    let (h2, m2) = PopulationCSV.write(back)
    #expect(h2 == h)
    #expect(m2 == m)
}
