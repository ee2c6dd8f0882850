import Foundation

/// The policy packs shipped with Jiuzhu, in `Policies/packs/`: `<id>.yaml` for each locality
/// (its division code) and `reference` (shared/spec/reference-rules.md), each with its
/// hand-worked cases in `<id>.cases.yaml`.
public enum BundledPacks {
    static var folder: URL? { Bundle.module.url(forResource: "packs", withExtension: nil) }

    /// Every pack id in the folder, sorted.
    public static let ids: [String] = {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".cases.yaml") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// The YAML text of pack `id`, or nil if there is none.
    public static func text(_ id: String) -> String? { resource(id + ".yaml") }

    /// The hand-worked cases of pack `id`.
    public static func cases(_ id: String) -> String? { resource(id + ".cases.yaml") }

    static func resource(_ name: String) -> String? {
        guard let url = folder?.appendingPathComponent(name), FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
