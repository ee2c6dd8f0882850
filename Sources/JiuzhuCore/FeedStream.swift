import Foundation

/// Where a feed's bytes come from: in memory, or a file read in pieces so that a file of millions
/// of rows is never held whole.
public enum FeedSource: Sendable {
    case data(Data)
    case file(URL)

    /// The size of each piece read from a file.
    static let chunkSize = 1 << 20

    /// Calls `body` with each piece of the bytes in order.
    public func forEachChunk(_ body: (Data) throws -> Void) throws {
        switch self {
        case .data(let d):
            try body(d)
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            while let piece = try handle.read(upToCount: Self.chunkSize), !piece.isEmpty { try body(piece) }
        }
    }

    /// The first `count` bytes (or all, if fewer).
    public func prefix(_ count: Int) throws -> Data {
        switch self {
        case .data(let d): return Data(d.prefix(count))
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return try handle.read(upToCount: count) ?? Data()
        }
    }

    /// All the bytes (for a spreadsheet, which is read whole).
    public func all() throws -> Data {
        switch self {
        case .data(let d): return d
        case .file(let url): return try Data(contentsOf: url)
        }
    }
}

/// RFC 4180 records read from pieces of bytes, each with the line it starts on. Fields are byte
/// ranges in a buffer reused from record to record; nothing is kept after a record is handed on.
///
/// The rules are those of a spreadsheet's CSV: a `"` opens a quoted part, in which `""` is a
/// quote and commas and newlines are text; `\r` outside quotes is dropped; `\n` ends a record.
/// The delimiters are ASCII bytes, which never occur inside a multi-byte character in UTF-8 or
/// GB18030, so records are split before they are decoded.
public struct CSVRecordSplitter {
    /// The bytes of the current record's fields, unquoted, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Each field's range in `bytes`.
    public private(set) var fields: [Range<Int>] = []

    /// A record longer than this is refused (an unclosed quote would otherwise swallow the file).
    public static let longestRecord = 1 << 20

    private var carry: [UInt8] = []
    private var line = 1

    public init() {}

    /// Feeds a piece; calls `record(line)` for each complete record in it. The record's fields are
    /// in `bytes` and `fields` during the call.
    public mutating func feed(_ piece: Data, _ record: (_ line: Int, _ splitter: inout CSVRecordSplitter) throws -> Void) throws {
        if carry.isEmpty {
            try piece.withUnsafeBytes { raw in try split(raw.bindMemory(to: UInt8.self), final: false, record) }
        } else {
            carry.append(contentsOf: piece)
            let all = carry
            carry = []
            try all.withUnsafeBufferPointer { try split($0, final: false, record) }
        }
    }

    /// Ends the input: a last record without a newline is handed on.
    public mutating func finish(_ record: (_ line: Int, _ splitter: inout CSVRecordSplitter) throws -> Void) throws {
        let all = carry
        carry = []
        try all.withUnsafeBufferPointer { try split($0, final: true, record) }
    }

    private mutating func split(_ input: UnsafeBufferPointer<UInt8>, final: Bool,
                                _ record: (_ line: Int, _ splitter: inout CSVRecordSplitter) throws -> Void) throws {
        var i = 0
        let n = input.count
        while i < n {
            // One record from i: stops at its newline, or leaves the rest for the next piece.
            let start = i, startLine = line
            var lines = 0
            bytes.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            var fieldStart = 0, inQuotes = false, complete = false
            while i < n {
                let c = input[i]
                i += 1
                if inQuotes {
                    if c == 0x22 {
                        if i < n && input[i] == 0x22 { bytes.append(0x22); i += 1 }
                        else if i == n && !final { i = n + 1; break }   // a quote at the piece's end: wait for the next byte
                        else { inQuotes = false }
                    } else {
                        if c == 0x0A { lines += 1 }
                        bytes.append(c)
                    }
                    continue
                }
                switch c {
                case 0x22: inQuotes = true
                case 0x2C: fields.append(fieldStart..<bytes.count); fieldStart = bytes.count
                case 0x0D: break
                case 0x0A:
                    fields.append(fieldStart..<bytes.count)
                    lines += 1
                    complete = true
                default: bytes.append(c)
                }
                if complete { break }
            }
            // A record is a line or a few, never megabytes: an unclosed quote would swallow the file.
            if min(i, n) - start > Self.longestRecord { throw CSVRecordTooLong(line: startLine, limit: Self.longestRecord) }
            if complete {
                line = startLine + lines
                try record(startLine, &self)
                continue
            }
            if !final {
                // Incomplete: keep its bytes for the next piece.
                carry = Array(input[start..<n])
                return
            }
            // The last record, without a newline.
            if fieldStart < bytes.count || !fields.isEmpty {
                fields.append(fieldStart..<bytes.count)
                line = startLine + lines
                try record(startLine, &self)
            }
            return
        }
    }
}

/// A record that does not end within ``CSVRecordSplitter/longestRecord`` bytes.
public struct CSVRecordTooLong: Error, Equatable {
    public let line: Int
    public let limit: Int
}
