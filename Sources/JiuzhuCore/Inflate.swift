/// DEFLATE decompression (RFC 1951), enough to read the entries of a ZIP archive such as an .xlsx
/// file: stored, fixed-Huffman and dynamic-Huffman blocks. Pure Swift, no system library.
public enum Inflate {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    struct Bits {
        let data: [UInt8]
        var byte = 0
        var bit = 0
        init(_ data: [UInt8]) { self.data = data }

        mutating func next() throws -> Int {
            guard byte < data.count else { throw Failure(description: "the compressed data ends too soon") }
            let b = Int(data[byte] >> UInt8(bit)) & 1
            bit += 1
            if bit == 8 { bit = 0; byte += 1 }
            return b
        }

        mutating func read(_ n: Int) throws -> Int {
            var v = 0
            for i in 0..<n { v |= try next() << i }
            return v
        }

        mutating func alignToByte() { if bit != 0 { bit = 0; byte += 1 } }
    }

    /// A canonical Huffman code: how many codes of each length, and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) {
            for l in lengths { counts[l] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for i in 1..<16 { offsets[i] = offsets[i - 1] + counts[i - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (s, l) in lengths.enumerated() where l != 0 { symbols[offsets[l]] = s; offsets[l] += 1 }
        }

        func decode(_ bits: inout Bits) throws -> Int {
            var code = 0, first = 0, index = 0
            for len in 1..<16 {
                code |= try bits.next()
                let count = counts[len]
                if code - count < first { return symbols[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw Failure(description: "an invalid Huffman code")
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Decompresses raw DEFLATE data (no zlib or gzip header).
    public static func decompress(_ data: [UInt8]) throws -> [UInt8] {
        var bits = Bits(data)
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 4)
        var last = 0
        repeat {
            last = try bits.read(1)
            switch try bits.read(2) {
            case 0:
                bits.alignToByte()
                guard bits.byte + 4 <= data.count else { throw Failure(description: "a stored block ends too soon") }
                let len = Int(data[bits.byte]) | Int(data[bits.byte + 1]) << 8
                bits.byte += 4
                guard bits.byte + len <= data.count else { throw Failure(description: "a stored block ends too soon") }
                out.append(contentsOf: data[bits.byte..<bits.byte + len])
                bits.byte += len
            case 1:
                var lengths = [Int](repeating: 8, count: 288)
                for i in 144..<256 { lengths[i] = 9 }
                for i in 256..<280 { lengths[i] = 7 }
                try block(&bits, &out, Huffman(lengths: lengths), Huffman(lengths: [Int](repeating: 5, count: 30)))
            case 2:
                let hlit = try bits.read(5) + 257, hdist = try bits.read(5) + 1, hclen = try bits.read(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var codeLengths = [Int](repeating: 0, count: 19)
                for i in 0..<hclen { codeLengths[order[i]] = try bits.read(3) }
                let lengthCode = Huffman(lengths: codeLengths)
                var lengths: [Int] = []
                while lengths.count < hlit + hdist {
                    let sym = try lengthCode.decode(&bits)
                    switch sym {
                    case 0...15: lengths.append(sym)
                    case 16:
                        guard let prev = lengths.last else { throw Failure(description: "a repeat with nothing before it") }
                        lengths += [Int](repeating: prev, count: 3 + (try bits.read(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try bits.read(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try bits.read(7)))
                    }
                }
                try block(&bits, &out, Huffman(lengths: Array(lengths[0..<hlit])), Huffman(lengths: Array(lengths[hlit..<hlit + hdist])))
            default:
                throw Failure(description: "an invalid block type")
            }
        } while last == 0
        return out
    }

    static func block(_ bits: inout Bits, _ out: inout [UInt8], _ lit: Huffman, _ dist: Huffman) throws {
        while true {
            let sym = try lit.decode(&bits)
            if sym < 256 { out.append(UInt8(sym)); continue }
            if sym == 256 { return }
            let i = sym - 257
            guard i < lengthBase.count else { throw Failure(description: "an invalid length code") }
            let length = lengthBase[i] + (try bits.read(lengthExtra[i]))
            let d = try dist.decode(&bits)
            guard d < distBase.count else { throw Failure(description: "an invalid distance code") }
            let distance = distBase[d] + (try bits.read(distExtra[d]))
            guard distance <= out.count else { throw Failure(description: "a distance before the start") }
            let start = out.count - distance
            for k in 0..<length { out.append(out[start + k]) }
        }
    }
}
