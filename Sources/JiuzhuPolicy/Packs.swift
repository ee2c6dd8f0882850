import JiuzhuCore
import JiuzhuPacks

/// The packs a deployment knows, and the rule that picks one for a household:
/// its county's pack, else its prefecture's, else its province's.
public struct Packs: Sendable {
    public let all: [PolicyPack]

    public init(_ packs: [PolicyPack]) { all = packs }

    /// The packs shipped in Policies/, loaded and checked once. A broken bundled pack is an error
    /// of the build, reported when first used.
    public static let bundled: Packs = {
        var packs: [PolicyPack] = []
        for id in BundledPacks.ids {
            guard let text = BundledPacks.text(id) else { continue }
            if let pack = try? PackLoader.load(yaml: text, name: id + ".yaml") { packs.append(pack) }
        }
        return Packs(packs)
    }()

    /// Loads the bundled pack `id`, with its load error if it is broken.
    public static func loadBundled(_ id: String) throws(PolicyError) -> PolicyPack {
        guard let text = BundledPacks.text(id) else {
            throw PolicyError(pack: id, "no such pack (known: \(BundledPacks.ids.joined(separator: ", ")))")
        }
        return try PackLoader.load(yaml: text, name: id + ".yaml")
    }

    /// The pack with this id (`reference`, or a division code such as `230500`).
    public func pack(id: String) throws(PolicyError) -> PolicyPack {
        if let p = all.first(where: { $0.id == id }) { return p }
        if BundledPacks.text(id) != nil { return try Packs.loadBundled(id) }   // surfaces the load error
        throw PolicyError(pack: id, "no such pack (known: \(all.map(\.id).joined(separator: ", ")))")
    }

    /// The pack for a household's division: county (first 6 digits), else prefecture (4 + 00),
    /// else province (2 + 0000).
    public func pack(for division: DivisionCode) throws(PolicyError) -> PolicyPack {
        let d = division.digits
        for candidate in [String(d.prefix(6)), String(d.prefix(4)) + "00", String(d.prefix(2)) + "0000"] {
            if let p = all.first(where: { $0.divisions.contains { $0.digits == candidate } }) { return p }
        }
        throw PolicyError(pack: "?", "no pack covers division \(division) (its county, prefecture or province)")
    }
}
