import Foundation
import Testing
import JiuzhuCore

private func day(_ y: Int, _ m: Int, _ d: Int) -> Day {
    guard let value = Day(year: y, month: m, day: d) else { fatalError("bad test date \(y)-\(m)-\(d)") }
    return value
}

/// A fixed "today" for validation: nothing in these tests reads the clock.
private let today = day(2025, 6, 30)

// Check characters worked out by hand with GB 11643-1999's MOD 11-2: the weights of
// positions 1–17 are 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, and the weighted sum mod 11 picks
// from "1 0 X 9 8 7 6 5 4 3 2" (remainder 0 → 1, 1 → 0, 2 → X, …, 8 → 4, 9 → 3).
//
// 11010519491231002X (the standard's sample):
//   1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2
//   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → X.
// 440524188001010014 (the standard's sample):
//   28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → 4.
// 110105200002290013 (born 2000-02-29, sequence 001):
//   7+9+0+5+0+20+4+0+0+0+0+18+20+45+0+0+2 = 130; 130 mod 11 = 9 → 3.
// 110105200002290021 (born 2000-02-29, sequence 002):
//   same first 16 digits (128) + 2·2 = 132; 132 mod 11 = 0 → 1.
// 11010520300101001X (born 2030-01-01, in the future):
//   7+9+0+5+0+20+4+0+18+0+0+9+0+5+0+0+2 = 79; 79 mod 11 = 2 → X.
private let sampleWoman = "11010519491231002X"
private let sampleMan = "440524188001010014"
private let leapDayMan = "110105200002290013"
private let leapDayWoman = "110105200002290021"
private let futureBirth = "11010520300101001X"

@Suite struct IDNumberTests {
    @Test func standardSamples_areValid_withBirthDateSexAndAddress() throws {
        let a = try IDNumber(validating: sampleWoman, today: today)
        #expect(a.value == sampleWoman)
        #expect(a.birthDate == day(1949, 12, 31))
        #expect(a.sex == .female) // 17th digit 2: even
        #expect(a.addressCode == "110105")
        #expect(a.description == sampleWoman)

        let b = try IDNumber(validating: sampleMan, today: today)
        #expect(b.birthDate == day(1880, 1, 1))
        #expect(b.sex == .male) // 17th digit 1: odd
        #expect(b.addressCode == "440524")
    }

    @Test func checkCharacter_ofTheSamples() {
        #expect(IDNumber.checkCharacter(Array("11010519491231002".utf8)) == UInt8(ascii: "X"))
        #expect(IDNumber.checkCharacter(Array("44052418800101001".utf8)) == UInt8(ascii: "4"))
        #expect(IDNumber.checkCharacter(Array("11010520000229001".utf8)) == UInt8(ascii: "3"))
        #expect(IDNumber.checkCharacter(Array("11010520000229002".utf8)) == UInt8(ascii: "1"))
    }

    @Test func lowerCaseX_isNormalisedToUpperCase() throws {
        let id = try IDNumber(validating: "11010519491231002x", today: today)
        #expect(id.value == sampleWoman)
        #expect(id == (try IDNumber(validating: sampleWoman, today: today)))
    }

    @Test func sex_comesFromThe17thDigit() throws {
        #expect(try IDNumber(validating: leapDayMan, today: today).sex == .male)     // …001 3
        #expect(try IDNumber(validating: leapDayWoman, today: today).sex == .female) // …002 1
    }

    @Test(arguments: [("", 0), ("1101051949123100", 16), ("11010519491231002XX", 19), ("1101051949123100 2X", 19)])
    func rejects_wrongLength(text: String, count: Int) {
        #expect(throws: IDNumberError.length(count)) { try IDNumber(validating: text, today: today) }
    }

    @Test func rejects_wrongLength_withMessage() {
        #expect(IDNumberError.length(16).description == "length: must be 18 characters, found 16")
    }

    @Test func rejects_badCharacters_namingThePosition() {
        #expect(throws: IDNumberError.character(position: 14)) {
            try IDNumber(validating: "1101051949123A002X", today: today)
        }
        #expect(throws: IDNumberError.character(position: 18)) {
            try IDNumber(validating: "11010519491231002A", today: today)
        }
        // X is allowed only in the 18th place.
        #expect(throws: IDNumberError.character(position: 17)) {
            try IDNumber(validating: "1101051949123100X2", today: today)
        }
        #expect(IDNumberError.character(position: 14).description == "characters: character 14 must be a digit")
        #expect(IDNumberError.character(position: 18).description == "characters: character 18 must be a digit or X")
    }

    @Test func rejects_fullWidthCharacters_asCharacters_notLength() {
        // Full-width Ｘ and １ are one character each (three UTF-8 bytes): 18 characters in all.
        #expect(throws: IDNumberError.character(position: 18)) {
            try IDNumber(validating: "11010519491231002Ｘ", today: today)
        }
        #expect(throws: IDNumberError.character(position: 1)) {
            try IDNumber(validating: "１1010519491231002X", today: today)
        }
        // A bad ASCII character before a full-width one is reported first.
        #expect(throws: IDNumberError.character(position: 3)) {
            try IDNumber(validating: "11A10519491231002Ｘ", today: today)
        }
    }

    @Test func rejects_impossibleBirthDate() {
        // 1999-02-30 does not exist (the check character does not matter: the date is checked first).
        #expect(throws: IDNumberError.birthDate("19990230")) {
            try IDNumber(validating: "110105199902300015", today: today)
        }
        #expect(throws: IDNumberError.birthDate("20230229")) { // 2023 is not a leap year
            try IDNumber(validating: "110105202302290011", today: today)
        }
        #expect(throws: IDNumberError.birthDate("19491331")) {
            try IDNumber(validating: "110105194913310021", today: today)
        }
        #expect(IDNumberError.birthDate("19990230").description
            == "date: birth date 19990230 (characters 7–14) is not a real calendar date")
    }

    @Test func rejects_birthDateAfterToday_butAcceptsBornToday() throws {
        #expect(throws: IDNumberError.birthDateInFuture("20300101")) {
            try IDNumber(validating: futureBirth, today: today)
        }
        #expect(IDNumberError.birthDateInFuture("20300101").description
            == "date: birth date 20300101 (characters 7–14) is in the future")
        #expect(try IDNumber(validating: leapDayMan, today: day(2000, 2, 29)).birthDate == day(2000, 2, 29))
        #expect(throws: IDNumberError.birthDateInFuture("20000229")) {
            try IDNumber(validating: leapDayMan, today: day(2000, 2, 28))
        }
    }

    @Test func rejects_wrongCheckDigit_sayingWhichIsExpected() {
        // 110105194912310021: the first 17 are the sample's, whose check character is X.
        #expect(throws: IDNumberError.checkCharacter(expected: "X", found: "1")) {
            try IDNumber(validating: "110105194912310021", today: today)
        }
        #expect(throws: IDNumberError.checkCharacter(expected: "4", found: "X")) {
            try IDNumber(validating: "44052418800101001X", today: today)
        }
        #expect(IDNumberError.checkCharacter(expected: "X", found: "1").description
            == "check digit: character 18 is 1, the MOD 11-2 check of the first 17 gives X")
    }

    @Test func age_isCompletedOnTheBirthday_notTheDayBefore() throws {
        let id = try IDNumber(validating: sampleWoman, today: today) // born 1949-12-31
        #expect(id.age(on: day(2024, 12, 31)) == 75)
        #expect(id.age(on: day(2024, 12, 30)) == 74)
        #expect(id.age(on: day(2025, 1, 1)) == 75)
        #expect(id.age(on: day(1949, 12, 31)) == 0)
        #expect(id.age(on: day(1949, 12, 30)) == 0) // not yet born
    }

    @Test func age_ofA29FebruaryBirth_turnsOver1MarchInCommonYears() throws {
        let id = try IDNumber(validating: leapDayMan, today: today) // born 2000-02-29
        #expect(id.age(on: day(2001, 2, 28)) == 0)
        #expect(id.age(on: day(2001, 3, 1)) == 1)
        #expect(id.age(on: day(2004, 2, 28)) == 3)
        #expect(id.age(on: day(2004, 2, 29)) == 4) // a leap year: the birthday itself
        #expect(id.age(on: day(2023, 2, 28)) == 22)
        #expect(id.age(on: day(2023, 3, 1)) == 23)
        #expect(IDNumber.age(born: day(2000, 2, 29), on: day(2018, 3, 1)) == 18)
        #expect(IDNumber.age(born: day(2000, 2, 29), on: day(2018, 2, 28)) == 17)
    }

    @Test func codable_isTheNormalisedText() throws {
        let id = try IDNumber(validating: "11010519491231002x", today: today)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["11010519491231002X"]"#)
        #expect(try JSONDecoder().decode([IDNumber].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([IDNumber].self, from: Data(#"["110105194912310021"]"#.utf8))
        }
    }
}
