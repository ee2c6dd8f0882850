import Foundation

/// The policy packs shipped with Jiuzhu: one YAML file per locality, plus `reference`
/// (shared/spec/reference-rules.md), each with its hand-worked cases (`<id>.cases.yaml`).
public enum BundledPacks {
    /// Pack ids in this folder.
    public static let ids = ["reference"]

    /// The YAML text of pack `id`, or nil if there is none.
    public static func text(_ id: String) -> String? {
        resource(id)
    }

    /// The hand-worked cases of pack `id`.
    public static func cases(_ id: String) -> String? {
        resource(id + ".cases")
    }

    static func resource(_ name: String) -> String? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
