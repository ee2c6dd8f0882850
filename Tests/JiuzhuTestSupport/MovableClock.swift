import Foundation
import JiuzhuCore

/// A clock a test moves forward: noon, Beijing time, on the day set.
public final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var day: Day

    public init(_ day: Day = Fixtures.today) { self.day = day }

    public func set(_ d: Day) { lock.withLock { day = d } }

    public var now: Date {
        lock.withLock {
            var c = Calendar(identifier: .gregorian)
            c.timeZone = Day.chinaTimeZone
            return c.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
        }
    }
}
