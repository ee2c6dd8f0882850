import Foundation
import Testing
import JiuzhuCore

@Suite struct MoneyTests {
    @Test(arguments: [
        (Int64(0), "¥0.00"),
        (5, "¥0.05"),
        (-5, "-¥0.05"),
        (100, "¥1.00"),
        (99_999, "¥999.99"),
        (100_000, "¥1,000.00"),
        (123_450, "¥1,234.50"),
        (-123_450, "-¥1,234.50"),
        (123_456_789_012, "¥1,234,567,890.12"),
        (100_000_000_000, "¥1,000,000,000.00"),
        // Int64.max fen = 9,223,372,036,854,775,807 fen = ¥92,233,720,368,547,758.07
        (Int64.max, "¥92,233,720,368,547,758.07"),
        (Int64.min, "-¥92,233,720,368,547,758.08"),
    ])
    func description_isYuanWithSeparatorsAndTwoDecimals(fen: Int64, text: String) {
        #expect(Money(fen: fen).description == text)
    }

    @Test(arguments: [
        ("1234.5", Int64(123_450)),
        ("¥1,234.50", 123_450),
        ("1234元", 123_400),
        ("￥12", 1_200),
        ("-12.30", -1_230),
        ("-¥0.05", -5),
        ("0", 0),
        ("0.01", 1),
        ("  88.8 ", 8_880),
        ("1,000,000", 100_000_000),
        ("¥1,234,567,890.12", 123_456_789_012),
        // The largest amount: Int64.max fen.
        ("92233720368547758.07", Int64.max),
    ])
    func parsing_acceptsWhatPeopleType(text: String, fen: Int64) throws {
        #expect(try Money(yuanText: text) == Money(fen: fen))
    }

    @Test func parsing_rejectsMoreThanTwoDecimals() {
        #expect(throws: MoneyError.tooManyDecimals("1.234")) { try Money(yuanText: "1.234") }
        #expect(MoneyError.tooManyDecimals("1.234").description
            == "'1.234' has more than two decimals (the smallest unit is the fen, 0.01 yuan)")
    }

    @Test(arguments: ["1,23", "12,34", ",123", "1,2345", "abc", "12a", "1.2.3", "1.", ".5", "¥", "-", "１２", "+12", "12 元 5"])
    func parsing_rejectsMalformedText(text: String) {
        #expect(throws: MoneyError.format(text)) { try Money(yuanText: text) }
    }

    @Test func parsing_rejectsEmptyText() {
        #expect(throws: MoneyError.empty) { try Money(yuanText: "") }
        #expect(throws: MoneyError.empty) { try Money(yuanText: "   ") }
        #expect(MoneyError.empty.description == "amount is empty")
        #expect(MoneyError.format("abc").description == "'abc' is not an amount in yuan (e.g. 1234.50 or ¥1,234.50)")
    }

    @Test func parsing_rejectsOverflow() {
        // One fen more than Int64.max fen.
        #expect(throws: MoneyError.tooLarge("92233720368547758.08")) { try Money(yuanText: "92233720368547758.08") }
        // More yuan digits than Int64 holds at all.
        #expect(throws: MoneyError.tooLarge("99999999999999999999")) { try Money(yuanText: "99999999999999999999") }
        // Fits in Int64 as yuan, overflows as fen (× 100).
        #expect(throws: MoneyError.tooLarge("100000000000000000")) { try Money(yuanText: "100000000000000000") }
        #expect(MoneyError.tooLarge("1e30").description == "'1e30' is too large")
    }

    @Test(arguments: [
        (Int64(0), Int64(0)),
        (1, 100),
        (99, 100),
        (100, 100),
        (101, 200),
        (12_345, 12_400),
        (-150, -100), // ceiling: −1.50 yuan rounds up to −1 yuan
        (-100, -100),
    ])
    func roundedUpToYuan_isTheCeiling(fen: Int64, rounded: Int64) {
        #expect(Money(fen: fen).roundedUpToYuan == Money(fen: rounded))
    }

    @Test func arithmetic_isExactInFen() {
        let a = Money.yuan(1_234), b: Money = 50
        #expect(a.fen == 123_400)
        #expect(a + b == Money(fen: 123_450))
        #expect(a - b == Money(fen: 123_350))
        #expect(b * 3 == Money(fen: 150))
        #expect(Money.zero == Money(fen: 0))
        #expect(b < a)
        #expect(Money(fen: 1).adding(Money(fen: 2)) == Money(fen: 3))
        #expect(Money(fen: .max).adding(Money(fen: 1)) == nil)
    }

    @Test func codable_isIntegerFen() throws {
        let data = try JSONEncoder().encode([Money(fen: 123_450)])
        #expect(String(decoding: data, as: UTF8.self) == "[123450]")
        #expect(try JSONDecoder().decode([Money].self, from: data) == [Money(fen: 123_450)])
    }
}
